"""Field resolvers of events and calls for applications."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import strawberry

from domain.errors import ClientError
from models import ApplicationCall, Event, EventDate, EventOrganizer
from models.dates import VIENNA
from models.enums import Language
from queries import relations as r


async def start_date(root: Event, info: strawberry.Info) -> date | None:
    """First day of the earliest date range."""
    ranges = await info.context.loaders.many(r.DATES_OF_EVENT).load(root.id)
    return min((r.start_date for r in ranges), default=None)


async def end_date(root: Event, info: strawberry.Info) -> date | None:
    """Last day of the latest date range."""
    ranges = await info.context.loaders.many(r.DATES_OF_EVENT).load(root.id)
    return max((r.end_date for r in ranges), default=None)


async def languages(root: Event, info: strawberry.Info) -> list[Language]:
    """The event's languages, in the order of the Language enum."""
    links = await info.context.loaders.many(r.LANGUAGES_OF_EVENT).load(root.id)
    order = list(Language)
    return sorted((Language(link.language) for link in links), key=order.index)


async def organizer(root: EventOrganizer, info: strawberry.Info) -> Any:
    """The organizing organization (None if hidden) or office."""
    if root.organization_id is not None:
        return await info.context.loaders.one(r.ORGANIZATION_BY_ID).load(root.organization_id)
    return await info.context.loaders.one(r.OFFICE_BY_ID).load(root.office_id)


def range_edtf(row: EventDate) -> str:
    """An event's date range in EDTF: a day, an interval of days, or a set (some day within)."""
    start, end = row.start_date.isoformat(), row.end_date.isoformat()
    if not row.exact:
        return f"[{start}..{end}]"
    return start if start == end else f"{start}/{end}"


def local_time(value: time | None) -> time | None:
    """A stored wall-clock time without its offset: event times are Vienna local times."""
    return value.replace(tzinfo=None) if value is not None else None


def in_vienna(instant: datetime | None) -> datetime | None:
    """An instant expressed in Vienna time."""
    return instant.astimezone(VIENNA) if instant is not None else None


def is_open(call: ApplicationCall, at: Any) -> bool:
    """Whether ``at`` falls in [opens_at, closes_at); open ends are unbounded. Omitted: now; null is refused."""
    if at is strawberry.UNSET:
        at = datetime.now(UTC)
    elif at is None:
        raise ClientError("`at: null` names no instant; give one with a UTC offset, or omit it for now.")
    elif at.tzinfo is None:
        raise ClientError("`at` needs a UTC offset, e.g. 2023-02-12T23:59:00+01:00.")
    if call.opens_at is not None and at < call.opens_at:
        return False
    return call.closes_at is None or at < call.closes_at
