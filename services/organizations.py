"""Writing organizations: create, update and archive (administrators only).

Changes are plain dicts of model field names; a field absent from the dict is
left as it is, a None clears it. ``founded`` is EDTF text as precise as the
source, stored as its column triple (``models.dates``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from domain import validation
from domain.access import Viewer
from domain.matching import slug_of_name
from domain.user_errors import UserErrorCode
from models import Organization
from models.dates import partial_date_columns
from services import entities
from services.writes import Result, Write, write

CHECKS = {
    "name": lambda value: validation.text(value, required=True),
    "acronym": lambda value: validation.text(value, longest=40),
    "city": lambda value: validation.text(value, longest=120),
    "country": validation.country,
    "website": validation.url,
    "founded": validation.partial_date,
    "slug": validation.slug,
}
"""The checks of an organization's fields, by model field name."""


def _require_admin(w: Write) -> None:
    if not w.viewer.may_write_everything:
        raise w.refuse(None, "Only administrators change organizations; coalitions change their member lists.", UserErrorCode.FORBIDDEN)


def _checked(w: Write, changes: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """The model values of ``changes``, after noting every problem with them."""
    for name, check in CHECKS.items():
        if name in changes or (creating and name == "name"):
            problem = check(changes.get(name))
            if problem is not None:
                w.problem(("input", _camel(name)), *problem)
    entities.check_not_null(w, Organization, changes)
    ecosoc_since = changes.get("ecosoc_since")
    if ecosoc_since is not None and not 1946 <= ecosoc_since <= 2100:
        w.problem(("input", "ecosocSince"), "A year between 1946 and 2100.", UserErrorCode.INVALID)
    values = {name: value for name, value in changes.items() if name != "founded"}
    if "founded" in changes and validation.partial_date(changes["founded"]) is None:
        values.update(partial_date_columns("founded", changes["founded"]))
    return values


async def _free_slug(base: str) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever no organization has yet."""
    candidate, number = base, 1
    while await _slug_taken(candidate):
        number += 1
        candidate = f"{base}-{number}"
    return candidate


async def _slug_taken(slug: str, but: int | None = None) -> bool:
    query = Organization.filter(slug=slug)
    if but is not None:
        query = query.exclude(id=but)
    return await query.exists()


async def create_organization(viewer: Viewer, changes: dict[str, Any]) -> Result[Organization]:
    """A new organization; its slug is given or made from its name."""

    async def body(w: Write) -> Organization:
        _require_admin(w)
        values = _checked(w, changes, creating=True)
        if changes.get("slug") and validation.slug(changes["slug"]) is None and await _slug_taken(changes["slug"]):
            w.problem(("input", "slug"), f"The slug {changes['slug']!r} is taken.", UserErrorCode.TAKEN)
        w.reject_if_problems()
        if not values.get("slug"):
            values["slug"] = await _free_slug(slug_of_name(values["name"]))
        organization = await Organization.create(**values, using_db=w.connection)
        await w.audit("Organization", organization.id, None, {"slug": organization.slug, **changes})
        return organization

    return await entities.reindexed(await write(viewer, "organizationCreate", body), "Organization")


async def update_organization(viewer: Viewer, id: int, version: int, changes: dict[str, Any]) -> Result[Organization]:
    """Change an organization that is still at ``version``."""

    async def body(w: Write) -> Organization:
        _require_admin(w)
        organization = await Organization.filter(id=id).using_db(w.connection).first()
        if organization is None:
            raise w.refuse(("id",), "No organization has this id.", UserErrorCode.NOT_FOUND)
        values = _checked(w, changes, creating=False)
        if changes.get("slug") and validation.slug(changes["slug"]) is None and await _slug_taken(changes["slug"], but=id):
            w.problem(("input", "slug"), f"The slug {changes['slug']!r} is taken.", UserErrorCode.TAKEN)
        if "name" in changes and changes["name"] is None:
            w.problem(("input", "name"), "An organization keeps a name.", UserErrorCode.REQUIRED)
        w.reject_if_problems()
        updated = await w.update(organization, values, version)
        assert isinstance(updated, Organization)
        return updated

    return await entities.reindexed(await write(viewer, "organizationUpdate", body), "Organization")


async def archive_organization(viewer: Viewer, id: int, version: int) -> Result[Organization]:
    """Archive an organization: it leaves public reads; its ties stay for the record."""

    async def body(w: Write) -> Organization:
        _require_admin(w)
        organization = await Organization.filter(id=id).using_db(w.connection).first()
        if organization is None:
            raise w.refuse(("id",), "No organization has this id.", UserErrorCode.NOT_FOUND)
        if organization.archived_at is not None:
            raise w.refuse(("id",), "The organization is archived already.", UserErrorCode.ARCHIVED)
        updated = await w.update(organization, {"archived_at": datetime.now(UTC)}, version)
        assert isinstance(updated, Organization)
        return updated

    return await write(viewer, "organizationArchive", body)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)
