"""Root lists of each entity kind, paginated in SQL."""

from __future__ import annotations

import strawberry

from models import ApplicationCall, Event, GoverningBody, Instrument, Office, Organization, Programme, ThematicArea
from resolvers.pagination import Ordering, Page, PageRequest, SortKey, paginate
from services.access import visible_organizations

BY_NAME = Ordering("name", (SortKey("name"),))
BY_FIRST_DATE = Ordering("date", (SortKey("first_date", nullable=True),))
BY_CLOSING = Ordering("closes", (SortKey("closes_at", nullable=True),))


def _request(info: strawberry.Info, first: int | None, after: str | None, last: int | None, before: str | None) -> PageRequest:
    settings = info.context.settings
    return PageRequest(first, after, last, before).validated(settings.default_page_size, settings.max_page_size)


async def organizations(info: strawberry.Info, **page: object) -> Page[Organization]:
    """Organizations the viewer may see, by name."""
    query = Organization.filter(visible_organizations(info.context.viewer))
    return await paginate(query, BY_NAME, _request(info, **page))  # type: ignore[arg-type]


async def offices(info: strawberry.Info, **page: object) -> Page[Office]:
    """UNODC offices, by name."""
    return await paginate(Office.all(), BY_NAME, _request(info, **page))  # type: ignore[arg-type]


async def governing_bodies(info: strawberry.Info, **page: object) -> Page[GoverningBody]:
    """Governing bodies, by name."""
    return await paginate(GoverningBody.all(), BY_NAME, _request(info, **page))  # type: ignore[arg-type]


async def instruments(info: strawberry.Info, **page: object) -> Page[Instrument]:
    """Conventions and protocols, by name."""
    return await paginate(Instrument.all(), BY_NAME, _request(info, **page))  # type: ignore[arg-type]


async def programmes(info: strawberry.Info, **page: object) -> Page[Programme]:
    """Programmes, by name."""
    return await paginate(Programme.all(), BY_NAME, _request(info, **page))  # type: ignore[arg-type]


async def events(info: strawberry.Info, **page: object) -> Page[Event]:
    """Events, earliest first (undated events last)."""
    return await paginate(Event.all(), BY_FIRST_DATE, _request(info, **page))  # type: ignore[arg-type]


async def application_calls(info: strawberry.Info, **page: object) -> Page[ApplicationCall]:
    """Calls for applications, by closing time."""
    return await paginate(ApplicationCall.all(), BY_CLOSING, _request(info, **page))  # type: ignore[arg-type]


async def thematic_areas(info: strawberry.Info) -> list[ThematicArea]:
    """Every thematic area, by name (a short, bounded list)."""
    return await ThematicArea.all().order_by("name", "id")


