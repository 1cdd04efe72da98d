"""The filters of the lists (``OrganizationFilter``, ``EventFilter``...) as SQL conditions.

``await organization_where(filter, viewer)`` does what must be done before the
list's statement (a search, a walk through networks of networks) and returns
a ``Where``: a function that writes the conditions over a row alias, binding
their values to the statement it is given. Conditions on related rows are
``EXISTS`` subqueries, so a list never joins and never repeats a row. A value
the client got wrong raises ``ClientError`` with a message saying what to fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import strawberry
from tortoise.exceptions import ValidationError

from domain.access import Viewer
from domain.countries import is_country_code
from domain.errors import ClientError
from domain.ids import is_global_id, parse_global_id, with_article
from domain.regions import countries_in
from models.dates import IN_FORCE_PERIOD, MEMBERSHIP_PERIOD, VALIDITY_PERIOD
from models.validators import validate_slug
from queries.access import visible, visible_organization_sql
from queries.batch import Where
from queries.networks import MAX_DEPTH, Direction, reach
from queries.search import ParsedQuery, SearchQueryError, corrected, matching_sql, parse_query
from queries.sql import Statement, check_value
from queries.tables import MEMBERSHIP
from resolvers.time import as_of_day


def _values(items: Sequence[Any] | None) -> list[Any]:
    return [getattr(item, "value", item) for item in items or ()]


def countries(codes: Sequence[str]) -> list[str]:
    """Upper-cased ISO codes; ClientError naming any code that is not one."""
    normalized = [code.strip().upper() for code in codes]
    unknown = [code for code in normalized if not is_country_code(code)]
    if unknown:
        raise ClientError(f"Not ISO 3166-1 alpha-2 country codes: {', '.join(unknown)}.")
    return normalized


@dataclass(frozen=True)
class Conditions:
    """The conditions of every ``Where`` given (``all_of``); a filter's conditions."""

    parts: tuple[Where, ...]

    def __call__(self, st: Statement, alias: str) -> list[str]:
        return [condition for part in self.parts for condition in part(st, alias)]


def all_of(*wheres: Where | None) -> Conditions:
    """The conditions of every ``Where`` given."""
    return Conditions(tuple(where for where in wheres if where is not None))


@dataclass(frozen=True)
class Search:
    """A filter's ``search``, its words as the client wrote them: the ids of what they match, as a subquery."""

    entity_type: str
    query: ParsedQuery
    viewer: Viewer

    def __call__(self, st: Statement, alias: str) -> list[str]:
        return [f"{alias}.id IN ({matching_sql(st, self.entity_type, self.query, self.viewer)})"]


async def with_corrections(where: Where | None) -> Where | None:
    """``where`` with the misspelt words of its search corrected (one statement), or None when none is.

    A filter made with ``correct_later=True`` searches its words as written;
    a word that starts no word the viewer may see then matches nothing, so a
    list needs the corrections only when its page comes back empty
    (``queries.lists.page_of``), and spares the statement otherwise.
    """
    if not isinstance(where, Conditions):
        return None
    parts = list(where.parts)
    changed = False
    for index, part in enumerate(parts):
        if isinstance(part, Search):
            query = await corrected(part.query, part.viewer)
            if query != part.query:
                parts[index] = Search(part.entity_type, query, part.viewer)
                changed = True
    return Conditions(tuple(parts)) if changed else None


def _named(st: Statement, table: str, type_name: str, value: str) -> str:
    """SQL: the ids of the ``table`` row a global ID or a slug names."""
    if is_global_id(value):
        return st.bind(parse_global_id(value, type_name)[1])
    return f"(SELECT id FROM {table} WHERE slug = {st.bind(slug(value))})"


def slug(value: str) -> str:
    """A slug given in a filter; ClientError when it cannot be one."""
    try:
        validate_slug(value)
    except ValidationError as error:
        raise ClientError(str(error)) from None
    return value


def reference(column: str, table: str, type_name: str, value: str) -> Where:
    """``column`` points at the entity named by a global ID or a slug."""
    if is_global_id(value):
        parse_global_id(value, type_name)  # a malformed ID or one of another type is the client's mistake
    else:
        slug(value)

    def where(st: Statement, alias: str) -> list[str]:
        return [f"{alias}.{column} IN ({_named(st, table, type_name, value)})"]

    return where


def _visible_organization_named(st: Statement, value: str, viewer: Viewer) -> str:
    """SQL: the id of the organization named by ``value``, if the viewer may see it."""
    return (
        f"SELECT n.id FROM organization n WHERE n.id IN ({_named(st, 'organization', 'Organization', value)})"
        f" AND {visible_organization_sql('n', viewer, st)}"
    )


async def _search(entity_type: str, filter: Any, viewer: Viewer, correct_later: bool) -> Where | None:
    """The ``search`` of a filter: a subquery of the matching ids, or none.

    Misspelt words are corrected first (one statement), or, with ``correct_later``, by the list when
    nothing matched (``with_corrections``).
    """
    text = getattr(filter, "search", None)
    if not text:
        return None
    check_value(text)  # a NUL is refused here as in every other filter, though search reads words only
    try:
        query = parse_query(text)
    except SearchQueryError as error:
        raise ClientError(str(error)) from error
    if not query.terms:
        return None
    return Search(entity_type, query if correct_later else await corrected(query, viewer), viewer)


def _any(column: str, values: Sequence[Any]) -> Where | None:
    if not values:
        return None
    return lambda st, alias: [st.any_of(f"{alias}.{column}", values)]


def _exists(table: str, link: str, column: str, values: Sequence[Any]) -> Where | None:
    """Rows with a ``table`` row (``link`` pointing back at them) whose ``column`` is one of ``values``."""
    if not values:
        return None

    def where(st: Statement, alias: str) -> list[str]:
        return [f"EXISTS (SELECT 1 FROM {table} l WHERE l.{link} = {alias}.id AND {st.any_of(f'l.{column}', values)})"]

    return where


# ------- organizations -------


async def organization_where(filter: Any, viewer: Viewer, correct_later: bool = False) -> Where:
    """The conditions of an OrganizationFilter (membership at depth > 1 costs one recursive statement)."""
    if filter is None:
        return all_of()
    parts: list[Where | None] = [
        _any("kind", _values(filter.kinds)),
        _any("country", countries(filter.countries)) if filter.countries else None,
        _any("ecosoc_status", _values(filter.ecosoc_statuses)),
        _exists("organization_language", "organization_id", "language", _values(filter.working_languages)),
    ]
    if filter.regions:
        inside = countries_in(filter.regions)
        if inside is None:
            raise ClientError(f"Unknown UN M49 area in {filter.regions}; use names like 'Eastern Africa' or codes like '014'.")
        parts.append(_any("country", sorted(inside)) if inside else (lambda st, alias: ["1 = 0"]))
    if filter.thematic_areas:
        slugs = list(filter.thematic_areas)
        parts.append(
            lambda st, alias: [
                "EXISTS (SELECT 1 FROM organization_thematic_area l JOIN thematic_area a ON a.id = l.thematic_area_id"
                f" WHERE l.organization_id = {alias}.id AND {st.any_of('a.slug', slugs)})"
            ]
        )
    if filter.verified is not None:
        verified = bool(filter.verified)
        parts.append(lambda st, alias: [f"{alias}.verified = {st.true() if verified else st.false()}"])
    if filter.member_of is not None:
        scope = filter.member_of
        parts.append(await member_of(scope.network, scope.depth, as_of_day(scope.as_of), viewer))
    parts.append(await _search("Organization", filter, viewer, correct_later))
    return all_of(*parts)


async def member_of(network: str, depth: int | None, as_of: date | None, viewer: Viewer) -> Where:
    """Members of a network on a day (every period for None): direct ones (a subquery) for depth 1,
    else through networks of networks. Memberships that may hold that day count.

    A network the viewer may not see has no members for them.
    """
    if depth == 1:

        def direct(st: Statement, alias: str) -> list[str]:
            conditions = [
                "m.member_id = " + f"{alias}.id",
                f"m.network_id IN ({_visible_organization_named(st, network, viewer)})",
                *visible(MEMBERSHIP, "m", viewer, st),
            ]
            if as_of is not None:
                conditions.append(MEMBERSHIP_PERIOD.possible_sql("m", st.bind(as_of)))
            return [f"EXISTS (SELECT 1 FROM membership m WHERE {' AND '.join(conditions)})"]

        if is_global_id(network):
            parse_global_id(network, "Organization")
        else:
            slug(network)
        return direct
    if depth is not None and not 1 <= depth <= MAX_DEPTH:
        raise ClientError(f"`depth` must be between 1 and {MAX_DEPTH}, or null for any depth; got {depth}.")
    starts = await _visible_organization_ids(network, viewer)
    reached = await reach(Direction.MEMBERS, starts, depth=depth or MAX_DEPTH, as_of=as_of, viewer=viewer)
    member_ids = sorted({hop.membership.member_id for hops in reached.values() for hop in hops})
    return lambda st, alias: [st.any_of(f"{alias}.id", member_ids)]


async def _visible_organization_ids(value: str, viewer: Viewer) -> list[int]:
    from queries.sql import fetch, statement

    st = statement()
    rows = await fetch(_visible_organization_named(st, value, viewer), st)
    return [row[0] for row in rows]


# ------- offices -------


async def office_where(filter: Any, viewer: Viewer, correct_later: bool = False) -> Where:
    """The conditions of an OfficeFilter."""
    if filter is None:
        return all_of()
    parts: list[Where | None] = [_any("kind", _values(filter.kinds))]
    if filter.parent:
        parts.append(reference("parent_id", "office", "Office", filter.parent))
    day = as_of_day(filter.active_at)
    if filter.countries or (filter.active_at is not strawberry.UNSET and day is not None):
        codes = countries(filter.countries) if filter.countries else None

        def located(st: Statement, alias: str) -> list[str]:
            conditions = [f"l.office_id = {alias}.id"]
            if day is not None:
                conditions.append(VALIDITY_PERIOD.possible_sql("l", st.bind(day)))
            if codes:
                conditions.append(st.any_of("l.country", codes))
            return [f"EXISTS (SELECT 1 FROM office_location l WHERE {' AND '.join(conditions)})"]

        parts.append(located)
    parts.append(await _search("Office", filter, viewer, correct_later))
    return all_of(*parts)


# ------- events -------


def _open_calls(st: Statement, at: datetime) -> str:
    """SQL: ids of calls for applications open at an instant (opened, or no opening known, and not yet closed)."""
    moment = st.bind(at)
    return (
        "SELECT c.id FROM application_call c WHERE (c.opens_at IS NULL OR c.opens_at <= "
        f"{moment}) AND (c.closes_at IS NULL OR c.closes_at > {moment})"
    )


def instant(value: datetime, argument: str) -> datetime:
    """An instant given with its UTC offset; ClientError otherwise."""
    if value.tzinfo is None:
        raise ClientError(f"`{argument}` needs a UTC offset, e.g. 2023-02-01T12:00:00+01:00.")
    return value


def ranges_within(filter: Any) -> Where | None:
    """Date ranges (event_date rows, as the alias) overlapping the filter's ``dateFrom``/``dateTo``."""
    start, end = getattr(filter, "date_from", None), getattr(filter, "date_to", None)
    if not start and not end:
        return None

    def where(st: Statement, alias: str) -> list[str]:
        conditions = []
        if start:
            conditions.append(f"{alias}.end_date >= {st.bind(start)}")
        if end:
            conditions.append(f"{alias}.start_date <= {st.bind(end)}")
        return conditions

    return where


async def event_where(filter: Any, viewer: Viewer, correct_later: bool = False) -> Where:
    """The conditions of an EventFilter."""
    if filter is None:
        return all_of()
    parts: list[Where | None] = [
        _any("kind", _values(filter.kinds)),
        _any("format", _values(filter.formats)),
        _exists("event_language", "event_id", "language", _values(filter.languages)),
    ]
    window = ranges_within(filter)
    if window is not None:
        parts.append(
            lambda st, alias: [
                f"EXISTS (SELECT 1 FROM event_date d WHERE d.event_id = {alias}.id AND {' AND '.join(window(st, 'd'))})"
            ]
        )
    if filter.governing_body:
        parts.append(reference("governing_body_id", "governing_body", "GoverningBody", filter.governing_body))
    if filter.instrument:
        parts.append(reference("instrument_id", "instrument", "Instrument", filter.instrument))
    if filter.margins_of:
        parts.append(reference("margins_of_id", "event", "Event", filter.margins_of))
    if filter.organizer:
        parts.append(_organizer(filter.organizer, viewer))
    if filter.open_for_applications_at:
        at = instant(filter.open_for_applications_at, "openForApplicationsAt")
        parts.append(lambda st, alias: [f"{alias}.application_call_id IN ({_open_calls(st, at)})"])
    parts.append(await _search("Event", filter, viewer, correct_later))
    return all_of(*parts)


def _organizer(value: str, viewer: Viewer) -> Where:
    """Events organized by the organization (if the viewer may see it) or the office named by ``value``."""
    kinds: tuple[str, ...] = ("Organization", "Office")
    if is_global_id(value):
        type_name, _ = parse_global_id(value)
        if type_name not in kinds:
            raise ClientError(f"An organizer is an Organization or an Office, not {with_article(type_name)}.")
        kinds = (type_name,)
    else:
        slug(value)

    def where(st: Statement, alias: str) -> list[str]:
        parties = []
        if "Organization" in kinds:
            parties.append(f"o.organization_id IN ({_visible_organization_named(st, value, viewer)})")
        if "Office" in kinds:
            parties.append(f"o.office_id IN ({_named(st, 'office', 'Office', value)})")
        return [f"EXISTS (SELECT 1 FROM event_organizer o WHERE o.event_id = {alias}.id AND ({' OR '.join(parties)}))"]

    return where


# ------- governing bodies, instruments, programmes, calls -------


async def governing_body_where(filter: Any, viewer: Viewer, correct_later: bool = False) -> Where:
    """The conditions of a GoverningBodyFilter."""
    if filter is None:
        return all_of()
    parts: list[Where | None] = [_any("kind", _values(filter.kinds))]
    if filter.parent:
        parts.append(reference("parent_id", "governing_body", "GoverningBody", filter.parent))
    parts.append(await _search("GoverningBody", filter, viewer, correct_later))
    return all_of(*parts)


async def instrument_where(filter: Any, viewer: Viewer, correct_later: bool = False) -> Where:
    """The conditions of an InstrumentFilter."""
    if filter is None:
        return all_of()
    parts: list[Where | None] = [_any("kind", _values(filter.kinds))]
    if filter.in_force_at:
        day = filter.in_force_at
        parts.append(
            lambda st, alias: [IN_FORCE_PERIOD.possible_sql(alias, st.bind(day)), f"{alias}.in_force_latest IS NOT NULL"]
        )
    parts.append(await _search("Instrument", filter, viewer, correct_later))
    return all_of(*parts)


async def programme_where(filter: Any, viewer: Viewer, correct_later: bool = False) -> Where:
    """The conditions of a ProgrammeFilter."""
    return all_of(await _search("Programme", filter, viewer, correct_later)) if filter is not None else all_of()


async def application_call_where(filter: Any, viewer: Viewer, correct_later: bool = False) -> Where:
    """The conditions of an ApplicationCallFilter (which has no search: ``correct_later`` changes nothing)."""
    if filter is None or filter.open_at is None:
        return all_of()
    at = instant(filter.open_at, "openAt")
    return lambda st, alias: [f"{alias}.id IN ({_open_calls(st, at)})"]
