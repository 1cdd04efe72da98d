"""Writing UNODC offices: create, update and archive (administrators only).

``parent`` is the global ID of another office (an office cannot sit under
itself, directly or through its children: CYCLE); ``established`` is EDTF text
as precise as the source, stored as its column triple (``models.dates``).
"""

from __future__ import annotations

from typing import Any

from domain import validation
from domain.access import Viewer
from domain.matching import slug_of_name
from domain.user_errors import UserErrorCode
from models import Office
from models.dates import partial_date_columns
from services import entities
from services.writes import Result, Write, write

CHECKS: dict[str, entities.Check] = {
    **entities.COMMON_CHECKS,
    "established": validation.partial_date,
}
"""The checks of an office's fields, by model field name."""

WHAT = "offices"


async def _values(w: Write, changes: dict[str, Any], *, creating: bool, id: int | None = None) -> dict[str, Any]:
    """The model values of ``changes``, after noting every problem with them."""
    entities.check_fields(w, CHECKS, changes, creating=creating, required=("name", "kind"))
    codes = changes.get("project_codes")
    if codes is not None:
        entities.check_list(w, "project_codes", codes, lambda code: validation.text(code, required=True, longest=40))
    await entities.check_slug(w, Office, changes, but=id)
    entities.check_not_null(w, Office, changes)
    values = {name: value for name, value in changes.items() if name not in ("established", "parent")}
    if "established" in changes and validation.partial_date(changes["established"]) is None:
        values.update(partial_date_columns("established", changes["established"]))
    if "parent" in changes:
        parent = await entities.reference(w, ("input", "parent"), changes["parent"], Office)
        if parent is not None and id is not None and await _under(w, parent.id, id):
            w.problem(("input", "parent"), "An office cannot sit under itself or one of its own units.", UserErrorCode.CYCLE)
        values["parent_id"] = parent.id if parent is not None else None
    return values


async def _under(w: Write, office_id: int, ancestor_id: int) -> bool:
    """Whether ``office_id`` is ``ancestor_id`` or one of its units at any depth (the chart is small: walk it)."""
    seen: set[int] = set()
    current: int | None = office_id
    while current is not None and current not in seen:
        if current == ancestor_id:
            return True
        seen.add(current)
        office = await Office.filter(id=current).using_db(w.connection).only("id", "parent_id").first()
        current = office.parent_id if office is not None else None
    return False


async def create_office(viewer: Viewer, changes: dict[str, Any]) -> Result[Office]:
    """A new office; its slug is given or made from its name."""

    async def body(w: Write) -> Office:
        entities.require_admin(w, WHAT)
        values = await _values(w, changes, creating=True)
        w.reject_if_problems()
        if not values.get("slug"):
            values["slug"] = await entities.free_slug(w, Office, slug_of_name(values["name"]))
        office = await Office.create(**values, using_db=w.connection)
        await w.audit("Office", office.id, None, {"slug": office.slug, **changes})
        return office

    return await write(viewer, "officeCreate", body)


async def update_office(viewer: Viewer, id: int, version: int, changes: dict[str, Any]) -> Result[Office]:
    """Change an office that is still at ``version``."""

    async def body(w: Write) -> Office:
        entities.require_admin(w, WHAT)
        office = await entities.existing(w, Office, id)
        entities.refuse_archived(w, office)
        values = await _values(w, changes, creating=False, id=id)
        w.reject_if_problems()
        updated = await w.update(office, values, version)
        assert isinstance(updated, Office)
        return updated

    return await write(viewer, "officeUpdate", body)


async def archive_office(viewer: Viewer, id: int, version: int) -> Result[Office]:
    """Archive an office: it leaves public reads (lists, lookups, search, organizers); its history stays."""

    async def body(w: Write) -> Office:
        entities.require_admin(w, WHAT)
        return await entities.archive(w, await entities.existing(w, Office, id), version)

    return await write(viewer, "officeArchive", body)
