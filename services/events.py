"""Writing events: create, update and archive (administrators only), with their dates, languages and organizers.

An event's links are given whole: ``dates`` (each an EDTF range at the
source's precision, ``domain.events.read_range``, with optional Vienna local
times), ``languages`` (UN codes, SP read as ES) and ``organizers`` (global IDs
of organizations or offices, each with a role) replace the event's own when
given, and are left as they are when omitted. A change of any of them raises
the event's version like a change of its fields, and is recorded in the same
audit entry.
"""

from __future__ import annotations

from typing import Any

from tortoise.models import Model

from domain import validation
from domain.access import Viewer
from domain.events import first_date_of, read_range, vienna_time
from domain.ids import global_id
from domain.matching import slug_of_name
from domain.user_errors import UserErrorCode
from models import (
    ApplicationCall,
    Event,
    EventDate,
    EventLanguage,
    EventOrganizer,
    GoverningBody,
    Instrument,
    Office,
    Organization,
    Programme,
)
from models.enums import Language, OrganizerRole
from services import entities
from services.audit import json_value
from services.writes import Result, Write, write

CHECKS: dict[str, entities.Check] = {
    **entities.COMMON_CHECKS,
    "venue": lambda value: validation.text(value, longest=200),
    "city": lambda value: validation.text(value, longest=120),
    "country": validation.country,
    "audience": lambda value: validation.text(value, longest=200),
}
"""The checks of an event's own fields, by model field name."""

REFERENCES: dict[str, type[Model]] = {
    "margins_of": Event,
    "governing_body": GoverningBody,
    "instrument": Instrument,
    "programme": Programme,
    "application_call": ApplicationCall,
}
"""Fields naming another record by its global ID, and the type it must be."""

LINKS = ("dates", "languages", "organizers")
WHAT = "events"


async def _values(w: Write, changes: dict[str, Any], *, creating: bool, id: int | None = None) -> dict[str, Any]:
    """The model values of the event's own fields in ``changes``, after noting every problem with them."""
    entities.check_fields(w, CHECKS, changes, creating=creating, required=("name", "kind"))
    number = changes.get("session_number")
    if number is not None and not 1 <= number <= 10_000:
        w.problem(("input", "sessionNumber"), "A session number between 1 and 10000.", UserErrorCode.INVALID)
    await entities.check_slug(w, Event, changes, but=id)
    entities.check_not_null(w, Event, changes)
    values = {name: value for name, value in changes.items() if name not in REFERENCES and name not in LINKS}
    for name, model in REFERENCES.items():
        if name in changes:
            row = await entities.reference(w, ("input", entities.camel(name)), changes[name], model)
            values[f"{name}_id"] = row.pk if row is not None else None
    margins_of = values.get("margins_of_id")
    if margins_of is not None and id is not None and await _in_margins_of(w, margins_of, id):
        w.problem(("input", "marginsOf"), "An event cannot be held in its own margins.", UserErrorCode.CYCLE)
    return values


async def _in_margins_of(w: Write, event_id: int, host_id: int) -> bool:
    """Whether ``event_id`` is ``host_id`` or held in its margins at any depth."""
    seen: set[int] = set()
    current: int | None = event_id
    while current is not None and current not in seen:
        if current == host_id:
            return True
        seen.add(current)
        event = await Event.filter(id=current).using_db(w.connection).only("id", "margins_of_id").first()
        current = event.margins_of_id if event is not None else None
    return False


def _dates(w: Write, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The date rows of ``dates``, after noting every problem with them."""
    entities.check_list(w, "dates", items)
    rows = []
    for index, item in enumerate(items[: entities.MAX_ITEMS]):
        path = ("input", "dates", str(index))
        problem = validation.event_range(item["edtf"])
        if problem is not None:
            w.problem((*path, "edtf"), *problem)
            continue
        start, end, exact = read_range(item["edtf"])
        start_time, end_time = item.get("start_time"), item.get("end_time")
        if start_time is not None and end_time is not None and start == end and end_time <= start_time:
            w.problem((*path, "endTime"), "The event ends before it starts on its day.", UserErrorCode.DATE_ORDER)
        rows.append({
            "start_date": start,
            "end_date": end,
            "exact": exact,
            "start_time": vienna_time(start_time, start) if start_time is not None else None,
            "end_time": vienna_time(end_time, end) if end_time is not None else None,
        })  # fmt: skip
    return rows


def _languages(w: Write, items: list[str]) -> list[Language]:
    entities.check_list(w, "languages", items, validation.language)
    found = [validation.language_of(item) for item in items[: entities.MAX_ITEMS]]
    return sorted({language for language in found if language is not None}, key=list(Language).index)


async def _organizers(w: Write, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The organizer rows of ``organizers`` (organizations or offices, by global ID), noting every problem."""
    entities.check_list(w, "organizers", items)
    rows: list[dict[str, Any]] = []
    for index, item in enumerate(items[: entities.MAX_ITEMS]):
        path = ("input", "organizers", str(index), "organizer")
        parsed = entities.parse_reference(w, path, item["organizer"], ("Organization", "Office"))
        if parsed is None:
            continue
        model = Organization if parsed[0] == "Organization" else Office
        row = await entities.reference(w, path, item["organizer"], model)
        if row is None:
            continue
        key = "organization_id" if model is Organization else "office_id"
        organizer = {"organization_id": None, "office_id": None, key: row.pk, "role": item["role"]}
        if organizer in rows:
            w.problem(path, "The organizer is named twice in the same role.", UserErrorCode.INVALID)
            continue
        rows.append(organizer)
    return rows


def _shown_dates(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Date rows as the audit log records them: the range in EDTF and the times."""
    shown = []
    for row in rows:
        start, end = row["start_date"].isoformat(), row["end_date"].isoformat()
        edtf = (start if start == end else f"{start}/{end}") if row["exact"] else f"[{start}..{end}]"
        shown.append({"edtf": edtf, "startTime": json_value(row["start_time"]), "endTime": json_value(row["end_time"])})
    return shown


def _shown_organizers(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "organizer": global_id("Organization", row["organization_id"])
            if row["organization_id"] is not None
            else global_id("Office", row["office_id"]),
            "role": json_value(row["role"]),
        }
        for row in rows
    ]


async def _links(w: Write, changes: dict[str, Any]) -> dict[str, Any]:
    """The link rows ``changes`` gives (dates, languages, organizers), each checked."""
    links: dict[str, Any] = {}
    if changes.get("dates") is not None:
        links["dates"] = _dates(w, changes["dates"])
    if changes.get("languages") is not None:
        links["languages"] = _languages(w, changes["languages"])
    if changes.get("organizers") is not None:
        links["organizers"] = await _organizers(w, changes["organizers"])
    return links


def _shown(links: dict[str, Any]) -> dict[str, Any]:
    """Links as the audit log records them."""
    shown: dict[str, Any] = {}
    if "dates" in links:
        shown["dates"] = _shown_dates(links["dates"])
    if "languages" in links:
        shown["languages"] = [language.value for language in links["languages"]]
    if "organizers" in links:
        shown["organizers"] = _shown_organizers(links["organizers"])
    return shown


async def _current_links(w: Write, event: Event, names: list[str]) -> dict[str, Any]:
    """The event's link rows of the kinds named, as ``_links`` gives them."""
    links: dict[str, Any] = {}
    if "dates" in names:
        dates = await EventDate.filter(event_id=event.id).using_db(w.connection).order_by("start_date", "id")
        links["dates"] = [
            {name: getattr(row, name) for name in ("start_date", "end_date", "exact", "start_time", "end_time")}
            for row in dates
        ]
    if "languages" in names:
        languages = await EventLanguage.filter(event_id=event.id).using_db(w.connection)
        links["languages"] = sorted((Language(row.language) for row in languages), key=list(Language).index)
    if "organizers" in names:
        organizers = await EventOrganizer.filter(event_id=event.id).using_db(w.connection).order_by("id")
        links["organizers"] = [
            {"organization_id": row.organization_id, "office_id": row.office_id, "role": OrganizerRole(row.role)}
            for row in organizers
        ]
    return links


async def _write_links(w: Write, event: Event, links: dict[str, Any]) -> None:
    """Replace the event's link rows of the kinds given."""
    connection = w.connection
    if "dates" in links:
        await EventDate.filter(event_id=event.id).using_db(connection).delete()
        for row in links["dates"]:
            await EventDate.create(event_id=event.id, **row, using_db=connection)
        ranges = [EventDate(**row) for row in links["dates"]]
        await Event.filter(id=event.id).using_db(connection).update(first_date=first_date_of(ranges))
        event.first_date = first_date_of(ranges)
    if "languages" in links:
        await EventLanguage.filter(event_id=event.id).using_db(connection).delete()
        for language in links["languages"]:
            await EventLanguage.create(event_id=event.id, language=language, using_db=connection)
    if "organizers" in links:
        await EventOrganizer.filter(event_id=event.id).using_db(connection).delete()
        for row in links["organizers"]:
            await EventOrganizer.create(event_id=event.id, **row, using_db=connection)


async def create_event(viewer: Viewer, changes: dict[str, Any]) -> Result[Event]:
    """A new event; its slug is given or made from its name."""

    async def body(w: Write) -> Event:
        entities.require_admin(w, WHAT)
        values = await _values(w, changes, creating=True)
        links = await _links(w, changes)
        w.reject_if_problems()
        if not values.get("slug"):
            values["slug"] = await entities.free_slug(w, Event, slug_of_name(values["name"]))
        event = await Event.create(**values, using_db=w.connection)
        await _write_links(w, event, links)
        own = {name: value for name, value in changes.items() if name not in LINKS}
        await w.audit("Event", event.id, None, {"slug": event.slug, **own, **_shown(links)})
        return event

    return await entities.reindexed(await write(viewer, "eventCreate", body), "Event")


async def update_event(viewer: Viewer, id: int, version: int, changes: dict[str, Any]) -> Result[Event]:
    """Change an event that is still at ``version``."""

    async def body(w: Write) -> Event:
        entities.require_admin(w, WHAT)
        event = await entities.existing(w, Event, id)
        entities.refuse_archived(w, event)
        values = await _values(w, changes, creating=False, id=id)
        links = await _links(w, changes)
        w.reject_if_problems()
        before = await _current_links(w, event, list(links))
        updated = await w.update(event, values, version, links=(_shown(before), _shown(links)))
        assert isinstance(updated, Event)
        if _shown(before) != _shown(links):
            await _write_links(w, updated, links)
        return updated

    return await entities.reindexed(await write(viewer, "eventUpdate", body), "Event")


async def archive_event(viewer: Viewer, id: int, version: int) -> Result[Event]:
    """Archive an event: it leaves public reads (lists, lookups, search, the calendar); its history stays."""

    async def body(w: Write) -> Event:
        entities.require_admin(w, WHAT)
        return await entities.archive(w, await entities.existing(w, Event, id), version)

    return await write(viewer, "eventArchive", body)
