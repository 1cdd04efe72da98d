"""Root lists of each entity kind, filtered, ordered and paged in SQL (``queries.lists``)."""

from __future__ import annotations

from typing import Any

import strawberry

from queries import filters
from queries import tables as t
from queries.batch import Where
from queries.lists import BY_CLOSING, BY_START_DATE, ordering_of, page_of
from queries.pages import BY_NAME, Ordering, Page, PageRequest
from queries.sql import fetch, statement
from queries.tables import Table


def page_request(info: strawberry.Info, page: dict[str, Any]) -> PageRequest:
    """The pagination arguments of a field, checked against the settings' page sizes."""
    settings = info.context.settings
    return PageRequest(**page).validated(settings.default_page_size, settings.max_page_size)


async def _page(info: strawberry.Info, table: Table, where: Where, ordering: Ordering, page: dict[str, Any]) -> Page:
    found = await page_of(table, info.context.viewer, page_request(info, page), ordering, where)
    return found.map(table.instance)


async def organizations(info: strawberry.Info, filter: Any = None, order_by: Any = None, **page: Any) -> Page:
    """Organizations the viewer may see."""
    where = await filters.organization_where(filter, info.context.viewer, correct_later=True)
    return await _page(info, t.ORGANIZATION, where, ordering_of(order_by, BY_NAME), page)


async def offices(info: strawberry.Info, filter: Any = None, **page: Any) -> Page:
    """UNODC offices, by name."""
    return await _page(info, t.OFFICE, await filters.office_where(filter, info.context.viewer, correct_later=True), BY_NAME, page)


async def events(info: strawberry.Info, filter: Any = None, order_by: Any = None, **page: Any) -> Page:
    """Events, earliest first by default (undated events last)."""
    where = await filters.event_where(filter, info.context.viewer, correct_later=True)
    return await _page(info, t.EVENT, where, ordering_of(order_by, BY_START_DATE), page)


async def governing_bodies(info: strawberry.Info, filter: Any = None, **page: Any) -> Page:
    """Governing bodies, by name."""
    where = await filters.governing_body_where(filter, info.context.viewer, correct_later=True)
    return await _page(info, t.GOVERNING_BODY, where, BY_NAME, page)


async def instruments(info: strawberry.Info, filter: Any = None, **page: Any) -> Page:
    """Conventions and protocols, by name."""
    return await _page(info, t.INSTRUMENT, await filters.instrument_where(filter, info.context.viewer, correct_later=True), BY_NAME, page)


async def programmes(info: strawberry.Info, filter: Any = None, **page: Any) -> Page:
    """Programmes, by name."""
    return await _page(info, t.PROGRAMME, await filters.programme_where(filter, info.context.viewer, correct_later=True), BY_NAME, page)


async def application_calls(info: strawberry.Info, filter: Any = None, **page: Any) -> Page:
    """Calls for applications, by closing time."""
    where = await filters.application_call_where(filter, info.context.viewer, correct_later=True)
    return await _page(info, t.APPLICATION_CALL, where, BY_CLOSING, page)


async def thematic_areas(info: strawberry.Info) -> list[Any]:
    """Every thematic area, by name (a short, bounded list)."""
    st = statement()
    rows = await fetch(f"SELECT {', '.join(t.THEMATIC_AREA.columns)} FROM thematic_area ORDER BY name, id", st)
    return [t.THEMATIC_AREA.instance(row) for row in rows]
