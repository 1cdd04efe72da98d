"""Counts of organizations and events, grouped in SQL (``GROUP BY``), one statement per dimension.

A tallies object holds the conditions of one request (access rules, filter,
search) and computes a dimension only when asked, so a GraphQL query pays for
the fields it selects and nothing else. Rows never reach Python: each
statement returns one row per group (a kind, a country, a month...), and the
M49 regions are folded from the per-country counts with the small M49 table
(``domain.regions``), at most one row per country.

Groups come back sorted by count, largest first, then by key (enum value, ISO
or M49 code, slug, or month); the sort runs in Python, so both databases order
ties the same way whatever their collation.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Generic, TypeVar

from domain.access import Viewer
from domain.regions import CountryRegions, Region, regions_of
from models.dates import MEMBERSHIP_PERIOD, today
from queries.access import visible
from queries.batch import ALIAS, Where
from queries.filters import event_where, organization_where, ranges_within
from queries.sql import Statement, fetch, statement
from queries.tables import EVENT, MEMBERSHIP, ORGANIZATION, THEMATIC_AREA

K = TypeVar("K")


@dataclass(frozen=True)
class Tally(Generic[K]):
    """How many organizations or events share one value of a dimension (``uncertain`` of them only may)."""

    key: K
    count: int
    uncertain: int = 0


class AreaLevel(StrEnum):
    """Which level of the M49 hierarchy to count by."""

    REGION = "region"
    SUB_REGION = "sub_region"
    INTERMEDIATE_REGION = "intermediate_region"


def _ranked(tallies: Iterable[Tally[K]], sort_key: Callable[[K], Any]) -> list[Tally[K]]:
    """Largest count first, then by key."""
    return sorted(tallies, key=lambda tally: (-tally.count, sort_key(tally.key)))


def _enum_value(member: Any) -> str:
    return str(getattr(member, "value", member))


class _Memo:
    """Runs each named computation once, however many fields await it at the same time."""

    def __init__(self) -> None:
        self._tasks: dict[Hashable, asyncio.Future[Any]] = {}

    def __call__(self, name: Hashable, compute: Callable[[], Awaitable[Any]]) -> Awaitable[Any]:
        if name not in self._tasks:
            self._tasks[name] = asyncio.ensure_future(compute())
        return self._tasks[name]


def _where(st: Statement, conditions: list[str]) -> str:
    return f" WHERE {' AND '.join(conditions)}" if conditions else ""


class _Tallies:
    """Counts over one table with the request's conditions."""

    table = ORGANIZATION

    def __init__(self, viewer: Viewer, where: Where) -> None:
        self.viewer = viewer
        self.where = where
        self._memo = _Memo()

    def _conditions(self, st: Statement, alias: str = ALIAS) -> list[str]:
        return [*visible(self.table, alias, self.viewer, st), *self.where(st, alias)]

    def _ids(self, st: Statement) -> str:
        """SQL: the ids of the rows counted."""
        return f"SELECT {ALIAS}.id FROM {self.table.name} {ALIAS}{_where(st, self._conditions(st))}"

    async def _grouped(self, column: str) -> list[Tally[Any]]:
        st = statement()
        sql = (
            f"SELECT {ALIAS}.{column} AS value, COUNT(*) AS total FROM {self.table.name} {ALIAS}"
            f"{_where(st, self._conditions(st))} GROUP BY {ALIAS}.{column}"
        )
        return [Tally(row["value"], int(row["total"])) for row in await fetch(sql, st) if row["value"] is not None]

    async def total(self) -> int:
        """How many rows there are."""
        st = statement()
        return int((await fetch(f"SELECT COUNT(*) FROM {self.table.name} {ALIAS}{_where(st, self._conditions(st))}", st))[0][0])


# ------- organizations -------


class OrganizationTallies(_Tallies):
    """Counts of the organizations a viewer may see that meet a filter."""

    table = ORGANIZATION

    @classmethod
    async def of(cls, viewer: Viewer, filter: Any) -> OrganizationTallies:
        """Tallies of what ``organizations(filter: ...)`` lists for ``viewer``."""
        return cls(viewer, await organization_where(filter, viewer))

    async def by_kind(self) -> list[Tally[Any]]:
        """Organizations per kind."""
        return _ranked(await self._grouped("kind"), _enum_value)

    async def by_ecosoc_status(self) -> list[Tally[Any]]:
        """Organizations per ECOSOC status; those whose status is unknown are left out."""
        return _ranked(await self._grouped("ecosoc_status"), _enum_value)

    async def by_country(self) -> list[Tally[str]]:
        """Organizations per country code of the headquarters; those without one are left out.

        One statement per tallies object, shared with ``by_area``.
        """
        tallies = await self._memo("country", lambda: self._grouped("country"))
        return _ranked(tallies, str)

    async def by_area(self, level: AreaLevel) -> list[Tally[Region]]:
        """Organizations per M49 area of the headquarters' country, folded from ``by_country``.

        Countries outside the M49 table, and (for intermediate regions) those
        of a sub-region without intermediate regions, are left out.
        """
        counts: Counter[Region] = Counter()
        for tally in await self.by_country():
            regions = regions_of(tally.key)
            area = _area(regions, level) if regions is not None else None
            if area is not None:
                counts[area] += tally.count
        return _ranked((Tally(area, count) for area, count in counts.items()), lambda area: area.code)

    async def by_thematic_area(self) -> list[Tally[Any]]:
        """Organizations per thematic area; an organization counts once in each of its areas."""
        st = statement()
        columns = ", ".join(f"a.{column}" for column in THEMATIC_AREA.columns)
        sql = (
            f"SELECT {columns}, COUNT(*) AS total FROM thematic_area a"
            " JOIN organization_thematic_area l ON l.thematic_area_id = a.id"
            f" WHERE l.organization_id IN ({self._ids(st)}) GROUP BY a.id"
        )
        rows = await fetch(sql, st)
        return _ranked((Tally(THEMATIC_AREA.instance(row), int(row["total"])) for row in rows), lambda area: area.slug)

    async def by_network(self, as_of: date | None = None) -> list[Tally[Any]]:
        """Direct members per network the viewer may see, each member counted once.

        Every membership counts, past ones included, when ``as_of`` is None;
        on a day, those that may hold then (``models.dates``), as in
        ``Organization.members``, and ``uncertain`` counts the members none
        of whose memberships certainly held that day.
        """
        st = statement()
        conditions = [f"m.member_id IN ({self._ids(st)})", *visible(MEMBERSHIP, "m", self.viewer, st)]
        certain = "1"
        if as_of is not None:
            day = st.bind(as_of)
            conditions.append(MEMBERSHIP_PERIOD.possible_sql("m", day))
            certain = MEMBERSHIP_PERIOD.certainty_sql("m", day, as_of, today())
        networks = ", ".join(f"n.{column}" for column in ORGANIZATION.columns)
        shown = " AND ".join(visible(ORGANIZATION, "n", self.viewer, st)) or "1 = 1"
        sql = (
            f"SELECT {networks}, COUNT(DISTINCT m.member_id) AS total,"
            f" COUNT(DISTINCT CASE WHEN {certain} = 1 THEN m.member_id END) AS certain"
            f" FROM membership m JOIN organization n ON n.id = m.network_id"
            f" WHERE {' AND '.join(conditions)} AND {shown} GROUP BY n.id"
        )
        rows = await fetch(sql, st)
        return _ranked(
            (
                Tally(ORGANIZATION.instance(row), int(row["total"]), int(row["total"]) - int(row["certain"]))
                for row in rows
            ),
            lambda network: network.slug,
        )


def _area(regions: CountryRegions, level: AreaLevel) -> Region | None:
    area: Region | None = getattr(regions, level.value)
    return area


# ------- events -------


class EventTallies(_Tallies):
    """Counts of the events that meet a filter."""

    table = EVENT

    def __init__(self, viewer: Viewer, where: Where, ranges: Where | None) -> None:
        super().__init__(viewer, where)
        self.ranges = ranges

    @classmethod
    async def of(cls, viewer: Viewer, filter: Any) -> EventTallies:
        """Tallies of what ``events(filter: ...)`` lists."""
        return cls(viewer, await event_where(filter, viewer), ranges_within(filter))

    async def by_kind(self) -> list[Tally[Any]]:
        """Events per kind."""
        return _ranked(await self._grouped("kind"), _enum_value)

    async def by_format(self) -> list[Tally[Any]]:
        """Events per format; those whose format is unknown are left out."""
        return _ranked(await self._grouped("format"), _enum_value)

    async def by_month(self) -> list[Tally[str]]:
        """Events per month (``YYYY-MM``) in which one of their date ranges starts.

        An event counts once in every month where a range of it starts: once
        for four ranges in March, once in March and once in April for ranges
        starting in each. Only ranges overlapping the filter's date window
        count; events without dates are not counted. A range the event only
        falls within (``exact`` false) counts where it starts, and is
        ``uncertain`` there when it runs into a later month.
        """
        st = statement()
        conditions = [f"d.event_id IN ({self._ids(st)})", *(self.ranges(st, "d") if self.ranges else [])]
        start, end = st.year_month("d.start_date"), st.year_month("d.end_date")
        sql = (
            f"SELECT {start} AS month, COUNT(DISTINCT d.event_id) AS total,"
            f" COUNT(DISTINCT CASE WHEN d.exact = {st.true()} OR {start} = {end} THEN d.event_id END) AS certain"
            f" FROM event_date d WHERE {' AND '.join(conditions)} GROUP BY {start}"
        )
        rows = await fetch(sql, st)
        return _ranked(
            (Tally(str(row["month"]), int(row["total"]), int(row["total"]) - int(row["certain"])) for row in rows), str
        )
