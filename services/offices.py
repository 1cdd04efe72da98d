"""Writing UNODC offices: create, update and archive (administrators only).

``parent`` is the global ID of another office (an office cannot sit under
itself, directly or through its children: CYCLE); ``established`` is EDTF text
as precise as the source, stored as its column triple (``models.dates``).
``locations``, when given, replace the office's own: where it sat, each from
``valid_from`` to ``valid_to`` (EDTF, both ends inclusive); a change of them
raises the office's version and is recorded in the same audit entry.
"""

from __future__ import annotations

from typing import Any

from domain import validation
from domain.access import Viewer
from domain.matching import slug_of_name
from domain.user_errors import UserErrorCode
from models import Office, OfficeLocation
from models.dates import partial_date_columns, read_partial_date
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
    values = {name: value for name, value in changes.items() if name not in ("established", "parent", "locations")}
    if "established" in changes and validation.partial_date(changes["established"]) is None:
        values.update(partial_date_columns("established", changes["established"]))
    if "parent" in changes:
        parent = await entities.reference(w, ("input", "parent"), changes["parent"], Office)
        if parent is not None and id is not None and await _under(w, parent.id, id):
            w.problem(("input", "parent"), "An office cannot sit under itself or one of its own units.", UserErrorCode.CYCLE)
        values["parent_id"] = parent.id if parent is not None else None
    return values


LOCATION_FIELDS = ("city", "country", "valid_from", "valid_to", "source")


def _locations(w: Write, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The location rows of ``locations`` (as the audit log shows them), noting every problem."""
    entities.check_list(w, "locations", items)
    rows = []
    for index, item in enumerate(items[: entities.MAX_ITEMS]):
        path = ("input", "locations", str(index))
        checks = {
            "city": validation.text(item.get("city"), longest=120),
            "country": validation.country(item.get("country")) or validation.text(item.get("country"), required=True),
            "valid_from": validation.partial_date(item.get("valid_from")),
            "valid_to": validation.partial_date(item.get("valid_to")),
            "source": validation.text(item.get("source"), longest=500),
        }
        problems = {name: problem for name, problem in checks.items() if problem is not None}
        if not problems:
            order = validation.period(item.get("valid_from"), item.get("valid_to"))
            if order is not None:
                problems["valid_to"] = order
        for name, problem in problems.items():
            w.problem((*path, entities.camel(name)), *problem)
        rows.append({name: item.get(name) for name in LOCATION_FIELDS})
    return rows


async def _current_locations(w: Write, office: Office) -> list[dict[str, Any]]:
    found = await OfficeLocation.filter(office_id=office.id).using_db(w.connection).order_by("valid_from_earliest", "id")
    return [
        {
            "city": row.city,
            "country": row.country,
            "valid_from": _edtf(read_partial_date(row, "valid_from")),
            "valid_to": _edtf(read_partial_date(row, "valid_to")),
            "source": row.source,
        }
        for row in found
    ]


def _edtf(value: Any) -> str | None:
    return value.edtf if value is not None else None


async def _write_locations(w: Write, office: Office, rows: list[dict[str, Any]]) -> None:
    await OfficeLocation.filter(office_id=office.id).using_db(w.connection).delete()
    for row in rows:
        await OfficeLocation.create(
            office_id=office.id,
            city=row["city"],
            country=row["country"],
            source=row["source"],
            **partial_date_columns("valid_from", row["valid_from"]),
            **partial_date_columns("valid_to", row["valid_to"]),
            using_db=w.connection,
        )


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
        locations = _locations(w, changes["locations"]) if changes.get("locations") is not None else []
        w.reject_if_problems()
        if not values.get("slug"):
            values["slug"] = await entities.free_slug(w, Office, slug_of_name(values["name"]))
        office = await Office.create(**values, using_db=w.connection)
        await _write_locations(w, office, locations)
        await w.audit("Office", office.id, None, {"slug": office.slug, **changes})
        return office

    return await entities.reindexed(await write(viewer, "officeCreate", body), "Office")


async def update_office(viewer: Viewer, id: int, version: int, changes: dict[str, Any]) -> Result[Office]:
    """Change an office that is still at ``version``."""

    async def body(w: Write) -> Office:
        entities.require_admin(w, WHAT)
        office = await entities.existing(w, Office, id)
        entities.refuse_archived(w, office)
        values = await _values(w, changes, creating=False, id=id)
        given = "locations" in changes
        locations = _locations(w, changes["locations"] or []) if given else []
        w.reject_if_problems()
        links = ({"locations": await _current_locations(w, office)}, {"locations": locations}) if given else ({}, {})
        updated = await w.update(office, values, version, links=links)
        assert isinstance(updated, Office)
        if given and links[0] != links[1]:
            await _write_locations(w, updated, locations)
        return updated

    return await entities.reindexed(await write(viewer, "officeUpdate", body), "Office")


async def archive_office(viewer: Viewer, id: int, version: int) -> Result[Office]:
    """Archive an office: it leaves public reads (lists, lookups, search, organizers); its history stays."""

    async def body(w: Write) -> Office:
        entities.require_admin(w, WHAT)
        return await entities.archive(w, await entities.existing(w, Office, id), version)

    return await write(viewer, "officeArchive", body)
