"""Field resolvers of organizations that need more than one relation."""

from __future__ import annotations

from typing import Any

import strawberry

from domain.access import require_personal_data
from models import Organization, ThematicArea
from models.enums import Language
from queries import relations as r
from queries.pages import Page
from resolvers.relations import page


async def thematic_areas(root: Organization, info: strawberry.Info) -> list[ThematicArea]:
    """The organization's thematic areas, by name."""
    links = await info.context.loaders.many(r.THEMATIC_AREAS_OF_ORGANIZATION).load(root.id)
    areas = await info.context.loaders.one(r.THEMATIC_AREA_BY_ID).load_many([link.thematic_area_id for link in links])
    return sorted((area for area in areas if area is not None), key=lambda area: (area.name, area.id))


async def working_languages(root: Organization, info: strawberry.Info) -> list[Language]:
    """The organization's working languages, in the order of the Language enum."""
    links = await info.context.loaders.many(r.LANGUAGES_OF_ORGANIZATION).load(root.id)
    order = list(Language)
    return sorted((Language(link.language) for link in links), key=order.index)


async def focal_points(root: Organization, info: strawberry.Info, pagination: dict[str, Any]) -> Page:
    """Personal data: Forbidden unless the caller may read this organization's (``domain.access``; the
    relation's rows obey the same rule)."""
    require_personal_data(info.context.viewer, [root.id])
    return await page(root, info, r.FOCAL_POINTS_OF_ORGANIZATION, pagination)
