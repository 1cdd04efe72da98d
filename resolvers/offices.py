"""Field resolvers of offices and partnerships."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

from models import Office, OfficeLocation, Partnership


def located_on(locations: list[OfficeLocation], day: date) -> OfficeLocation | None:
    """The location valid on ``day`` (both ends inclusive, open ends unbounded)."""
    for location in locations:
        if (location.valid_from is None or location.valid_from <= day) and (
            location.valid_to is None or day <= location.valid_to
        ):
            return location
    return None


async def location_on(root: Office, info: strawberry.Info, as_of: date | None) -> OfficeLocation | None:
    """Where the office was on ``as_of`` (today by default)."""
    locations = await info.context.loaders.locations_by_office_id.load(root.id)
    return located_on(locations, as_of or date.today())


async def partner(root: Partnership, info: strawberry.Info) -> Any:
    """The partner organization (None if hidden) or partner office."""
    if root.partner_organization_id is not None:
        return await info.context.loaders.organization_by_id.load(root.partner_organization_id)
    return await info.context.loaders.office_by_id.load(root.partner_office_id)
