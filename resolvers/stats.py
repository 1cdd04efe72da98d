"""Counts of organizations and events, grouped in SQL (``GROUP BY``), one statement per dimension.

A stats object holds the conditions of one request (visibility, filter,
search) and computes a dimension only when asked, so a GraphQL query pays
for the fields it selects and nothing else. Rows never reach Python: each
statement returns one row per group (a kind, a country, a month...), and the
M49 regions are folded from the per-country counts with the small M49
table (``domain.regions``), at most one row per country.

Groups come back sorted by count, largest first, then by key (enum value,
ISO or M49 code, slug, or month); the sort runs in Python, so both databases
order ties the same way whatever their collation.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum, StrEnum
from typing import Any, Generic, TypeVar

from pypika_tortoise.terms import Function as SqlFunction
from tortoise.expressions import Function, Q, Subquery
from tortoise.functions import Count

from models import Event, EventDate, Membership, Organization, ThematicArea
from db.querysets import parameterized
from models.dates import MEMBERSHIP_PERIOD, today
from models.enums import EcosocStatus, EventFormat, EventKind, OrganizationKind
from resolvers.filters import event_conditions, organization_conditions, search_conditions
from domain.access import Viewer, visible_organizations
from domain.regions import CountryRegions, Region, regions_of

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


def _enum_value(member: Enum) -> str:
    return str(member.value)


class _Memo:
    """Runs each named computation once, however many fields await it at the same time."""

    def __init__(self) -> None:
        self._tasks: dict[Hashable, asyncio.Future[Any]] = {}

    def __call__(self, name: Hashable, compute: Callable[[], Awaitable[Any]]) -> Awaitable[Any]:
        if name not in self._tasks:
            self._tasks[name] = asyncio.ensure_future(compute())
        return self._tasks[name]


# ------- organizations -------


class OrganizationTallies:
    """Counts of the organizations a viewer may see that meet a filter."""

    def __init__(self, conditions: Q, visible: Q) -> None:
        self.conditions = conditions
        self.visible = visible
        self._memo = _Memo()

    @classmethod
    async def of(cls, viewer: Viewer, filter: Any) -> OrganizationTallies:
        """Tallies of what ``organizations(filter: ...)`` lists for ``viewer``."""
        visible = visible_organizations(viewer)
        conditions = Q(
            visible,
            await organization_conditions(filter, viewer),
            await search_conditions("Organization", filter, viewer),
        )
        return cls(conditions, visible)

    def _organizations(self) -> Any:
        return Organization.filter(self.conditions)

    def _ids(self) -> Subquery:
        return Subquery(self._organizations().values("id"))

    async def _grouped(self, column: str) -> list[Tally[Any]]:
        rows = await self._organizations().annotate(count=Count("id")).group_by(column).values(column, "count")
        return [Tally(row[column], int(row["count"])) for row in rows if row[column] is not None]

    async def total(self) -> int:
        """How many organizations there are."""
        return int(await self._organizations().count())

    async def by_kind(self) -> list[Tally[OrganizationKind]]:
        """Organizations per kind."""
        return _ranked(await self._grouped("kind"), _enum_value)

    async def by_ecosoc_status(self) -> list[Tally[EcosocStatus]]:
        """Organizations per ECOSOC status; those whose status is unknown are left out."""
        return _ranked(await self._grouped("ecosoc_status"), _enum_value)

    async def by_country(self) -> list[Tally[str]]:
        """Organizations per country code of the headquarters; those without one are left out.

        One statement per stats object, shared with ``by_area``.
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

    async def by_thematic_area(self) -> list[Tally[ThematicArea]]:
        """Organizations per thematic area; an organization counts once in each of its areas."""
        counted = Count("organization_links", _filter=Q(organization_links__organization_id__in=self._ids()))
        areas = await ThematicArea.annotate(count=counted).filter(count__gt=0)
        return _ranked((Tally(area, _annotated_count(area)) for area in areas), lambda area: area.slug)

    async def by_network(self, as_of: date | None = None) -> list[Tally[Organization]]:
        """Direct members per network the viewer may see, each member counted once.

        Every membership counts, past ones included, when ``as_of`` is None;
        on a day, those that may hold then (``models.dates``), as in
        ``Organization.members``, and ``uncertain`` counts the members none
        of whose memberships certainly held that day.
        """
        memberships = Membership.filter(member_id__in=self._ids())
        certain = memberships
        if as_of is not None:
            memberships = memberships.filter(MEMBERSHIP_PERIOD.possible_q(as_of))
            certain = memberships.filter(MEMBERSHIP_PERIOD.certain_q(as_of, today()))

        def members(links: Any) -> Count:
            return Count("member_links__member_id", distinct=True, _filter=Q(member_links__id__in=Subquery(links.values("id"))))

        networks = (
            await Organization.filter(self.visible)
            .annotate(count=members(memberships), certain=members(certain))
            .filter(count__gt=0)
        )
        return _ranked(
            (Tally(n, _annotated_count(n), _annotated_count(n) - int(n.certain)) for n in networks), lambda n: n.slug
        )


def _annotated_count(row: Any) -> int:
    """The ``count`` annotation of a model instance."""
    return int(row.count)


def _area(regions: CountryRegions, level: AreaLevel) -> Region | None:
    area: Region | None = getattr(regions, level.value)
    return area


# ------- events -------


class _YearMonthSql(SqlFunction):
    """``YYYY-MM`` of a date column, in the dialect of the database."""

    def __init__(self, term: Any, alias: str | None = None) -> None:
        super().__init__("YEAR_MONTH", term, alias=alias)

    def get_function_sql(self, ctx: Any) -> str:
        column = self.get_arg_sql(self.args[0], ctx)
        if ctx.dialect.value == "postgresql":
            return f"to_char({column}, 'YYYY-MM')"
        return f"strftime('%Y-%m', {column})"


class YearMonth(Function):
    """``YYYY-MM`` of a date field: ``strftime`` on SQLite, ``to_char`` on PostgreSQL."""

    database_func = _YearMonthSql


def ranges_within(filter: Any) -> Q:
    """Date ranges (EventDate rows) overlapping the filter's ``dateFrom``/``dateTo`` window; all without one."""
    window: dict[str, Any] = {}
    if getattr(filter, "date_from", None):
        window["end_date__gte"] = filter.date_from
    if getattr(filter, "date_to", None):
        window["start_date__lte"] = filter.date_to
    return Q(**window)


class EventTallies:
    """Counts of the events that meet a filter."""

    def __init__(self, conditions: Q, ranges: Q) -> None:
        self.conditions = conditions
        self.ranges = ranges

    @classmethod
    async def of(cls, viewer: Viewer, filter: Any) -> EventTallies:
        """Tallies of what ``events(filter: ...)`` lists."""
        conditions = Q(event_conditions(filter, viewer), await search_conditions("Event", filter, viewer))
        return cls(conditions, ranges_within(filter))

    def _events(self) -> Any:
        return Event.filter(self.conditions)

    async def _grouped(self, column: str) -> list[Tally[Any]]:
        rows = await self._events().annotate(count=Count("id")).group_by(column).values(column, "count")
        return [Tally(row[column], int(row["count"])) for row in rows if row[column] is not None]

    async def total(self) -> int:
        """How many events there are."""
        return int(await self._events().count())

    async def by_kind(self) -> list[Tally[EventKind]]:
        """Events per kind."""
        return _ranked(await self._grouped("kind"), _enum_value)

    async def by_format(self) -> list[Tally[EventFormat]]:
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
        ranges = EventDate.filter(self.ranges, event_id__in=Subquery(self._events().values("id")))
        months = ranges.annotate(month=YearMonth("start_date"), end_month=YearMonth("end_date"))
        sql, params, connection = parameterized(months.values("event_id", "month", "end_month", "exact"))
        rows = await connection.execute_query_dict(
            "SELECT month, COUNT(DISTINCT event_id) AS count,"
            " COUNT(DISTINCT CASE WHEN exact OR month = end_month THEN event_id END) AS certain"
            f" FROM ({sql}) AS ranges GROUP BY month",
            params,
        )
        return _ranked(
            (Tally(str(row["month"]), int(row["count"]), int(row["count"]) - int(row["certain"])) for row in rows), str
        )
