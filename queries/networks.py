"""Networks of networks, in SQL: who belongs to whom through other networks, and how two parties connect.

Each question is one recursive statement (``WITH RECURSIVE``) built with a
``queries.sql.Statement``: user values are always bound, never spliced into
the text; the only words that vary are column names chosen here. Hidden
organizations are left out by ``queries.access``, as everywhere.

Walks terminate even when the data holds a cycle (the write path forbids
them, the data may not): the recursive part is a ``UNION`` over rows of
(start, organization, distance, predecessor), so a row is never produced
twice, and the distance is bounded by the depth asked for: the work grows
with the links within reach times the depth, never with the number of
paths. Every organization is kept at its shortest distance, reached through
one predecessor chosen by a fixed order, so the answer does not depend on
how the database scans.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, Protocol

from domain.access import PUBLIC, Viewer
from models.dates import MEMBERSHIP_PERIOD, Certainty, today
from models.enums import MembershipType
from queries.access import visible_organization_sql
from queries.pages import Ordering, Page, PageRequest, SortKey, cursor_conditions, cut, order_by, page_in_memory
from queries.rows import RowView
from queries.sql import Statement, fetch, fetch_dicts, statement
from queries.tables import MEMBERSHIP

MAX_DEPTH = 10
"""Longest chain of memberships (or of connection steps) a query may follow."""

def _valid_on(alias: str, day: str | None) -> str:
    """``AND ...`` keeping rows of ``alias`` whose period may hold on the day ``day`` binds (``models.dates``)."""
    return "" if day is None else f" AND {MEMBERSHIP_PERIOD.possible_sql(alias, day)}"


def _certain_on(alias: str, day: str | None, as_of: date | None) -> str:
    """1 when the period of ``alias`` certainly holds on the day, else 0 (1 when walking every period)."""
    if day is None or as_of is None:
        return "1"
    return MEMBERSHIP_PERIOD.certainty_sql(alias, day, as_of, today())


# ------- memberships through networks of networks -------


class Direction(str, Enum):
    """Which way a walk follows memberships."""

    MEMBERS = "MEMBERS"
    """From a network down to its members, their members, and so on."""
    NETWORKS = "NETWORKS"
    """From an organization up to its networks, their networks, and so on."""

    @property
    def columns(self) -> tuple[str, str]:
        """(column of the organization a hop leaves, column of the one it reaches)."""
        return ("network_id", "member_id") if self is Direction.MEMBERS else ("member_id", "network_id")


class Predecessors(Protocol):
    """A walk's map of (start, organization reached) to the organization it was reached from."""

    def __getitem__(self, key: tuple[int, int], /) -> int: ...


def chain_certainty(row: Any) -> Certainty:
    """How certainly a walk's chain held on the day walked, from its row's ``certain`` column."""
    return Certainty.CERTAIN if row["certain"] else Certainty.UNCERTAIN


class ReachedMembership:
    """A membership reached from ``start_id``: the last hop of the shortest chain to an organization.

    Reads like the membership it wraps (``member_id``, ``since_edtf``...),
    plus ``distance`` (1 = direct), ``path_ids``, the organizations from the
    start to the one reached, both included, and ``certainty``, how sure it
    is that every step held on the day walked (None when walked for every period).

    A walk's path is worked out when first read, from the walk's map of each
    organization reached to the one it was reached from (``via``).
    """

    __slots__ = ("_path", "_via", "certainty", "distance", "membership", "reached_id", "start_id")

    def __init__(
        self,
        membership: Any,
        start_id: int,
        distance: int,
        path_ids: tuple[int, ...] | None,
        certainty: Certainty | None = None,
        *,
        reached_id: int | None = None,
        via: Predecessors | None = None,
    ) -> None:
        self.membership = membership
        """The membership of the last hop: a model instance, or a row read through ``RowView``."""
        self.start_id = start_id
        self.distance = distance
        self.certainty = certainty
        self._path = path_ids
        self._via = via
        reached = path_ids[-1] if path_ids else reached_id
        assert reached is not None, "a reached membership is given its path or the organization it reaches"
        self.reached_id = reached
        """The organization this membership leads to, seen from the start."""

    @property
    def path_ids(self) -> tuple[int, ...]:
        """The organizations from the start to the one reached, both included."""
        if self._path is None:
            assert self._via is not None and self.reached_id is not None
            path = [self.reached_id]
            while path[-1] != self.start_id and len(path) <= self.distance:
                path.append(self._via[(self.start_id, path[-1])])
            self._path = tuple(reversed(path))
        return self._path

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, ReachedMembership)
            and (self.membership.id, self.start_id, self.distance) == (other.membership.id, other.start_id, other.distance)
            and self.path_ids == other.path_ids
            and self.certainty == other.certainty
        )

    def __hash__(self) -> int:
        return hash((self.membership.id, self.start_id, self.distance))

    @property
    def id(self) -> int:
        return self.membership.id

    @property
    def member_id(self) -> int:
        return self.membership.member_id

    @property
    def network_id(self) -> int:
        return self.membership.network_id

    @property
    def type(self) -> MembershipType:
        return self.membership.type

    @property
    def source(self) -> str | None:
        return self.membership.source

    def __getattr__(self, name: str) -> Any:
        # The column triples of since and until (since_edtf, since_earliest...) read through.
        if name.startswith(("since_", "until_")):
            return getattr(self.membership, name)
        raise AttributeError(name)

    def __getitem__(self, name: str) -> Any:
        """Sort values read like a row's columns (``queries.pages.page_in_memory``)."""
        return getattr(self, name)


WALK_ORDER = Ordering("walk", (SortKey("distance", kind="int"),))
"""Memberships reached by a walk: nearest first, then in the order they were recorded."""


def walk_page(hops: Sequence[ReachedMembership], request: PageRequest) -> Page:
    """One page of a walk's memberships, given in walk order as ``reach`` returns them (the walk itself is
    computed whole: shortest paths need all of it)."""
    return page_in_memory(hops, WALK_ORDER, request)


def direct_membership(row: Any, start_id: int, direction: Direction) -> ReachedMembership:
    """A membership of a relation page (an ``OnDay`` model row) read as a walk's first step from ``start_id``."""
    membership = getattr(row, "row", row)
    other = membership.member_id if direction is Direction.MEMBERS else membership.network_id
    return ReachedMembership(membership, start_id, 1, (start_id, other), getattr(row, "certainty", None))


_MEMBERSHIP_COLUMNS = (
    "id", "member_id", "network_id", "type", "source",
    "since_edtf", "since_earliest", "since_latest", "until_edtf", "until_earliest", "until_latest",
)  # fmt: skip
_MEMBERSHIP_SELECT = ", ".join(f"m.{column}" for column in _MEMBERSHIP_COLUMNS)


def membership_reach_sql(
    st: Statement, direction: Direction, starts: Sequence[int], depth: int, as_of: date | None, viewer: Viewer
) -> str:
    """The statement behind ``reach``, its values bound to ``st``."""
    return (
        _walk_sql(st, direction, starts, depth, as_of, viewer)
        + f"""
SELECT start_id, distance, via_id, certain, {", ".join(_MEMBERSHIP_COLUMNS)}
FROM hop
WHERE distance = 1 OR choice = 1
ORDER BY start_id, distance, id
"""
    )


def _walk_sql(
    st: Statement,
    direction: Direction,
    starts: Sequence[int],
    depth: int,
    as_of: date | None,
    viewer: Viewer,
    columns: str = _MEMBERSHIP_SELECT,
) -> str:
    """The walk's common table expressions, up to ``hop``: the memberships reached (``choice = 1`` the one kept
    per organization reached beyond distance 1), with the membership's ``columns``."""
    leaves, reaches = direction.columns
    day = st.bind(as_of) if as_of is not None else None
    shown = visible_organization_sql("o", viewer, st)
    visible = f" AND {shown}" if shown != "1 = 1" else ""
    join_visible = f" JOIN organization o ON o.id = m.{reaches}" if visible else ""
    kept = f"m.{reaches} <> r.start_id{_valid_on('m', day)}{visible}"
    if st.dialect == "postgres":
        # A subquery per organization reached (OFFSET 0 keeps it one): each step looks up that organization's
        # memberships in the index, whatever plan is cached (read connections keep generic plans, which guess
        # ten starts and networks of average size, and would scan every membership at each step).
        hops = (
            f"CROSS JOIN LATERAL (SELECT m.* FROM membership m{join_visible}"
            f" WHERE m.{leaves} = r.organization_id AND {kept} OFFSET 0) m"
        )
        also = ""
    else:
        hops = f"JOIN membership m ON m.{leaves} = r.organization_id{join_visible}"
        also = f" AND {kept}"
    return f"""
WITH RECURSIVE reach(start_id, organization_id, distance, via_id, membership_id, certain) AS (
    SELECT s.id, s.id, 0, s.id, 0, 1 FROM organization s WHERE {st.any_of("s.id", starts)}
  UNION
    SELECT r.start_id, m.{reaches}, r.distance + 1, r.organization_id, m.id, r.certain * {_certain_on("m", day, as_of)}
    FROM reach r
    {hops}
    WHERE r.distance < {st.bind(depth)}{also}
),
nearest(start_id, organization_id, distance) AS (
    SELECT start_id, organization_id, MIN(distance) FROM reach GROUP BY start_id, organization_id
),
hop AS (
    SELECT r.start_id, r.distance, r.via_id, r.certain, {columns},
           ROW_NUMBER() OVER (
               PARTITION BY r.start_id, r.organization_id
               ORDER BY r.certain DESC, m.until_latest IS NULL DESC, m.until_latest DESC, r.via_id, m.id
           ) AS choice
    FROM reach r
    JOIN nearest n ON n.start_id = r.start_id AND n.organization_id = r.organization_id AND n.distance = r.distance
    JOIN membership m ON m.id = r.membership_id
    WHERE r.distance > 0
)"""


def membership_pages_sql(
    st: Statement,
    direction: Direction,
    starts: Sequence[int],
    depth: int,
    as_of: date | None,
    viewer: Viewer,
    request: PageRequest,
) -> str:
    """The statement behind ``reach_pages``: per start, the ``size + 1`` memberships of the page in scan order,
    the walk's size, and (on the first row) each organization reached beyond distance 1 with the one it was
    reached from, as ``reached:via`` pairs. The walk carries only ids; the page's memberships are read last."""
    _, reaches = direction.columns
    concatenate = "group_concat" if st.dialect == "sqlite" else "string_agg"
    pair = "CAST(reached AS TEXT) || ':' || CAST(via_id AS TEXT)"
    conditions = " AND ".join(cursor_conditions(st, WALK_ORDER, request, "w")) or "1 = 1"
    return (
        _walk_sql(st, direction, starts, depth, as_of, viewer, f"m.id, m.{reaches} AS reached")
        + f""",
walked AS (
    SELECT start_id, distance, via_id, certain, id, reached FROM hop WHERE distance = 1 OR choice = 1
),
totals AS (
    SELECT start_id, COUNT(*) AS walk_total, {concatenate}(CASE WHEN distance > 1 THEN {pair} END, ',') AS vias
    FROM walked GROUP BY start_id
),
kept AS (
    SELECT w.*, ROW_NUMBER() OVER (PARTITION BY w.start_id ORDER BY {order_by(WALK_ORDER, request.reverse, "w")}) AS position
    FROM walked w WHERE {conditions}
)
SELECT t.start_id AS page_start, t.walk_total, CASE WHEN k.position IS NULL OR k.position = 1 THEN t.vias END AS vias,
       k.distance, k.via_id, k.certain, k.reached, k.position, {_MEMBERSHIP_SELECT}
FROM totals t
LEFT JOIN kept k ON k.start_id = t.start_id AND k.position <= {st.bind(request.size + 1)}
LEFT JOIN membership m ON m.id = k.id
ORDER BY t.start_id, k.position
"""
    )


async def reach(
    direction: Direction,
    starts: Iterable[int],
    *,
    depth: int,
    as_of: date | None = None,
    viewer: Viewer = PUBLIC,
) -> dict[int, list[ReachedMembership]]:
    """For each start, the memberships that lead to every organization within ``depth`` hops.

    Each organization reached appears once, at its shortest distance, with the
    membership of the last hop; among hops of the same length, one still
    running wins, else the one that ended last, then the one from the
    organization with the lowest id, then the membership with the lowest id.
    Direct memberships (distance 1) are all listed, one per period, as the
    plain ``members``/``networks`` lists always were. With ``as_of``, only
    memberships that may hold that day are followed (``models.dates``), and
    each reached membership says how certainly its whole chain held; a chain
    that certainly held is preferred to an uncertain one of the same length.
    Organizations the viewer may not see are neither returned nor walked
    through. One SQL statement, whatever the number of starts.
    """
    start_ids = _walk_starts(starts, depth)
    if not start_ids:
        return {}
    st = statement()
    rows = await fetch(membership_reach_sql(st, direction, start_ids, depth, as_of, viewer), st)
    _, reaches = direction.columns
    via: dict[tuple[int, int], int] = {}
    for row in rows:
        via.setdefault((row["start_id"], row[reaches]), row["via_id"])
    found: dict[int, list[ReachedMembership]] = {start: [] for start in start_ids}
    for row in rows:
        start = row["start_id"]
        found[start].append(_hop(row, start, row[reaches], via, as_of is not None))
    return found


def _walk_starts(starts: Iterable[int], depth: int) -> list[int]:
    """The starts of a walk, once each in order; ValueError for a depth out of range (when there are starts)."""
    start_ids = sorted(set(starts))
    if start_ids and not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be between 1 and {MAX_DEPTH}")
    return start_ids


def _hop(row: Any, start: int, reached_id: int, via: Predecessors, on_a_day: bool) -> ReachedMembership:
    """A walk's row read as the membership reached from ``start`` (its chain's certainty when walked on a day)."""
    certainty = chain_certainty(row) if on_a_day else None
    return ReachedMembership(RowView(row, MEMBERSHIP), start, row["distance"], None, certainty, reached_id=reached_id, via=via)


class _Vias:
    """A walk's map of (start, organization reached) to the organization it was reached from, read from the
    statement's ``reached:via`` pairs when a path is first asked for (most queries never ask). The pairs leave
    out distance 1, reached from the start itself."""

    __slots__ = ("_found", "_pairs", "_start")

    def __init__(self, start: int, pairs: str | None) -> None:
        self._start = start
        self._pairs = pairs
        self._found: dict[tuple[int, int], int] | None = None

    def __getitem__(self, key: tuple[int, int]) -> int:
        if self._found is None:
            self._found = {}
            for pair in self._pairs.split(",") if self._pairs else ():
                reached, via = pair.split(":")
                self._found[(self._start, int(reached))] = int(via)
        return self._found.get(key, self._start)


async def reach_pages(
    direction: Direction,
    starts: Iterable[int],
    *,
    depth: int,
    request: PageRequest,
    as_of: date | None = None,
    viewer: Viewer = PUBLIC,
) -> dict[int, Page]:
    """For each start, one page (``request``, validated) of the memberships ``reach`` finds, cut in SQL.

    The same memberships, order, cursors and total as ``walk_page(reach(...))``, in one statement; only the
    page's rows come back (the walk itself is still computed whole: shortest paths need all of it).
    """
    start_ids = _walk_starts(starts, depth)
    if not start_ids:
        return {}
    st = statement()
    rows = await fetch(membership_pages_sql(st, direction, start_ids, depth, as_of, viewer, request), st)
    scanned: dict[int, list[Any]] = {start: [] for start in start_ids}
    totals: dict[int, int] = {}
    vias: dict[int, _Vias] = {}
    for row in rows:
        start = row["page_start"]
        if start not in totals:
            totals[start] = int(row["walk_total"])
            vias[start] = _Vias(start, row["vias"])
        if row["id"] is not None:
            scanned[start].append(row)
    pages: dict[int, Page] = {}
    for start in start_ids:
        total = totals.get(start, 0)

        async def count(total: int = total) -> int:
            return total

        via = vias.get(start) or _Vias(start, None)

        def reached(row: Any, start: int = start, via: _Vias = via) -> ReachedMembership:
            return _hop(row, start, row["reached"], via, as_of is not None)

        pages[start] = cut(scanned[start], WALK_ORDER, request, count).map(reached)
    return pages


# ------- connection between two parties -------


class PartyKind(int, Enum):
    """What a node of the connection graph is."""

    ORGANIZATION = 1
    OFFICE = 2


class LinkKind(str, Enum):
    """What a step of a connection follows."""

    MEMBERSHIP = "MEMBERSHIP"
    PARTNERSHIP = "PARTNERSHIP"


class LinkDirection(str, Enum):
    """Which way a step goes along its link."""

    FORWARD = "FORWARD"
    """From the member to its network, or from the UNODC office to its partner."""
    BACKWARD = "BACKWARD"
    """From the network to its member, or from the partner to the UNODC office."""


_LINK_CODES = {LinkKind.MEMBERSHIP: 1, LinkKind.PARTNERSHIP: 2}
"""How the statement spells a link kind (ordering steps: memberships first)."""
_LINK_KINDS = {code: kind for kind, code in _LINK_CODES.items()}


@dataclass(frozen=True)
class Party:
    """A node of the connection graph: an organization or an office, by primary key."""

    kind: PartyKind
    id: int


@dataclass(frozen=True)
class ConnectionStep:
    """One step of a chain: the link followed, which way, and the party reached."""

    position: int
    kind: LinkKind
    direction: LinkDirection
    link_id: int
    reached: Party


def connection_sql(st: Statement, source: Party, target: Party, max_depth: int, as_of: date | None, viewer: Viewer) -> str:
    """The statement behind ``connection``, its values bound to ``st``.

    ``edge`` lists every link both ways; ``reach`` walks them from the source,
    keeping for each party the step that led to it; ``chain`` climbs back from
    the target along the chosen steps, one per party at its shortest distance.
    """
    o, f = PartyKind.ORGANIZATION.value, PartyKind.OFFICE.value
    mem, par = _LINK_CODES[LinkKind.MEMBERSHIP], _LINK_CODES[LinkKind.PARTNERSHIP]
    day = st.bind(as_of) if as_of is not None else None
    m_valid = _valid_on("m", day)
    p_valid = _valid_on("p", day)
    shown = visible_organization_sql("o", viewer, st)
    join_visible = f" LEFT JOIN organization o ON e.to_kind = {o} AND o.id = e.to_id" if shown != "1 = 1" else ""
    visible = f" AND (e.to_kind <> {o} OR {shown})" if join_visible else ""
    source_kind, source_id = st.bind(source.kind.value), st.bind(source.id)
    target_kind, target_id = st.bind(target.kind.value), st.bind(target.id)
    return f"""
WITH RECURSIVE edge(from_kind, from_id, to_kind, to_id, link_kind, link_id, forward) AS (
    SELECT {o}, m.member_id, {o}, m.network_id, {mem}, m.id, 1 FROM membership m WHERE 1 = 1{m_valid}
  UNION ALL
    SELECT {o}, m.network_id, {o}, m.member_id, {mem}, m.id, 0 FROM membership m WHERE 1 = 1{m_valid}
  UNION ALL
    SELECT {f}, p.office_id, {o}, p.partner_organization_id, {par}, p.id, 1
    FROM partnership p WHERE p.partner_organization_id IS NOT NULL{p_valid}
  UNION ALL
    SELECT {o}, p.partner_organization_id, {f}, p.office_id, {par}, p.id, 0
    FROM partnership p WHERE p.partner_organization_id IS NOT NULL{p_valid}
  UNION ALL
    SELECT {f}, p.office_id, {f}, p.partner_office_id, {par}, p.id, 1
    FROM partnership p WHERE p.partner_office_id IS NOT NULL{p_valid}
  UNION ALL
    SELECT {f}, p.partner_office_id, {f}, p.office_id, {par}, p.id, 0
    FROM partnership p WHERE p.partner_office_id IS NOT NULL{p_valid}
),
reach(kind, id, distance, from_kind, from_id, link_kind, link_id, forward) AS (
    SELECT CAST({source_kind} AS INTEGER), CAST({source_id} AS INTEGER), 0, 0, 0, 0, 0, 0
  UNION
    SELECT e.to_kind, e.to_id, r.distance + 1, r.kind, r.id, e.link_kind, e.link_id, e.forward
    FROM reach r
    JOIN edge e ON e.from_kind = r.kind AND e.from_id = r.id{join_visible}
    WHERE r.distance < {st.bind(max_depth)}
      AND NOT (r.kind = {target_kind} AND r.id = {target_id})
      AND NOT (e.to_kind = {source_kind} AND e.to_id = {source_id}){visible}
),
nearest(kind, id, distance) AS (
    SELECT kind, id, MIN(distance) FROM reach GROUP BY kind, id
),
parent AS (
    SELECT r.kind, r.id, r.distance, r.from_kind, r.from_id, r.link_kind, r.link_id, r.forward,
           ROW_NUMBER() OVER (
               PARTITION BY r.kind, r.id
               ORDER BY r.link_kind, r.from_kind, r.from_id, r.link_id, r.forward DESC
           ) AS choice
    FROM reach r
    JOIN nearest n ON n.kind = r.kind AND n.id = r.id AND n.distance = r.distance
    WHERE r.distance > 0
),
chain(kind, id, distance, from_kind, from_id, link_kind, link_id, forward) AS (
    SELECT kind, id, distance, from_kind, from_id, link_kind, link_id, forward
    FROM parent WHERE choice = 1 AND kind = {target_kind} AND id = {target_id}
  UNION ALL
    SELECT a.kind, a.id, a.distance, a.from_kind, a.from_id, a.link_kind, a.link_id, a.forward
    FROM chain c JOIN parent a ON a.kind = c.from_kind AND a.id = c.from_id AND a.choice = 1
)
SELECT distance, kind, id, link_kind, link_id, forward FROM chain ORDER BY distance
"""


async def connection(
    source: Party,
    target: Party,
    *,
    max_depth: int,
    as_of: date | None = None,
    viewer: Viewer = PUBLIC,
) -> list[ConnectionStep] | None:
    """The shortest chain of memberships and partnerships from ``source`` to ``target``.

    Links are followed both ways (a member to its network and back, an office
    to its partner and back). None when no chain of at most ``max_depth``
    steps exists; the empty list when source and target are the same. Among
    chains of the same length, each step prefers memberships to partnerships,
    then organizations to offices, then the lowest id. One SQL statement.
    """
    if not 1 <= max_depth <= MAX_DEPTH:
        raise ValueError(f"max_depth must be between 1 and {MAX_DEPTH}")
    if source == target:
        return []
    st = statement()
    rows = await fetch_dicts(connection_sql(st, source, target, max_depth, as_of, viewer), st)
    if not rows:
        return None
    return [
        ConnectionStep(
            position=row["distance"],
            kind=_LINK_KINDS[row["link_kind"]],
            direction=LinkDirection.FORWARD if row["forward"] else LinkDirection.BACKWARD,
            link_id=row["link_id"],
            reached=Party(PartyKind(row["kind"]), row["id"]),
        )
        for row in rows
    ]


def shared(reached: Sequence[Sequence[ReachedMembership]]) -> dict[int, tuple[int, ...]]:
    """Organizations reached from every start, with the distance from each start, in start order."""
    distances: list[dict[int, int]] = []
    for found in reached:
        nearest: dict[int, int] = {}
        for hop in found:
            nearest.setdefault(hop.reached_id, hop.distance)
        distances.append(nearest)
    if not distances:
        return {}
    common = set(distances[0]).intersection(*distances[1:])
    return {organization: tuple(d[organization] for d in distances) for organization in common}
