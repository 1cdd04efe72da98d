"""Load the directory's data (``data/unodc.json`` and the networks' member lists) into the database.

The data file holds one list per kind of record. Records refer to each other
by slug, and keys are the model field names in camelCase (``yearEstablished``).
Beside it, ``networks/<network slug>.json`` holds each network's member list
(``domain.member_lists``), applied by ``services.member_lists``.
Loading runs in one transaction and is idempotent:

- entities are upserted by slug and saved only when a value differs, so a
  second run leaves ``updated_at`` alone; entities missing from the file stay;
- link rows (office locations, event dates, languages, organizers and
  participants, thematic areas) are reconciled: missing rows are inserted,
  rows no longer in the file deleted, the rest left untouched;
- memberships and partnerships are reconciled the same way, but only the
  rows the data maintains: ``origin`` ``fixture`` for those of the data
  file, ``list:<network slug>`` for those of a member list. Rows added
  otherwise (synthetic data, origin null), and the ties of a list with no
  file here, are left alone. A tie lives in one place: the data file, the
  member's list (``partOf``) or the network's (``members``);
- an organization that several lists name is one organization with a tie
  in each (``domain.matching``). Its fields: data/unodc.json's values win,
  then the lists, networks' own records first, then members, in file name
  order, give the fields still empty; an organization that is not in
  data/unodc.json takes what the lists state, and keeps the other fields;
- membership cycles are refused, over every stored membership;
- when anything was written, the search index is rebuilt in the same
  transaction (``services.search_index.reindex``).

Conventions of the file: dated facts (``founded``, ``since``, ``validTo``...)
are EDTF text exactly as precise as the source (``2011``, ``2006-08``,
``[2010..2011]``, see ``models.dates``), and a record's ``evidence`` quotes the
source's words for each of them (checked by the tests, never stored); event
date ranges are ISO days, inclusive (``endDate`` defaults to ``startDate``),
with ``exact: false`` when the event is only known to fall within them;
datetimes carry a UTC offset and are stored in UTC; event times without an
offset are Vienna local time on their day; languages are UN codes, and ``SP``
is read as ``ES``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timezone
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.fields import BooleanField, DateField, DatetimeField, IntField, JSONField
from tortoise.fields.data import CharEnumFieldInstance
from tortoise.models import Model
from tortoise.transactions import in_transaction

from domain.events import first_date_of
from domain.member_lists import MemberList, MemberListError, parse
from models import (
    ApplicationCall,
    Event,
    EventDate,
    EventLanguage,
    EventOrganizer,
    GoverningBody,
    Instrument,
    Membership,
    Office,
    OfficeLocation,
    OfficeName,
    Organization,
    OrganizationLanguage,
    OrganizationName,
    OrganizationThematicArea,
    Participation,
    Partnership,
    Programme,
    ThematicArea,
)
from models.base import FIXTURE_ORIGIN, Entity
from models.dates import partial_date_columns
from models.enums import LANGUAGE_ALIASES, Language
from models.search import SearchDocument
from models.validators import validate_slug
from services.member_lists import (
    NetworkReport,
    ResolvedList,
    known,
    known_organizations,
    organization_ids,
    resolve,
    save_organizations,
    stated_values,
    stored_cycle,
    tie_reconciliation,
)
from services.reconcile import Counts, Reconciliation, reconcile, save_changes
from services.search_index import reindex

LOCAL_TIME_ZONE = "Europe/Vienna"
"""Zone of event times written without a UTC offset."""

_MISSING = object()


class FixtureError(Exception):
    """The data file is invalid; the database was left as it was."""

    def __init__(self, section: str, slug: str, problem: str) -> None:
        super().__init__(f"{section} {slug!r}: {problem}")
        self.section = section
        self.slug = slug
        self.problem = problem


NETWORKS_FOLDER = "networks"
"""Folder of the member lists, beside the data file: one ``<network slug>.json`` each."""

_COUNTS = ("created", "updated", "unchanged", "deleted")


@dataclass
class LoadReport:
    """Counts per section (entity kinds and their link rows, e.g. ``events.dates``), and per member list."""

    sections: dict[str, Counts] = field(default_factory=dict)
    networks: dict[str, NetworkReport] = field(default_factory=dict)
    """By network slug: its members matched or created, and what happened to its ties."""

    def section(self, name: str) -> Counts:
        """The counts of one section, created on first use."""
        return self.sections.setdefault(name, Counts())

    @property
    def total(self) -> Counts:
        """The counts summed over all sections and lists' ties."""
        total = Counts()
        for counts in [*self.sections.values(), *(network.ties for network in self.networks.values())]:
            total.add(counts)
        return total

    @property
    def changed(self) -> bool:
        """Whether the load wrote anything."""
        return self.total.changed

    def __str__(self) -> str:
        width = max(len(name) for name in [*self.sections, "total"])
        lines = [f"{'section':<{width}}  " + "  ".join(f"{name:>9}" for name in _COUNTS)]
        for name, counts in [*self.sections.items(), ("total", self.total)]:
            lines.append(f"{name:<{width}}  " + "  ".join(f"{getattr(counts, column):>9}" for column in _COUNTS))
        if self.networks:
            width = max(len(name) for name in [*self.networks, "network"])
            head = ["matched", "created", *(f"ties {name}" for name in _COUNTS)]
            lines.append("")
            lines.append(f"{'network':<{width}}  " + "  ".join(f"{name:>14}" for name in head))
            for name, network in self.networks.items():
                values = [network.matched, network.created, *(getattr(network.ties, column) for column in _COUNTS)]
                lines.append(f"{name:<{width}}  " + "  ".join(f"{value:>14}" for value in values))
        return "\n".join(lines)


M = TypeVar("M", bound=Model)

Listed = Entity | ThematicArea
"""A model whose records the file lists by slug (``ENTITIES``)."""


@dataclass(frozen=True)
class Spec(Generic[M]):
    """How the records of one list in the file map onto a model."""

    name: str
    model: type[M]
    fields: tuple[str, ...] = ()
    refs: Mapping[str, str] = field(default_factory=dict)
    """Foreign key -> section whose slugs it holds."""
    extra: tuple[str, ...] = ()
    """Further keys a record may have, handled by the caller."""
    key: tuple[str, ...] = ()
    """For link rows: the attributes that identify a row."""
    dates: tuple[str, ...] = ()
    """Dated facts, EDTF text in the file, stored as a column triple each (``models.dates``)."""

    def keys(self) -> set[str]:
        """The keys a record of this spec may have."""
        return {_camel(name) for name in (*self.fields, *self.refs, *self.dates)} | set(self.extra) | {"evidence"}


_ENTITY_FIELDS = ("name", "acronym", "aliases", "description", "source", "verified")


def _entity(
    name: str,
    model: type[Entity],
    own: tuple[str, ...],
    refs: Mapping[str, str] | None = None,
    links: tuple[str, ...] = (),
    dates: tuple[str, ...] = (),
) -> Spec[Listed]:
    """The spec of an entity list: the shared entity fields, ``own`` fields, a slug and link lists."""
    return Spec(name, model, _ENTITY_FIELDS + own, refs or {}, ("slug", *links), dates=dates)


ENTITIES: tuple[Spec[Listed], ...] = (
    Spec("thematicAreas", ThematicArea, ("name",), extra=("slug",)),
    _entity(
        "offices", Office, ("kind", "project_codes"), {"parent": "offices"}, ("locations", "formerNames"), ("established",)
    ),
    _entity("instruments", Instrument, ("kind",), {"parent": "instruments"}, dates=("adopted", "in_force")),
    _entity(
        "governingBodies",
        GoverningBody,
        ("kind", "ngo_admission_rule", "established_by"),
        {"parent": "governingBodies", "secretariat": "offices", "instrument": "instruments"},
    ),
    _entity("programmes", Programme, ("code", "website"), {"office": "offices"}, dates=("started",)),
    _entity(
        "organizations",
        Organization,
        ("kind", "country", "city", "website", "ecosoc_status", "ecosoc_since", "hidden"),
        links=("thematicAreas", "languages", "formerNames"),
        dates=("founded",),
    ),
    _entity(
        "applicationCalls",
        ApplicationCall,
        ("opens_at", "closes_at", "ecosoc_status_required", "reviewed_by", "travel_support_available"),
    ),
    _entity(
        "events",
        Event,
        ("kind", "format", "venue", "city", "country", "audience", "session_number"),
        {
            "margins_of": "events",
            "governing_body": "governingBodies",
            "instrument": "instruments",
            "programme": "programmes",
            "application_call": "applicationCalls",
        },
        ("dates", "languages", "organizers", "participants"),
    ),
)
"""Entity lists, in loading order: a list refers only to itself and to lists above it."""

_VALIDITY = ("valid_from", "valid_to")
_VALIDITY_KEY = ("valid_from_edtf", "valid_to_edtf")
LOCATIONS = Spec(
    "offices.locations", OfficeLocation, ("city", "country", "source"), key=("city", "country", *_VALIDITY_KEY), dates=_VALIDITY
)
OFFICE_NAMES = Spec("offices.formerNames", OfficeName, ("name", "source"), key=("name", *_VALIDITY_KEY), dates=_VALIDITY)
ORGANIZATION_NAMES = Spec(
    "organizations.formerNames", OrganizationName, ("name", "source"), key=("name", *_VALIDITY_KEY), dates=_VALIDITY
)
ORGANIZERS = Spec(
    "events.organizers",
    EventOrganizer,
    ("role",),
    {"organization": "organizations", "office": "offices"},
    key=("organization_id", "office_id", "role"),
)
THEMATIC_AREAS = Spec("organizations.thematicAreas", OrganizationThematicArea, key=("thematic_area_id",))
ORGANIZATION_LANGUAGES = Spec("organizations.languages", OrganizationLanguage, key=("language",))
EVENT_DATES = Spec("events.dates", EventDate, ("exact",), key=("start_date", "end_date", "start_time", "end_time"))
EVENT_LANGUAGES = Spec("events.languages", EventLanguage, key=("language",))
PARTICIPANTS = Spec(
    "events.participants", Participation, ("role",), {"organization": "organizations"}, key=("organization_id", "role")
)
MEMBERSHIPS = Spec(
    "memberships",
    Membership,
    ("type", "source"),
    {"member": "organizations", "network": "organizations"},
    key=("member_id", "network_id", "since_edtf"),
    dates=("since", "until"),
)
PARTNERSHIPS = Spec(
    "partnerships",
    Partnership,
    ("kind", "basis", "source"),
    {
        "office": "offices",
        "partner_organization": "organizations",
        "partner_office": "offices",
        "programme": "programmes",
    },
    key=("office_id", "partner_organization_id", "partner_office_id", "kind", "programme_id"),
    dates=("since", "until"),
)
SECTIONS = {spec.name for spec in ENTITIES} | {MEMBERSHIPS.name, PARTNERSHIPS.name}


@dataclass(frozen=True)
class DateRange:
    """One inclusive date range of an event, as the file gives it."""

    start_date: date
    end_date: date
    start_time: time | None = None
    end_time: time | None = None
    exact: bool = True


async def load_fixture(path: Path, networks: Path | None = None) -> LoadReport:
    """Load the data file at ``path``, then every member list in ``networks`` (Tortoise must be initialised).

    ``networks`` defaults to the ``networks`` folder beside the data file
    (no lists when there is none). Everything happens in one transaction: on
    any error nothing is written and a ``FixtureError`` names the section and
    the offending record.
    """
    data = read_fixture(path)
    lists = read_member_lists(path.parent / NETWORKS_FOLDER if networks is None else networks)
    report = LoadReport()
    async with in_transaction():
        await _Loader(data, report, lists).run()
        if report.changed or not await SearchDocument.exists():
            await reindex()
    return report


def read_fixture(path: Path) -> dict[str, Any]:
    """The parsed file, checked to be an object of known lists."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise FixtureError("file", str(path), str(error)) from error
    if not isinstance(data, dict):
        raise FixtureError("file", str(path), "expected a JSON object with one list per section")
    for name, records in data.items():
        if name == "about":
            continue
        if name not in SECTIONS:
            raise FixtureError("file", str(path), f"unknown section {name!r}; expected {', '.join(sorted(SECTIONS))}")
        if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
            raise FixtureError(name, "*", "expected a list of objects")
    return data


def read_member_lists(folder: Path) -> list[MemberList]:
    """The member lists of ``folder`` (``<network slug>.json`` each), parsed, in file name order; none without it."""
    if not folder.is_dir():
        return []
    lists = []
    for path in sorted(folder.glob("*.json")):
        try:
            member_list = parse(json.loads(path.read_text(encoding="utf-8")), path.stem)
        except (OSError, ValueError) as error:
            record = error.record if isinstance(error, MemberListError) else path.name
            problem = error.problem if isinstance(error, MemberListError) else str(error)
            raise FixtureError(NETWORKS_FOLDER, record, problem) from error
        if member_list.network.slug != path.stem:
            problem = f"the file of network {member_list.network.slug!r} must be named {member_list.network.slug}.json"
            raise FixtureError(NETWORKS_FOLDER, path.name, problem)
        lists.append(member_list)
    return lists


@contextmanager
def _record(section: str, slug: str) -> Iterator[None]:
    """Turn any error raised while handling one record into a ``FixtureError`` naming it."""
    try:
        yield
    except FixtureError:
        raise
    except Exception as error:
        raise FixtureError(section, slug, f"{type(error).__name__}: {error}") from error


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _check_keys(record: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = set(record) - allowed
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}; expected some of {sorted(allowed)}")


def _default(model: type[Model], name: str) -> Any:
    """The value of a field the record leaves out."""
    model_field = model._meta.fields_map[name]
    if model_field.default is not None:
        return model_field.default() if callable(model_field.default) else model_field.default
    if not model_field.null:
        raise ValueError(f"{_camel(name)} is required")
    return None


def _value(model: type[Model], name: str, raw: Any) -> Any:
    """A value of the file converted to what the model field holds and returns."""
    if raw is _MISSING:
        return _default(model, name)
    model_field = model._meta.fields_map[name]
    if raw is None:
        if not model_field.null:
            raise ValueError(f"{_camel(name)} may not be null")
        return None
    if isinstance(model_field, CharEnumFieldInstance):
        return model_field.enum_type(raw)
    if isinstance(model_field, DatetimeField):
        return _utc_datetime(raw)
    if isinstance(model_field, DateField):
        return date.fromisoformat(raw)
    expected: type = str
    if isinstance(model_field, BooleanField):
        expected = bool
    elif isinstance(model_field, IntField):
        expected = int
    elif isinstance(model_field, JSONField):
        expected = list
    if not isinstance(raw, expected) or (expected is int and isinstance(raw, bool)):
        raise ValueError(f"{_camel(name)} must be of type {expected.__name__}, not {raw!r}")
    return raw


def _utc_datetime(raw: str) -> datetime:
    """An ISO 8601 datetime that states its UTC offset, converted to UTC."""
    value = datetime.fromisoformat(raw)
    if value.tzinfo is None:
        raise ValueError(f"datetime {raw!r} needs a UTC offset, e.g. 2023-02-13T00:00:00+01:00")
    return value.astimezone(UTC)


def _local_time(raw: str | None, day: date) -> time | None:
    """A time of day with its UTC offset; without one it is Vienna local time on ``day``."""
    if raw is None:
        return None
    value = time.fromisoformat(raw)
    if value.tzinfo is None:
        offset = datetime.combine(day, value, tzinfo=ZoneInfo(LOCAL_TIME_ZONE)).utcoffset()
        value = value.replace(tzinfo=timezone(offset))  # type: ignore[arg-type]
    return value


def _language(raw: Any) -> Language:
    """A UN language code, accepting the spellings of ``LANGUAGE_ALIASES`` (``SP`` for ES)."""
    return LANGUAGE_ALIASES.get(raw) or Language(raw)


def event_dates(record: Mapping[str, Any]) -> list[DateRange]:
    """The date ranges of an event record."""
    ranges = []
    for item in record.get("dates", []):
        _check_keys(item, {"startDate", "endDate", "startTime", "endTime", "exact"})
        if "startDate" not in item:
            raise ValueError(f"a date range needs a startDate: {item}")
        start = date.fromisoformat(item["startDate"])
        end = date.fromisoformat(item.get("endDate", item["startDate"]))
        times = _local_time(item.get("startTime"), start), _local_time(item.get("endTime"), end)
        exact = item.get("exact", True)
        if not isinstance(exact, bool):
            raise ValueError(f"exact must be true or false, not {exact!r}")
        ranges.append(DateRange(start, end, *times, exact=exact))
    return ranges


def _parents_first(spec: Spec, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records ordered so that a record a slug points to within the same list comes first."""
    own = [_camel(name) for name, target in spec.refs.items() if target == spec.name]
    by_slug = {record["slug"]: record for record in records}
    graph = {
        slug: {record[key] for key in own if isinstance(record.get(key), str)} & by_slug.keys()
        for slug, record in by_slug.items()
    }
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as error:
        cycle = list(reversed(error.args[1]))
        problem = "references form a cycle (each names the next): " + " -> ".join(cycle)
        raise FixtureError(spec.name, cycle[0], problem) from error
    return [by_slug[slug] for slug in order]


class _Loader:
    """One load: the file's data and member lists, the slugs saved so far and the report."""

    def __init__(self, data: Mapping[str, Any], report: LoadReport, lists: list[MemberList] | None = None) -> None:
        self.data = data
        self.report = report
        self.lists = lists or []
        self.ids: dict[str, dict[str, int]] = {}
        self.stated: dict[str, dict[str, Any]] = {}

    async def run(self) -> None:
        """Load every section in dependency order, then the lists' organizations, then all ties."""
        resolved = await self.resolve_lists()
        self.stated = stated_values(resolved)
        for spec in ENTITIES:
            await self.load_entities(spec)
        ids = await self.save_list_organizations(resolved)
        await self.load_memberships(resolved, ids)
        await self.load_links(PARTNERSHIPS, self.partnership_rows())
        await self.refuse_cycles()

    async def resolve_lists(self) -> list[ResolvedList]:
        """Which organization each record of the lists names, among the stored ones and those of the data file."""
        if not self.lists:
            return []
        matcher = await known_organizations()
        for record in self.data.get("organizations", []):
            if isinstance(record.get("slug"), str) and isinstance(record.get("name"), str):
                former = [item.get("name") for item in record.get("formerNames", []) if isinstance(item, dict)]
                matcher.add(known(record["slug"], record, [name for name in former if isinstance(name, str)]))
        try:
            resolved = resolve(self.lists, matcher)
        except MemberListError as error:
            raise FixtureError(NETWORKS_FOLDER, error.record, error.problem) from error
        for item in resolved:
            self.report.networks[item.network] = NetworkReport(len(item.members) - item.new_members, item.new_members)
        return resolved

    async def save_list_organizations(self, resolved: list[ResolvedList]) -> dict[str, int]:
        """Save the organizations the lists name that the data file does not have; the id of every one they name."""
        loaded = self.ids["organizations"]
        own = {slug: values for slug, values in self.stated.items() if slug not in loaded}
        counts = self.report.section("organizations")
        with _record(NETWORKS_FOLDER, "*"):
            ids = {**loaded, **await save_organizations(own, overwrite=True, counts=counts)}
        parents = {record.network for item in resolved for record in item.member_list.part_of}
        ids.update(await organization_ids(parents - ids.keys()))
        return ids

    async def load_memberships(self, resolved: list[ResolvedList], ids: Mapping[str, int]) -> None:
        """Reconcile the data file's memberships and every list's ties: all deletions first, then the writes."""
        with _record(MEMBERSHIPS.name, "*"):
            fixture = await Reconciliation.read(
                Membership, {"origin": FIXTURE_ORIGIN}, MEMBERSHIPS.key, self.membership_rows()
            )
        plans: list[tuple[str, Reconciliation, Counts]] = [
            ("data file", fixture, self.report.section(MEMBERSHIPS.name))
        ]
        for item in resolved:
            with _record(NETWORKS_FOLDER, item.network):
                plan = await tie_reconciliation(item, ids)
            plans.append((f"{item.network}.json", plan, self.report.networks[item.network].ties))
        self.refuse_ties_in_two_places(plans, ids)
        for _, plan, counts in plans:
            await plan.delete(counts)
        for place, plan, counts in plans:
            try:
                await plan.write(counts)
            except IntegrityError as error:
                section = MEMBERSHIPS.name if place == "data file" else NETWORKS_FOLDER
                raise FixtureError(section, place, f"{type(error).__name__}: {error}") from error

    def refuse_ties_in_two_places(
        self, plans: list[tuple[str, Reconciliation, Counts]], ids: Mapping[str, int]
    ) -> None:
        """A member and a network are tied in one place only: the data file, the member's list or the network's."""
        slugs = {organization_id: slug for slug, organization_id in ids.items()}
        places: dict[tuple[int, int], str] = {}
        for place, plan, _ in plans:
            for pair in {(values["member_id"], values["network_id"]) for values in plan.wanted}:
                if pair in places:
                    tie = f"{slugs.get(pair[0], pair[0])} in {slugs.get(pair[1], pair[1])}"
                    problem = f"tied in {places[pair]} and in {place}: a tie lives in one place"
                    raise FixtureError(NETWORKS_FOLDER, tie, problem)
                places[pair] = place

    async def refuse_cycles(self) -> None:
        """Refuse the load when stored memberships form a cycle (networks containing themselves)."""
        cycle = await stored_cycle()
        if cycle:
            problem = "memberships form a cycle (member -> network): " + " -> ".join(cycle)
            raise FixtureError(MEMBERSHIPS.name, cycle[0], problem)

    def entity_records(self, spec: Spec) -> list[dict[str, Any]]:
        """The records of an entity list, with valid and unique slugs."""
        records = self.data.get(spec.name, [])
        seen: set[str] = set()
        for record in records:
            slug = record.get("slug")
            with _record(spec.name, str(slug)):
                if not isinstance(slug, str):
                    raise ValueError("every record needs a slug")
                validate_slug(slug)
                if slug in seen:
                    raise ValueError("slug listed twice")
                seen.add(slug)
        return _parents_first(spec, records)

    async def load_entities(self, spec: Spec[Listed]) -> None:
        """Upsert the records of one entity list, then reconcile their link rows."""
        existing = {row.slug: row for row in await spec.model.all()}
        self.ids[spec.name] = {}
        for record in self.entity_records(spec):
            slug = record["slug"]
            with _record(spec.name, slug):
                values = self.values(spec, record)
                if spec.model is Event:
                    values["first_date"] = first_date_of(event_dates(record))
                if spec.model is Organization:
                    self.fill_from_lists(slug, values)
                row = await self.upsert(spec.name, existing.get(slug), spec.model(slug=slug), values)
                self.ids[spec.name][slug] = row.id
                await self.load_children(spec, row, record)

    def values(self, spec: Spec, record: Mapping[str, Any]) -> dict[str, Any]:
        """Model attribute values of a record, references resolved to ids."""
        _check_keys(record, spec.keys())
        values = {name: _value(spec.model, name, record.get(_camel(name), _MISSING)) for name in spec.fields}
        for name in spec.dates:
            try:
                values.update(partial_date_columns(name, record.get(_camel(name))))
            except ValueError as error:
                raise ValueError(f"{_camel(name)}: {error}") from None
        for name, target in spec.refs.items():
            slug = record.get(_camel(name))
            if slug is None and not spec.model._meta.fields_map[name].null:
                raise ValueError(f"{_camel(name)} is required")
            values[f"{name}_id"] = self.resolve(target, slug)
        return values

    def fill_from_lists(self, slug: str, values: dict[str, Any]) -> None:
        """Give the fields the data file leaves empty what the member lists state about the organization."""
        for name, value in self.stated.get(slug, {}).items():
            if values.get(name) in (None, ""):
                values[name] = value

    def resolve(self, section: str, slug: Any) -> int | None:
        """The id of the record with ``slug`` in ``section`` (None for no slug)."""
        if slug is None:
            return None
        try:
            return self.ids[section][slug]
        except (KeyError, TypeError):
            raise ValueError(f"no {section} record has the slug {slug!r}") from None

    async def upsert(self, section: str, row: M | None, new: M, values: dict[str, Any]) -> M:
        """Create ``new`` or update ``row``, saving only when a value differs."""
        return await save_changes(new if row is None else row, values, self.report.section(section))

    async def load_children(self, spec: Spec[Listed], row: Listed, record: Mapping[str, Any]) -> None:
        """Reconcile the link rows an entity record lists."""
        if spec.model is Office:
            rows = [self.values(LOCATIONS, item) for item in record.get("locations", [])]
            await self.reconcile(LOCATIONS, {"office_id": row.id}, rows)
            names = [self.values(OFFICE_NAMES, item) for item in record.get("formerNames", [])]
            await self.reconcile(OFFICE_NAMES, {"office_id": row.id}, names)
        elif spec.model is Organization:
            areas = [{"thematic_area_id": self.resolve("thematicAreas", a)} for a in record.get("thematicAreas", [])]
            await self.reconcile(THEMATIC_AREAS, {"organization_id": row.id}, areas)
            languages = [{"language": _language(code)} for code in record.get("languages", [])]
            await self.reconcile(ORGANIZATION_LANGUAGES, {"organization_id": row.id}, languages)
            names = [self.values(ORGANIZATION_NAMES, item) for item in record.get("formerNames", [])]
            await self.reconcile(ORGANIZATION_NAMES, {"organization_id": row.id}, names)
        elif spec.model is Event:
            await self.load_event_children(row.id, record)

    async def load_event_children(self, event_id: int, record: Mapping[str, Any]) -> None:
        """Reconcile an event's dates, languages, organizers and participants."""
        scope = {"event_id": event_id}
        dates = [asdict(item) for item in event_dates(record)]
        await self.reconcile(EVENT_DATES, scope, dates)
        languages = [{"language": _language(code)} for code in record.get("languages", [])]
        await self.reconcile(EVENT_LANGUAGES, scope, languages)
        organizers = []
        for item in record.get("organizers", []):
            if ("organization" in item) == ("office" in item):
                raise ValueError(f"an organizer names exactly one of organization or office: {item}")
            organizers.append(self.values(ORGANIZERS, item))
        await self.reconcile(ORGANIZERS, scope, organizers)
        participants = [self.values(PARTICIPANTS, item) for item in record.get("participants", [])]
        await self.reconcile(PARTICIPANTS, scope, participants)

    def membership_rows(self) -> list[dict[str, Any]]:
        """Membership rows of the file."""
        rows = []
        for item in self.data.get(MEMBERSHIPS.name, []):
            with _record(MEMBERSHIPS.name, f"{item.get('member')} in {item.get('network')}"):
                rows.append(self.values(MEMBERSHIPS, item))
        return rows

    def partnership_rows(self) -> list[dict[str, Any]]:
        """Partnership rows of the file."""
        rows = []
        for item in self.data.get(PARTNERSHIPS.name, []):
            partner = item.get("partnerOrganization") or item.get("partnerOffice")
            with _record(PARTNERSHIPS.name, f"{item.get('office')} with {partner}"):
                if ("partnerOrganization" in item) == ("partnerOffice" in item):
                    raise ValueError("a partnership names exactly one of partnerOrganization or partnerOffice")
                rows.append(self.values(PARTNERSHIPS, item))
        return rows

    async def load_links(self, spec: Spec, rows: list[dict[str, Any]]) -> None:
        """Reconcile a top-level list of link rows: the file holds all of those of origin ``fixture``."""
        with _record(spec.name, "*"):
            await self.reconcile(spec, {"origin": FIXTURE_ORIGIN}, rows)

    async def reconcile(self, spec: Spec, scope: dict[str, Any], wanted: list[dict[str, Any]]) -> None:
        """Make the rows of ``spec.model`` within ``scope`` match ``wanted``, touching only what differs."""
        try:
            await reconcile(spec.model, scope, spec.key, wanted, self.report.section(spec.name))
        except ValueError as error:
            raise ValueError(f"{spec.name}: {error}") from None
