"""Writing participations: an organization taking part in an event, in a role (administrators only).

A participation's ``justification`` (why the organization applied) is
personal data: an audit entry holding it is marked personal, and the audit
log shows its values only to those who may read the organization's personal data.
"""

from __future__ import annotations

from typing import Any

from domain import validation
from domain.access import Viewer
from domain.user_errors import UserErrorCode
from models import Event, Organization, Participation
from models.enums import ParticipationRole
from services import entities
from services.writes import Result, Write, write

CHECKS: dict[str, entities.Check] = {
    "justification": lambda value: validation.text(value, longest=5000),
}
"""The checks of a participation's fields, by model field name."""

WHAT = "participations"
FIXED = ("organization", "event")
"""What a participation is of: named when it is made, never changed (archive it and make another)."""


async def _check_free(
    w: Write, organization_id: int, event_id: int, role: ParticipationRole, but: int | None = None
) -> None:
    """Note (TAKEN) a participation of the organization in the event in this role that exists already."""
    query = Participation.filter(organization_id=organization_id, event_id=event_id, role=role)
    if but is not None:
        query = query.exclude(id=but)
    other = await query.using_db(w.connection).first()
    if other is None:
        return
    message = "The organization takes part in the event in this role already"
    if other.archived_at is not None:
        message += " (in an archived participation: choose another role)"
    w.problem(("input", "role"), message + ".", UserErrorCode.TAKEN)


async def create_participation(viewer: Viewer, changes: dict[str, Any]) -> Result[Participation]:
    """A new participation of an organization in an event."""

    async def body(w: Write) -> Participation:
        entities.require_admin(w, WHAT)
        for name in FIXED:
            if changes.get(name) is None:
                w.problem(("input", name), "A value is required.", UserErrorCode.REQUIRED)
        organization = await entities.reference(w, ("input", "organization"), changes.get("organization"), Organization)
        event = await entities.reference(w, ("input", "event"), changes.get("event"), Event)
        entities.check_fields(w, CHECKS, changes, creating=True, required=())
        role = changes.get("role") or ParticipationRole.ATTENDEE
        if organization is not None and event is not None:
            await _check_free(w, organization.id, event.id, role)
        w.reject_if_problems()
        assert organization is not None and event is not None
        values = {"role": role, "justification": changes.get("justification")}
        participation = await Participation.create(
            organization_id=organization.id, event_id=event.id, **values, using_db=w.connection
        )
        after = {"organization_id": organization.id, "event_id": event.id, **values}
        await w.audit("Participation", participation.id, None, after, personal=values["justification"] is not None)
        return participation

    return await write(viewer, "participationCreate", body)


async def update_participation(viewer: Viewer, id: int, version: int, changes: dict[str, Any]) -> Result[Participation]:
    """Change a participation's role or justification while it is still at ``version``."""

    async def body(w: Write) -> Participation:
        entities.require_admin(w, WHAT)
        participation = await entities.existing(w, Participation, id)
        entities.refuse_archived(w, participation)
        for name in FIXED:
            if name in changes:
                w.problem(("input", name), f"A participation keeps its {name}: archive it and add another.", UserErrorCode.INVALID)
        entities.check_fields(w, CHECKS, changes, creating=False, required=())
        entities.check_not_null(w, Participation, changes)
        if changes.get("role") is not None:
            await _check_free(w, participation.organization_id, participation.event_id, changes["role"], but=id)
        w.reject_if_problems()
        personal = "justification" in changes and changes["justification"] != participation.justification
        updated = await w.update(participation, changes, version, personal=personal)
        assert isinstance(updated, Participation)
        return updated

    return await write(viewer, "participationUpdate", body)


async def archive_participation(viewer: Viewer, id: int, version: int) -> Result[Participation]:
    """Archive a participation: it leaves every read but staff's; its history stays."""

    async def body(w: Write) -> Participation:
        entities.require_admin(w, WHAT)
        return await entities.archive(w, await entities.existing(w, Participation, id), version)

    return await write(viewer, "participationArchive", body)
