"""Field resolvers of organizations that need more than one loader call."""

from __future__ import annotations

import strawberry

from models import FocalPoint, Organization, ThematicArea
from models.enums import Language


async def thematic_areas(root: Organization, info: strawberry.Info) -> list[ThematicArea]:
    """The organization's thematic areas, by name."""
    links = await info.context.loaders.thematic_area_links_by_organization_id.load(root.id)
    return sorted((link.thematic_area for link in links), key=lambda area: area.name)


async def working_languages(root: Organization, info: strawberry.Info) -> list[Language]:
    """The organization's working languages, in the order of the Language enum."""
    links = await info.context.loaders.language_links_by_organization_id.load(root.id)
    order = list(Language)
    return sorted((Language(link.language) for link in links), key=order.index)


async def focal_points(root: Organization, info: strawberry.Info) -> list[FocalPoint] | None:
    """Personal data: None unless the viewer may read it (the one check, in domain.access)."""
    if not info.context.viewer.can_read_personal_data:
        return None
    return await info.context.loaders.focal_points_by_organization_id.load(root.id)
