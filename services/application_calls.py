"""Writing calls for applications: create, update and archive (administrators only).

``opens_at`` and ``closes_at`` are instants with a UTC offset, stored in UTC;
a call opens before it closes. Events name the call they belong to
(``eventUpdate``'s ``applicationCall``).
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from domain import validation
from domain.access import Viewer
from domain.matching import slug_of_name
from domain.user_errors import UserErrorCode
from models import ApplicationCall
from services import entities
from services.writes import Result, Write, write

CHECKS: dict[str, entities.Check] = {
    **entities.COMMON_CHECKS,
    "reviewed_by": lambda value: validation.text(value, longest=200),
    "opens_at": validation.instant,
    "closes_at": validation.instant,
}
"""The checks of a call's fields, by model field name."""

WHAT = "calls for applications"


def _values(w: Write, changes: dict[str, Any], current: ApplicationCall | None) -> dict[str, Any]:
    """The model values of ``changes``, after noting every problem with them (the order of the two instants too)."""
    entities.check_fields(w, CHECKS, changes, creating=current is None)
    entities.check_not_null(w, ApplicationCall, changes)
    values = dict(changes)
    for name in ("opens_at", "closes_at"):
        if values.get(name) is not None and values[name].tzinfo is not None:
            values[name] = values[name].astimezone(UTC)
    opens = values["opens_at"] if "opens_at" in values else getattr(current, "opens_at", None)
    closes = values["closes_at"] if "closes_at" in values else getattr(current, "closes_at", None)
    if opens is not None and closes is not None and opens.tzinfo is not None and closes.tzinfo is not None and opens >= closes:
        field = "closesAt" if "closes_at" in changes else "opensAt"
        w.problem(("input", field), "A call opens before it closes.", UserErrorCode.DATE_ORDER)
    return values


async def create_application_call(viewer: Viewer, changes: dict[str, Any]) -> Result[ApplicationCall]:
    """A new call; its slug is given or made from its name."""

    async def body(w: Write) -> ApplicationCall:
        entities.require_admin(w, WHAT)
        values = _values(w, changes, None)
        await entities.check_slug(w, ApplicationCall, changes)
        w.reject_if_problems()
        if not values.get("slug"):
            values["slug"] = await entities.free_slug(w, ApplicationCall, slug_of_name(values["name"]))
        call = await ApplicationCall.create(**values, using_db=w.connection)
        await w.audit("ApplicationCall", call.id, None, {"slug": call.slug, **changes})
        return call

    return await write(viewer, "applicationCallCreate", body)


async def update_application_call(viewer: Viewer, id: int, version: int, changes: dict[str, Any]) -> Result[ApplicationCall]:
    """Change a call that is still at ``version``."""

    async def body(w: Write) -> ApplicationCall:
        entities.require_admin(w, WHAT)
        call = await entities.existing(w, ApplicationCall, id)
        entities.refuse_archived(w, call)
        values = _values(w, changes, call)
        await entities.check_slug(w, ApplicationCall, changes, but=id)
        w.reject_if_problems()
        updated = await w.update(call, values, version)
        assert isinstance(updated, ApplicationCall)
        return updated

    return await write(viewer, "applicationCallUpdate", body)


async def archive_application_call(viewer: Viewer, id: int, version: int) -> Result[ApplicationCall]:
    """Archive a call: it leaves public reads (events then show no call); its history stays."""

    async def body(w: Write) -> ApplicationCall:
        entities.require_admin(w, WHAT)
        return await entities.archive(w, await entities.existing(w, ApplicationCall, id), version)

    return await write(viewer, "applicationCallArchive", body)
