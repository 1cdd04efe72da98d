"""Writing focal points (personal data): create, update and archive.

Administrators change every organization's focal points; a coalition key
those of its own network's members, at any depth (``Viewer.may_write_focal_points_of``),
nothing else. Every audit entry of a focal point is marked personal: the
audit log shows its values only to those who may read the organization's
personal data.
"""

from __future__ import annotations

from typing import Any

from domain import validation
from domain.access import Viewer
from domain.user_errors import UserErrorCode
from models import FocalPoint, Organization
from services import entities
from services.writes import Result, Write, write

CHECKS: dict[str, entities.Check] = {
    "name": lambda value: validation.text(value, required=True, longest=200),
    "title": lambda value: validation.text(value, longest=200),
    "email": validation.email,
    "phone": validation.phone,
}
"""The checks of a focal point's fields, by model field name."""

REFUSED = "Only administrators, and a coalition for its own network's members, change focal points."


def _require_writer(w: Write) -> None:
    """Refuse callers who change no focal point at all (anonymous callers, staff)."""
    if not w.viewer.may_write_some_focal_points:
        raise w.refuse(None, REFUSED, UserErrorCode.FORBIDDEN)


def _require_scope(w: Write, organization_id: int) -> None:
    if not w.viewer.may_write_focal_points_of(organization_id):
        raise w.refuse(None, "A coalition changes the focal points of its own network's members only.", UserErrorCode.FORBIDDEN)


async def _organization(w: Write, value: str | None) -> Organization | None:
    """The organization a focal point is added to, if the caller may see it and it is not archived."""
    path = ("input", "organization")
    if value is None:
        w.problem(path, "A focal point speaks for an organization: give its ID.", UserErrorCode.REQUIRED)
        return None
    parsed = entities.parse_reference(w, path, value, ["Organization"])
    if parsed is None:
        return None
    row = await Organization.filter(id=parsed[1]).using_db(w.connection).first()
    if row is None or not w.viewer.may_see_organization(row.id, hidden=row.hidden, archived=row.archived_at is not None):
        w.problem(path, f"No Organization has the ID {value!r}.", UserErrorCode.NOT_FOUND)
        return None
    if row.archived_at is not None:
        w.problem(path, f"Organization {value!r} is archived.", UserErrorCode.ARCHIVED)
        return None
    return row


async def create_focal_point(viewer: Viewer, changes: dict[str, Any]) -> Result[FocalPoint]:
    """A new focal point of an organization."""

    async def body(w: Write) -> FocalPoint:
        _require_writer(w)
        organization = await _organization(w, changes.get("organization"))
        if organization is not None:
            _require_scope(w, organization.id)
        entities.check_fields(w, CHECKS, changes, creating=True)
        w.reject_if_problems()
        assert organization is not None
        values = {name: value for name, value in changes.items() if name != "organization"}
        focal_point = await FocalPoint.create(organization_id=organization.id, **values, using_db=w.connection)
        await w.audit("FocalPoint", focal_point.id, None, {"organization_id": organization.id, **values}, personal=True)
        return focal_point

    return await write(viewer, "focalPointCreate", body)


async def _existing(w: Write, id: int) -> FocalPoint:
    focal_point = await entities.existing(w, FocalPoint, id)
    _require_scope(w, focal_point.organization_id)
    return focal_point


async def update_focal_point(viewer: Viewer, id: int, version: int, changes: dict[str, Any]) -> Result[FocalPoint]:
    """Change a focal point that is still at ``version``."""

    async def body(w: Write) -> FocalPoint:
        _require_writer(w)
        focal_point = await _existing(w, id)
        entities.refuse_archived(w, focal_point)
        if "organization" in changes:
            w.problem(("input", "organization"), "A focal point stays with its organization.", UserErrorCode.INVALID)
        entities.check_fields(w, CHECKS, changes, creating=False)
        entities.check_not_null(w, FocalPoint, changes)
        w.reject_if_problems()
        updated = await w.update(focal_point, changes, version, personal=True)
        assert isinstance(updated, FocalPoint)
        return updated

    return await write(viewer, "focalPointUpdate", body)


async def archive_focal_point(viewer: Viewer, id: int, version: int) -> Result[FocalPoint]:
    """Archive a focal point: it leaves every read but staff's; the audit log keeps its history."""

    async def body(w: Write) -> FocalPoint:
        _require_writer(w)
        return await entities.archive(w, await _existing(w, id), version, personal=True)

    return await write(viewer, "focalPointArchive", body)
