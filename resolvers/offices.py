"""Field resolvers of offices, their locations and partnerships."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import strawberry

from models import Office, OfficeLocation, Partnership
from models.dates import VALIDITY_PERIOD, Certainty, Period, today
from queries import relations as r
from resolvers.time import OnDay, single_day


def on_day(rows: Sequence[Any], period: Period, day: date | None) -> list[OnDay]:
    """The rows whose period may hold on ``day``, each with its certainty; every row when ``day`` is None."""
    if day is None:
        return [OnDay(row, None) for row in rows]
    now = today()
    found = []
    for row in rows:
        certainty = period.certainty_on(row, day, now)
        if certainty is not None:
            found.append(OnDay(row, certainty))
    return found


async def location_on(root: Office, info: strawberry.Info, as_of: Any) -> OnDay | None:
    """Where the office was on ``asOf`` (one day: omitted is today, null is refused).

    The location that certainly held that day; else the one that may have
    (UNCERTAIN), the latest-starting first; None when none can have.
    """
    locations: list[OfficeLocation] = await info.context.loaders.many(r.LOCATIONS_OF_OFFICE).load(root.id)
    return location_on_rows(locations, single_day(as_of))


def location_on_rows(locations: Sequence[Any], day: date) -> OnDay | None:
    """The location that certainly held on ``day``, else the last that may have; None when none can have."""
    candidates = on_day(locations, VALIDITY_PERIOD, day)
    certain = [candidate for candidate in candidates if candidate.certainty is Certainty.CERTAIN]
    chosen = certain or candidates
    return chosen[-1] if chosen else None


async def partner(root: Partnership, info: strawberry.Info) -> Any:
    """The partner organization (None if hidden) or partner office."""
    if root.partner_organization_id is not None:
        return await info.context.loaders.one(r.ORGANIZATION_BY_ID).load(root.partner_organization_id)
    return await info.context.loaders.one(r.OFFICE_BY_ID).load(root.partner_office_id)


def certainty_of(root: Any) -> Any:
    """The certainty an ``OnDay`` row was listed with; None for a row read on its own."""
    return root.certainty if isinstance(root, OnDay) else None

