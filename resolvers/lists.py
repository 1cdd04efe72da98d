"""Root lists of each entity kind: filtered, ordered and paginated in SQL."""

from __future__ import annotations

from typing import Any

import strawberry
from tortoise.expressions import Q
from tortoise.models import Model

from models import ApplicationCall, Event, GoverningBody, Instrument, Office, Organization, Programme, ThematicArea
from resolvers.filters import (
    application_call_conditions,
    event_conditions,
    governing_body_conditions,
    instrument_conditions,
    office_conditions,
    organization_conditions,
    search_conditions,
)
from resolvers.pagination import Ordering, Page, PageRequest, SortKey, paginate
from domain.access import visible_organizations

BY_NAME = Ordering("name", (SortKey("name"),))
ORDERINGS = {
    "NAME": BY_NAME,
    "COUNTRY": Ordering("country", (SortKey("country", nullable=True), SortKey("name"))),
    "YEAR_FOUNDED": Ordering("founded", (SortKey("founded_earliest", nullable=True), SortKey("name"))),
    "START_DATE": Ordering("date", (SortKey("first_date", nullable=True),)),
}
BY_CLOSING = Ordering("closes", (SortKey("closes_at", nullable=True),))


def page_request(info: strawberry.Info, page: dict[str, Any]) -> PageRequest:
    settings = info.context.settings
    return PageRequest(**page).validated(settings.default_page_size, settings.max_page_size)


def ordering_of(order_by: Any, default: Ordering) -> Ordering:
    if order_by is None:
        return default
    return ORDERINGS[order_by.field.value].with_direction(order_by.direction.value == "DESC")


async def _page(
    info: strawberry.Info, model: type[Model], conditions: Q, ordering: Ordering, page: dict[str, Any]
) -> Page[Any]:
    return await paginate(model.filter(conditions), ordering, page_request(info, page))


async def organizations(info: strawberry.Info, filter: Any = None, order_by: Any = None, **page: Any) -> Page[Organization]:
    """Organizations the viewer may see."""
    conditions = Q(
        visible_organizations(info.context.viewer),
        await organization_conditions(filter, info.context.viewer),
        await search_conditions("Organization", filter, info.context.viewer),
    )
    return await _page(info, Organization, conditions, ordering_of(order_by, BY_NAME), page)


async def offices(info: strawberry.Info, filter: Any = None, order_by: Any = None, **page: Any) -> Page[Office]:
    """UNODC offices."""
    conditions = Q(office_conditions(filter), await search_conditions("Office", filter, info.context.viewer))
    return await _page(info, Office, conditions, BY_NAME, page)


async def events(info: strawberry.Info, filter: Any = None, order_by: Any = None, **page: Any) -> Page[Event]:
    """Events, earliest first by default (undated events last)."""
    viewer = info.context.viewer
    conditions = Q(event_conditions(filter, viewer), await search_conditions("Event", filter, viewer))
    return await _page(info, Event, conditions, ordering_of(order_by, ORDERINGS["START_DATE"]), page)


async def governing_bodies(info: strawberry.Info, filter: Any = None, **page: Any) -> Page[GoverningBody]:
    """Governing bodies, by name."""
    conditions = Q(
        governing_body_conditions(filter), await search_conditions("GoverningBody", filter, info.context.viewer)
    )
    return await _page(info, GoverningBody, conditions, BY_NAME, page)


async def instruments(info: strawberry.Info, filter: Any = None, **page: Any) -> Page[Instrument]:
    """Conventions and protocols, by name."""
    conditions = Q(instrument_conditions(filter), await search_conditions("Instrument", filter, info.context.viewer))
    return await _page(info, Instrument, conditions, BY_NAME, page)


async def programmes(info: strawberry.Info, filter: Any = None, **page: Any) -> Page[Programme]:
    """Programmes, by name."""
    conditions = await search_conditions("Programme", filter, info.context.viewer)
    return await _page(info, Programme, conditions, BY_NAME, page)


async def application_calls(info: strawberry.Info, filter: Any = None, **page: Any) -> Page[ApplicationCall]:
    """Calls for applications, by closing time."""
    return await _page(info, ApplicationCall, application_call_conditions(filter), BY_CLOSING, page)


async def thematic_areas(info: strawberry.Info) -> list[ThematicArea]:
    """Every thematic area, by name (a short, bounded list)."""
    return await ThematicArea.all().order_by("name", "id")
