"""Aggregates: how many organizations and events there are, grouped by one dimension at a time.

Each dimension is a field resolved on its own, so a query runs one SQL
statement per dimension it selects (``byCountry`` and the M49 region fields
share one), plus one for ``total`` and one for a ``search``.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from domain.access import Viewer
from plan.steps import Root
from queries.stats import AreaLevel, EventTallies, OrganizationTallies
from resolvers.time import AsOfListArg, as_of_day
from schema.country import Country, Region
from schema.enums import EcosocStatus, EventFormat, EventKind, OrganizationKind
from schema.fields import planned
from schema.filters import EventFilter, OrganizationFilter
from schema.organization import Organization, ThematicArea

COUNT_DESCRIPTION = "How many."
ORDER_NOTE = "Largest count first, then by"
LEFT_OUT_NOTE = "so the counts may add up to less than `total`"


# ------- one group of a dimension -------


@strawberry.type(description="Organizations of one kind.")
class OrganizationKindCount:
    kind: OrganizationKind = strawberry.field(description="The kind.")
    count: int = strawberry.field(description="How many organizations are of this kind.")


@strawberry.type(description="Organizations headquartered in one country.")
class CountryCount:
    country: Country = strawberry.field(description="The country.")
    count: int = strawberry.field(description="How many organizations have their headquarters there.")


@strawberry.type(
    description="Organizations headquartered in one UN M49 area (region, sub-region or intermediate region)."
)
class RegionCount:
    region: Region = strawberry.field(description="The M49 area.")
    count: int = strawberry.field(
        description="How many organizations have their headquarters in a country of the area."
    )


@strawberry.type(description="Organizations holding one ECOSOC consultative status.")
class EcosocStatusCount:
    status: EcosocStatus = strawberry.field(description="The status.")
    count: int = strawberry.field(description="How many organizations hold it.")


@strawberry.type(description="Organizations working on one thematic area.")
class ThematicAreaCount:
    thematic_area: ThematicArea = strawberry.field(description="The thematic area.")
    count: int = strawberry.field(description="How many organizations work on it.")


@strawberry.type(description="Direct members of one network.")
class NetworkCount:
    network: Organization = strawberry.field(description="The network.")
    count: int = strawberry.field(
        description="How many of the organizations counted are direct members of it (certain or not, on `asOf`)."
    )
    uncertain: int = strawberry.field(
        description="How many of `count` only may be members on `asOf` (no membership of theirs certainly held that day)."
    )


@strawberry.type(description="Events in one calendar month.")
class MonthCount:
    month: str = strawberry.field(description="The month, as YYYY-MM (e.g. 2023-03).")
    count: int = strawberry.field(description="How many events have a date range starting in the month.")
    uncertain: int = strawberry.field(
        description=(
            "How many of `count` are only known to fall within a range that starts in the month and runs into a "
            "later one, so they may not take place in this month."
        )
    )


@strawberry.type(description="Events of one kind.")
class EventKindCount:
    kind: EventKind = strawberry.field(description="The kind.")
    count: int = strawberry.field(description="How many events are of this kind.")


@strawberry.type(description="Events held in one format.")
class EventFormatCount:
    format: EventFormat = strawberry.field(description="The format.")
    count: int = strawberry.field(description="How many events are held in it.")


# ------- the stats objects -------




@strawberry.type(
    description=(
        "Counts of the organizations the caller may see that meet a filter; organizations withheld from public "
        "view are counted only for callers allowed to see them. Each field costs one database query, run only "
        "when selected."
    )
)
class OrganizationStats:
    tallies: strawberry.Private[OrganizationTallies]

    @strawberry.field(description="How many organizations meet the filter (the `totalCount` of `organizations`).")
    async def total(self) -> int:
        return await self.tallies.total()

    @strawberry.field(
        description=(
            f"Organizations per kind. {ORDER_NOTE} kind. "
            f"Organizations whose kind no source states are left out, {LEFT_OUT_NOTE}."
        )
    )
    async def by_kind(self) -> list[OrganizationKindCount]:
        return [OrganizationKindCount(kind=t.key, count=t.count) for t in await self.tallies.by_kind()]

    @strawberry.field(
        description=(
            f"Organizations per country of the headquarters. {ORDER_NOTE} ISO code. "
            f"Organizations with no known country are left out, {LEFT_OUT_NOTE}."
        )
    )
    async def by_country(self) -> list[CountryCount]:
        return [CountryCount(country=Country(code=t.key), count=t.count) for t in await self.tallies.by_country()]

    @strawberry.field(
        description=(
            f"Organizations per M49 region (e.g. Africa) of the headquarters' country. {ORDER_NOTE} M49 code. "
            f"Organizations with no known country, or one outside M49 (e.g. Antarctica), are left out, {LEFT_OUT_NOTE}."
        )
    )
    async def by_region(self) -> list[RegionCount]:
        return await self._by_area(AreaLevel.REGION)

    @strawberry.field(
        description=(
            f"Organizations per M49 sub-region (e.g. Sub-Saharan Africa) of the headquarters' country. "
            f"{ORDER_NOTE} M49 code. Organizations with no known country, or one outside M49, are left out, "
            f"{LEFT_OUT_NOTE}."
        )
    )
    async def by_sub_region(self) -> list[RegionCount]:
        return await self._by_area(AreaLevel.SUB_REGION)

    @strawberry.field(
        description=(
            f"Organizations per M49 intermediate region (e.g. Eastern Africa) of the headquarters' country. "
            f"{ORDER_NOTE} M49 code. Only some sub-regions are divided into intermediate regions: organizations "
            f"elsewhere, with no known country, or in one outside M49 are left out, {LEFT_OUT_NOTE}."
        )
    )
    async def by_intermediate_region(self) -> list[RegionCount]:
        return await self._by_area(AreaLevel.INTERMEDIATE_REGION)

    async def _by_area(self, level: AreaLevel) -> list[RegionCount]:
        tallies = await self.tallies.by_area(level)
        return [RegionCount(region=Region(code=t.key.code, name=t.key.name), count=t.count) for t in tallies]

    @strawberry.field(
        description=(
            f"Organizations per ECOSOC consultative status (NONE: known to hold none). {ORDER_NOTE} status. "
            f"Organizations whose status is unknown are left out, {LEFT_OUT_NOTE}."
        )
    )
    async def by_ecosoc_status(self) -> list[EcosocStatusCount]:
        return [EcosocStatusCount(status=t.key, count=t.count) for t in await self.tallies.by_ecosoc_status()]

    @strawberry.field(
        description=(
            f"Organizations per thematic area they work on. {ORDER_NOTE} slug. An organization counts once in each "
            "of its areas, so the counts may add up to more or less than `total`."
        )
    )
    async def by_thematic_area(self) -> list[ThematicAreaCount]:
        tallies = await self.tallies.by_thematic_area()
        return [ThematicAreaCount(thematic_area=t.key, count=t.count) for t in tallies]

    @strawberry.field(
        description=(
            "For each network the caller may see, how many of the organizations counted are its direct members "
            f"(each once, however many memberships it had). {ORDER_NOTE} the network's slug. Networks with no "
            "such member are left out."
        )
    )
    async def by_network(self, as_of: AsOfListArg = strawberry.UNSET) -> list[NetworkCount]:
        tallies = await self.tallies.by_network(as_of_day(as_of))
        return [NetworkCount(network=t.key, count=t.count, uncertain=t.uncertain) for t in tallies]


@strawberry.type(
    description=(
        "Counts of the events that meet a filter. Each field costs one database query, run only when selected."
    )
)
class EventStats:
    tallies: strawberry.Private[EventTallies]

    @strawberry.field(description="How many events meet the filter (the `totalCount` of `events`).")
    async def total(self) -> int:
        return await self.tallies.total()

    @strawberry.field(
        description=(
            "Events per month in which one of their date ranges starts (Vienna dates). An event counts once in "
            "each month where a range of it starts: once in 2023-03 for four ranges in March 2023, in both months "
            "for ranges starting in March and in April. With `dateFrom`/`dateTo`, only ranges overlapping that "
            f"window count. Events without known dates are left out. {ORDER_NOTE} month."
        )
    )
    async def by_month(self) -> list[MonthCount]:
        return [MonthCount(month=t.key, count=t.count, uncertain=t.uncertain) for t in await self.tallies.by_month()]

    @strawberry.field(description=f"Events per kind. {ORDER_NOTE} kind. The counts add up to `total`.")
    async def by_kind(self) -> list[EventKindCount]:
        return [EventKindCount(kind=t.key, count=t.count) for t in await self.tallies.by_kind()]

    @strawberry.field(
        description=(
            f"Events per format. {ORDER_NOTE} format. Events whose format is unknown are left out, {LEFT_OUT_NOTE}."
        )
    )
    async def by_format(self) -> list[EventFormatCount]:
        return [EventFormatCount(format=t.key, count=t.count) for t in await self.tallies.by_format()]


# ------- root fields -------


OrganizationFilterArg = Annotated[
    OrganizationFilter | None,
    strawberry.argument(description="Count only the organizations meeting these conditions (as in `organizations`)."),
]
EventFilterArg = Annotated[
    EventFilter | None,
    strawberry.argument(description="Count only the events meeting these conditions (as in `events`)."),
]


@strawberry.type(description="Root fields of aggregate counts; part of Query.")
class StatsQuery:
    @strawberry.field(
        description=(
            "How many organizations meet a filter, in all and grouped by kind, country, M49 area, ECOSOC status, "
            "thematic area and network."
        ),
        metadata=planned(Root(lambda run, arguments, plan: _organization_stats(run.viewer, arguments["filter"]))),
    )
    async def organization_stats(
        self, info: strawberry.Info, filter: OrganizationFilterArg = None
    ) -> OrganizationStats:
        return await _organization_stats(info.context.viewer, filter)

    @strawberry.field(
        description="How many events meet a filter, in all and grouped by month, kind and format.",
        metadata=planned(Root(lambda run, arguments, plan: _event_stats(run.viewer, arguments["filter"]))),
    )
    async def event_stats(self, info: strawberry.Info, filter: EventFilterArg = None) -> EventStats:
        return await _event_stats(info.context.viewer, filter)


async def _organization_stats(viewer: Viewer, filter: Any) -> OrganizationStats:
    return OrganizationStats(tallies=await OrganizationTallies.of(viewer, filter))


async def _event_stats(viewer: Viewer, filter: Any) -> EventStats:
    return EventStats(tallies=await EventTallies.of(viewer, filter))
