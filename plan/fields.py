"""The steps of the directory's fields that are more than a column: what ``schema`` puts in its fields' metadata.

Each function or constant here is the plan side of one resolver of
``resolvers``, and calls the same ``queries`` (the same relation, the same
filter, the same rule), so the two paths cannot fetch different rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.access import require_personal_data
from domain.errors import ClientError
from domain.ids import parse_global_id
from models.dates import today
from models.enums import Language
from plan.rows import raw_of
from plan.steps import Batch, Lookup, Paged, Pages, Party, Root, Rows, ToOne
from queries import relations as r
from queries import tables as t
from queries.batch import Relation, pages_by, rows_by
from queries.filters import event_where
from queries.lists import BY_START_DATE, ordering_of, page_of
from queries.networks import Direction, ReachedMembership, chain_certainty, reach_pages
from queries.pages import Ordering, Page
from queries.rows import RowView
from resolvers.lookup import ENTITY_KINDS, representation_error
from resolvers.names import name_on
from resolvers.networks import checked_depth
from resolvers.offices import location_on_rows
from resolvers.time import as_of_day, single_day

# ------- relations -------


def to_one(relation: Relation, key: str) -> ToOne:
    """The step of ``resolvers.relations.one(relation, key)``."""
    return ToOne(relation, key)


def paged(relation: Relation) -> Paged:
    """The step of a relation connection (``schema.fields.relation_field``)."""
    return Paged(relation)


async def _dated(run: Any, arguments: dict[str, Any]) -> dict[str, Any]:
    return {"day": as_of_day(arguments["as_of"])}


def dated(relation: Relation) -> Paged:
    """The step of a dated relation connection answering for ``asOf`` (``schema.fields.dated_relation_field``)."""
    return Paged(relation, _dated)


async def _events(run: Any, arguments: dict[str, Any]) -> dict[str, Any]:
    return {
        "where": await event_where(arguments["filter"], run.viewer),
        "ordering": ordering_of(arguments["order_by"], BY_START_DATE),
    }


def events(relation: Relation) -> Paged:
    """The step of a relation to events with the root list's filter and order (``schema.fields.event_relation_field``)."""
    return Paged(relation, _events)


ORGANIZER = Party(r.ORGANIZATION_BY_ID, "organization_id", r.OFFICE_BY_ID, "office_id")
"""``EventOrganizer.organizer``: the organization, or else the office."""
PARTNER = Party(r.ORGANIZATION_BY_ID, "partner_organization_id", r.OFFICE_BY_ID, "partner_office_id")
"""``Partnership.partner``: the organization, or else the office."""


def rows(relation: Relation) -> Rows:
    """The step of ``resolvers.relations.many(relation)``: a small list keyed by the parent's id."""
    return Rows(relation)


# ------- names, languages, areas, dates -------


async def _ids(parents: Sequence[Any]) -> list[Any]:
    return [raw_of(parent)["id"] for parent in parents]


def dated_name(former_names: Relation) -> Batch:
    """``datedName(asOf:)``: ``resolvers.names.name_on`` over the former names of every parent (one statement)."""

    async def compute(run: Any, parents: Sequence[Any], arguments: dict[str, Any]) -> list[Any]:
        day = single_day(arguments["as_of"])
        ids = await _ids(parents)
        found = await run.every_row(former_names, ids)
        now = today()
        return [
            name_on(parent.name, [RowView(row, former_names.table) for row in found.get(key, [])], day, now)
            for parent, key in zip(parents, ids, strict=True)
        ]

    return Batch(compute, kind="values", columns=("id", "name"))


async def _working_languages(run: Any, parents: Sequence[Any], arguments: dict[str, Any]) -> list[Any]:
    ids = await _ids(parents)
    found = await run.every_row(r.LANGUAGES_OF_ORGANIZATION, ids)
    order = list(Language)
    return [sorted((Language(row["language"]) for row in found.get(key, [])), key=order.index) for key in ids]


WORKING_LANGUAGES = Batch(_working_languages, kind="values")
"""``Organization.workingLanguages`` (``resolvers.organizations.working_languages``)."""


async def _event_languages(run: Any, parents: Sequence[Any], arguments: dict[str, Any]) -> list[Any]:
    ids = await _ids(parents)
    found = await run.every_row(r.LANGUAGES_OF_EVENT, ids)
    order = list(Language)
    return [sorted((Language(row["language"]) for row in found.get(key, [])), key=order.index) for key in ids]


EVENT_LANGUAGES = Batch(_event_languages, kind="values")
"""``Event.languages`` (``resolvers.events.languages``)."""


async def _thematic_areas(run: Any, parents: Sequence[Any], arguments: dict[str, Any]) -> list[Any]:
    ids = await _ids(parents)
    links = await run.every_row(r.THEMATIC_AREAS_OF_ORGANIZATION, ids)
    areas = await run.every_row(
        r.THEMATIC_AREA_BY_ID, sorted({row["thematic_area_id"] for rows in links.values() for row in rows})
    )
    found = []
    for key in ids:
        chosen = [areas[row["thematic_area_id"]][0] for row in links.get(key, []) if areas.get(row["thematic_area_id"])]
        found.append(sorted(chosen, key=lambda area: (area["name"], area["id"])))
    return found


THEMATIC_AREAS = Batch(_thematic_areas, t.THEMATIC_AREA, kind="rows")
"""``Organization.thematicAreas`` (``resolvers.organizations.thematic_areas``)."""


async def _event_days(run: Any, parents: Sequence[Any], pick: Any) -> list[Any]:
    ids = await _ids(parents)
    found = await run.every_row(r.DATES_OF_EVENT, ids)
    return [pick([RowView(row, t.EVENT_DATE) for row in found.get(key, [])]) for key in ids]


async def _start_date(run: Any, parents: Sequence[Any], arguments: dict[str, Any]) -> list[Any]:
    return await _event_days(run, parents, lambda days: min((day.start_date for day in days), default=None))


async def _end_date(run: Any, parents: Sequence[Any], arguments: dict[str, Any]) -> list[Any]:
    return await _event_days(run, parents, lambda days: max((day.end_date for day in days), default=None))


START_DATE = Batch(_start_date, kind="values")
"""``Event.startDate`` (``resolvers.events.start_date``)."""
END_DATE = Batch(_end_date, kind="values")
"""``Event.endDate`` (``resolvers.events.end_date``)."""


async def _location(run: Any, parents: Sequence[Any], arguments: dict[str, Any]) -> list[Any]:
    day = single_day(arguments["as_of"])
    ids = await _ids(parents)
    found = await run.every_row(r.LOCATIONS_OF_OFFICE, ids)
    return [location_on_rows([RowView(row, t.OFFICE_LOCATION) for row in found.get(key, [])], day) for key in ids]


LOCATION = Batch(_location, t.OFFICE_LOCATION, kind="row")
"""``Office.location(asOf:)`` (``resolvers.offices.location_on``)."""


async def _focal_points(
    run: Any, parents: Sequence[Any], arguments: dict[str, Any], columns: Sequence[str]
) -> list[Page | None]:
    ids = await _ids(parents)
    require_personal_data(run.viewer, ids)  # denied: the resolvers answer, with a FORBIDDEN error per field
    pages = await pages_by(r.FOCAL_POINTS_OF_ORGANIZATION, ids, run.viewer, run.page_request(arguments))
    return [pages[key] for key in ids]


FOCAL_POINTS = Pages(_focal_points, t.FOCAL_POINT)


async def _justifications(run: Any, parents: Sequence[Any], arguments: Any) -> list[Any]:
    rows = [raw_of(parent) for parent in parents]
    require_personal_data(run.viewer, [row["organization_id"] for row in rows])
    return [row["justification"] for row in rows]


JUSTIFICATION = Batch(_justifications, columns=("organization_id", "justification"))
"""``Participation.justification``: personal data of the participating organization."""
"""``Organization.focalPoints`` (``resolvers.organizations.focal_points``)."""


# ------- networks of networks -------


def walk(direction: Direction) -> Pages:
    """``Organization.members`` / ``networks``: a relation page at depth 1, a walk beyond (``resolvers.networks``)."""
    relation = r.MEMBERS_OF_NETWORK if direction is Direction.MEMBERS else r.NETWORKS_OF_ORGANIZATION

    async def fetch(run: Any, parents: Sequence[Any], arguments: dict[str, Any], columns: Sequence[str]) -> list[Page]:
        day = as_of_day(arguments["as_of"])
        depth = checked_depth(arguments["depth"], "depth")
        request = run.page_request(arguments)
        ids = await _ids(parents)
        if depth == 1:
            wanted = [*columns, "member_id", "network_id"]  # a step of a walk knows both ends
            pages = await pages_by(relation, ids, run.viewer, request, day=day, columns=wanted)

            other = direction.columns[1]

            def reached(start: int) -> Any:
                return lambda row: ReachedMembership(
                    RowView(row, t.MEMBERSHIP), start, 1, (start, row[other]), chain_certainty(row) if day else None
                )

            return [pages[key].map(reached(key)) for key in ids]
        pages = await reach_pages(direction, ids, depth=depth, request=request, as_of=day, viewer=run.viewer)
        return [pages[key] for key in ids]

    return Pages(fetch, t.MEMBERSHIP)


async def _paths(run: Any, parents: Sequence[Any], arguments: dict[str, Any]) -> list[Any]:
    paths = [
        parent.path_ids if hasattr(parent, "path_ids") else (parent.member_id, parent.network_id) for parent in parents
    ]
    wanted = sorted({pk for path in paths for pk in path})
    found = await rows_by(r.ORGANIZATION_BY_ID, wanted, run.viewer)
    return [[found[pk][0] for pk in path if found.get(pk)] for path in paths]


PATH = Batch(_paths, t.ORGANIZATION, kind="rows", columns=())
"""``Membership.path`` (``resolvers.networks.membership_path``)."""


# ------- root fields -------


def lookup(type_name: str) -> Lookup:
    """``<entity>(id:, slug:)`` (``resolvers.lookup.fetch_one``)."""
    kind = ENTITY_KINDS[type_name]

    def key_of(arguments: dict[str, Any]) -> tuple[Any, Any]:
        id, slug = arguments["id"], arguments["slug"]
        if (id is None) == (slug is None):
            raise ClientError("Give exactly one of `id` and `slug`.")
        return (kind.by_id, parse_global_id(id, type_name)[1]) if id is not None else (kind.by_slug, slug)

    async def make(run: Any, arguments: dict[str, Any], plan: Any) -> Any:
        relation, key = key_of(arguments)
        found = await run.rows(relation, [key], plan)
        return found.get(key, [None])[0]

    return Lookup(make, kind.by_id.table, "row", key_of)


def root_list(table: t.Table, where: Any, default: Ordering, orderable: bool) -> Root:
    """A filtered, ordered root list (``resolvers.lists``)."""

    async def make(run: Any, arguments: dict[str, Any], plan: Any) -> Page:
        request = run.page_request(arguments)
        ordering = ordering_of(arguments.get("order_by"), default) if orderable else default
        conditions = await where(arguments.get("filter"), run.viewer, correct_later=True)
        return await page_of(table, run.viewer, request, ordering, conditions, plan.child_columns(table))

    return Root(make, table, "page")


MAX_IDS = 100


async def _typed(run: Any, parsed: list[tuple[str, Any]], plan: Any, by: str) -> list[Any]:
    """(type name, row) or None for each (type name, key), one statement per type."""
    keys: dict[str, list[Any]] = {}
    for type_name, key in parsed:
        keys.setdefault(type_name, []).append(key)
    found: dict[str, dict[Any, list[Any]]] = {}
    for type_name, wanted in keys.items():
        relation = ENTITY_KINDS[type_name].by_id if by == "id" else ENTITY_KINDS[type_name].by_slug
        found[type_name] = await run.rows(relation, wanted, plan, type_name)
    return [(type_name, found[type_name][key][0]) if found[type_name].get(key) else None for type_name, key in parsed]


async def _node(run: Any, arguments: dict[str, Any], plan: Any) -> Any:
    return (await _typed(run, [parse_global_id(arguments["id"])], plan, "id"))[0]


async def _nodes(run: Any, arguments: dict[str, Any], plan: Any) -> Any:
    ids = arguments["ids"]
    if len(ids) > MAX_IDS:
        raise ClientError(f"Ask for at most {MAX_IDS} IDs at once; {len(ids)} were given.")
    return await _typed(run, [parse_global_id(value) for value in ids], plan, "id")


NODE = Root(_node, kind="typed")
"""``Query.node(id:)``."""
NODES = Root(_nodes, kind="typed")
"""``Query.nodes(ids:)``."""


async def _entities(run: Any, arguments: dict[str, Any], plan: Any) -> Any:
    representations = arguments["representations"]
    for representation in representations:
        if representation_error(representation) is not None:
            raise ClientError("a representation names no entity type")
    by_id: list[tuple[int, tuple[str, Any]]] = []
    by_slug: list[tuple[int, tuple[str, Any]]] = []
    for position, representation in enumerate(representations):
        type_name = representation["__typename"]
        id, slug = representation.get("id"), representation.get("slug")
        if (id is not None and not isinstance(id, str)) or (slug is not None and not isinstance(slug, str)):
            raise ClientError("a key of a representation is not a string")
        if id is not None:
            by_id.append((position, (type_name, parse_global_id(id, type_name)[1])))
        elif slug is not None:
            by_slug.append((position, (type_name, slug)))
        else:
            raise ClientError("a representation has no key")
    found: list[Any] = [None] * len(representations)
    for entries, by in ((by_id, "id"), (by_slug, "slug")):
        if entries:
            typed = await _typed(run, [key for _, key in entries], plan, by)
            for (position, _), value in zip(entries, typed, strict=True):
                found[position] = value
    return found


ENTITIES = Root(_entities, kind="typed")
"""Federation's ``_entities(representations:)``, through the same relations as ``node``."""


async def _every_thematic_area(run: Any, arguments: dict[str, Any], plan: Any) -> list[Any]:
    from queries.sql import fetch, statement

    st = statement()
    return list(await fetch(f"SELECT {', '.join(t.THEMATIC_AREA.columns)} FROM thematic_area ORDER BY name, id", st))


THEMATIC_AREA_LIST = Root(_every_thematic_area, t.THEMATIC_AREA, "rows")
"""``Query.thematicAreas`` (``resolvers.lists.thematic_areas``)."""
