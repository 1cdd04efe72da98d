"""organizationStats and eventStats: counts grouped in SQL, checked against the lists they summarise."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import models
from models.enums import EventFormat, OrganizationKind
from tests.factories import scratch

ORGANIZATION_STATS = """
query OrganizationStats($filter: OrganizationFilter, $asOf: Date) {
  organizationStats(filter: $filter) {
    total
    byKind { kind count }
    byCountry { country { code name } count }
    byRegion { region { code name } count }
    bySubRegion { region { code name } count }
    byIntermediateRegion { region { code name } count }
    byEcosocStatus { status count }
    byThematicArea { thematicArea { slug name } count }
    byNetwork(asOf: $asOf) { network { id slug } count }
  }
}
"""

ORGANIZATION_COUNT = """
query OrganizationCount($filter: OrganizationFilter) { organizations(filter: $filter, first: 0) { totalCount } }
"""

EVENT_STATS = """
query EventStats($filter: EventFilter) {
  eventStats(filter: $filter) { total byMonth { month count uncertain } byKind { kind count } byFormat { format count } }
}
"""

EVENTS = """
query Events($filter: EventFilter) {
  events(filter: $filter, first: 100) { totalCount nodes { slug kind dates { startDate endDate } } }
}
"""

MEMBERS = """
query Members($slug: String!, $asOf: Date) {
  organization(slug: $slug) { members(asOf: $asOf, first: 100) { nodes { member { id } } } }
}
"""

KINDS = """
query Kinds($filter: OrganizationFilter, $after: String) {
  organizations(filter: $filter, first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { kind } }
}
"""

ORGANIZATION_FILTERS: list[dict[str, Any] | None] = [
    None,
    {"kinds": ["NGO"]},
    {"kinds": ["UMBRELLA_NETWORK"], "countries": ["AT"]},
    {"regions": ["Western Europe"]},
    {"ecosocStatuses": ["SPECIAL"]},
    {"thematicAreas": ["drugs", "corruption"]},
    {"memberOf": {"network": "congo"}},
    {"memberOf": {"network": "congo", "depth": None}},
    {"search": "vienna"},
    {"countries": ["BR"]},
]

EVENT_FILTERS: list[dict[str, Any] | None] = [
    None,
    {"kinds": ["LAUNCH"]},
    {"formats": ["HYBRID"], "dateTo": "2023-04-30"},
    {"dateFrom": "2023-03-15", "dateTo": "2023-03-31"},
    {"governingBody": "cnd"},
    {"search": "briefing"},
]


async def _organization_stats(
    gql: Any, filter: dict[str, Any] | None = None, as_of: str | None = None
) -> dict[str, Any]:
    data = await gql.data(ORGANIZATION_STATS, {"filter": filter, "asOf": as_of})
    return data["organizationStats"]


async def _organization_count(gql: Any, filter: dict[str, Any] | None) -> int:
    return int((await gql.data(ORGANIZATION_COUNT, {"filter": filter}))["organizations"]["totalCount"])


async def _event_stats(gql: Any, filter: dict[str, Any] | None = None) -> dict[str, Any]:
    return (await gql.data(EVENT_STATS, {"filter": filter}))["eventStats"]


async def _distinct_members(gql: Any, slug: str, as_of: str | None = None) -> int:
    data = await gql.data(MEMBERS, {"slug": slug, "asOf": as_of})
    return len({hop["member"]["id"] for hop in data["organization"]["members"]["nodes"]})


async def _unknown_kinds(gql: Any, filter: dict[str, Any] | None) -> int:
    """How many organizations of the list no source gives a kind."""
    unknown, after = 0, None
    while True:
        page = (await gql.data(KINDS, {"filter": filter, "after": after}))["organizations"]
        unknown += sum(node["kind"] is None for node in page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            return unknown
        after = page["pageInfo"]["endCursor"]


def _counts(groups: list[dict[str, Any]], key: str, field: str | None = None) -> dict[Any, int]:
    return {(group[key][field] if field else group[key]): group["count"] for group in groups}


def _is_ranked(groups: list[dict[str, Any]], key: Any) -> bool:
    order = [(-group["count"], key(group)) for group in groups]
    return order == sorted(order)


# ------- organizationStats -------


@pytest.mark.parametrize("filter", ORGANIZATION_FILTERS)
async def test_total_is_the_total_count_of_the_same_list(gql: Any, filter: dict[str, Any] | None) -> None:
    stats = await _organization_stats(gql, filter)
    assert stats["total"] == await _organization_count(gql, filter)


@pytest.mark.parametrize("filter", ORGANIZATION_FILTERS)
async def test_kind_counts_add_up_to_total(gql: Any, filter: dict[str, Any] | None) -> None:
    """With the organizations whose kind no source states, which no kind counts."""
    stats = await _organization_stats(gql, filter)
    assert sum(group["count"] for group in stats["byKind"]) + await _unknown_kinds(gql, filter) == stats["total"]
    for kind, count in _counts(stats["byKind"], "kind").items():
        narrowed = {**(filter or {}), "kinds": [kind]}
        assert count == await _organization_count(gql, narrowed), kind


async def test_answers_on_the_fixture_data(gql: Any) -> None:
    """Literal answers on the data files (data/unodc.json and data/networks), so every database gives the same ones."""
    stats = await _organization_stats(gql)
    assert stats["total"] == 126
    assert stats["byKind"] == [
        {"kind": "UMBRELLA_NETWORK", "count": 37},
        {"kind": "FOUNDATION", "count": 6},
        {"kind": "NGO", "count": 2},
        {"kind": "ACADEMIA", "count": 1},
        {"kind": "FAITH_BASED_ORGANIZATION", "count": 1},
        {"kind": "INTERGOVERNMENTAL_ORGANIZATION", "count": 1},
    ]
    assert stats["byCountry"][:5] == [
        {"country": {"code": "US", "name": "United States"}, "count": 10},
        {"country": {"code": "AT", "name": "Austria"}, "count": 8},
        {"country": {"code": "CH", "name": "Switzerland"}, "count": 5},
        {"country": {"code": "GB", "name": "United Kingdom"}, "count": 4},
        {"country": {"code": "NG", "name": "Nigeria"}, "count": 3},
    ]
    assert len(stats["byCountry"]) == 28
    assert _counts(stats["bySubRegion"], "region", "name")["Western Europe"] == 14
    assert _counts(stats["byIntermediateRegion"], "region", "name") == {
        "Western Africa": 3,
        "South America": 2,
        "Eastern Africa": 1,
        "Southern Africa": 1,
    }
    assert stats["byEcosocStatus"] == [{"status": "SPECIAL", "count": 1}]
    assert stats["byThematicArea"] == [
        {"thematicArea": {"slug": "drugs", "name": "Drugs"}, "count": 2},
        {"thematicArea": {"slug": "corruption", "name": "Corruption"}, "count": 1},
        {
            "thematicArea": {
                "slug": "crime-prevention-criminal-justice",
                "name": "Crime prevention and criminal justice",
            },
            "count": 1,
        },
        {"thematicArea": {"slug": "organized-crime", "name": "Transnational organized crime"}, "count": 1},
    ]
    assert [(group["network"]["slug"], group["count"]) for group in stats["byNetwork"]] == [
        ("uncac-coalition", 39),
        ("congo", 35),
        ("alliance", 26),
        ("vngoc", 25),
        ("congo-special-committee-on-human-rights-geneva", 2),
        ("congo-committee-on-the-status-of-women-geneva", 1),
        ("uncac-latin-america-platform", 1),
    ]


BY_COUNTRY_WITH_AREAS = """
{
  organizationStats {
    byCountry { count country { code region { code } subRegion { code } intermediateRegion { code } } }
    byRegion { region { code } count }
    bySubRegion { region { code } count }
    byIntermediateRegion { region { code } count }
  }
}
"""


async def test_country_counts_match_the_country_filter(gql: Any) -> None:
    async with scratch("stats-countries") as rows:
        for name, country in (("nairobi", "KE"), ("mombasa", "KE"), ("lima", "PE"), ("paris", "FR")):
            await rows.organization(name, country=country)
        stats = await _organization_stats(gql)
        for code, count in _counts(stats["byCountry"], "country", "code").items():
            assert count == await _organization_count(gql, {"countries": [code]}), code
        assert _counts(stats["bySubRegion"], "region", "code")["155"] == await _organization_count(
            gql, {"regions": ["Western Europe"]}
        )


async def test_region_counts_fold_the_country_counts(gql: Any) -> None:
    before = (await gql.data(BY_COUNTRY_WITH_AREAS))["organizationStats"]
    async with scratch("stats-areas") as rows:
        for name, country in (("nairobi", "KE"), ("kampala", "UG"), ("lima", "PE"), ("paris", "FR"), ("pole", "AQ")):
            await rows.organization(name, country=country)
        stats = (await gql.data(BY_COUNTRY_WITH_AREAS))["organizationStats"]
    for dimension, level in (
        ("byRegion", "region"),
        ("bySubRegion", "subRegion"),
        ("byIntermediateRegion", "intermediateRegion"),
    ):
        folded: dict[str, int] = {}
        for group in stats["byCountry"]:
            if area := group["country"][level]:
                folded[area["code"]] = folded.get(area["code"], 0) + group["count"]
        assert _counts(stats[dimension], "region", "code") == folded, dimension
    intermediate, earlier = (_counts(s["byIntermediateRegion"], "region", "code") for s in (stats, before))
    assert intermediate == {**earlier, "014": earlier.get("014", 0) + 2, "005": earlier.get("005", 0) + 1}


async def test_thematic_area_and_ecosoc_counts_match_their_filters(gql: Any) -> None:
    stats = await _organization_stats(gql)
    for slug, count in _counts(stats["byThematicArea"], "thematicArea", "slug").items():
        assert count == await _organization_count(gql, {"thematicAreas": [slug]}), slug
    for status, count in _counts(stats["byEcosocStatus"], "status").items():
        assert count == await _organization_count(gql, {"ecosocStatuses": [status]}), status


async def test_alliance_member_count_is_the_length_of_its_members(gql: Any) -> None:
    stats = await _organization_stats(gql)
    counts = _counts(stats["byNetwork"], "network", "slug")
    assert counts["alliance"] == await _distinct_members(gql, "alliance") == 26
    for slug, count in counts.items():
        assert count == await _distinct_members(gql, slug), slug


async def test_network_counts_follow_the_filter_and_the_day(gql: Any) -> None:
    """VNGOC left CoNGO in 2011; the only NGOs are GI-TOC, in the Alliance, and TI, in the UNCAC Coalition."""
    on_the_day = _counts((await _organization_stats(gql, as_of="2023-01-01"))["byNetwork"], "network", "slug")
    assert on_the_day == {slug: await _distinct_members(gql, slug, "2023-01-01") for slug in on_the_day}
    assert on_the_day["congo"] == await _distinct_members(gql, "congo") - 1
    ngos = await _organization_stats(gql, {"kinds": ["NGO"]})
    assert _counts(ngos["byNetwork"], "network", "slug") == {"alliance": 1, "uncac-coalition": 1}


async def test_groups_are_sorted_by_count_then_key(gql: Any) -> None:
    async with scratch("stats-order") as rows:
        for name, country in (("one", "KE"), ("two", "KE"), ("three", "BR"), ("four", "FR")):
            await rows.organization(name, country=country)
        stats = await _organization_stats(gql)
    assert _is_ranked(stats["byKind"], lambda group: group["kind"])
    assert _is_ranked(stats["byCountry"], lambda group: group["country"]["code"])
    assert [group["country"]["code"] for group in stats["byCountry"]][:6] == ["US", "AT", "CH", "GB", "KE", "NG"]
    for dimension in ("byRegion", "bySubRegion", "byIntermediateRegion"):
        assert _is_ranked(stats[dimension], lambda group: group["region"]["code"]), dimension
    assert _is_ranked(stats["byThematicArea"], lambda group: group["thematicArea"]["slug"])
    assert _is_ranked(stats["byNetwork"], lambda group: group["network"]["slug"])


async def test_hidden_organizations_are_never_counted_for_the_public(gql: Any) -> None:
    before = await _organization_stats(gql)
    async with scratch("stats-hidden") as rows:
        hidden = await rows.organization("secret", country="KE", hidden=True, ecosoc_status="GENERAL")
        network = await rows.organization("secret network", kind=OrganizationKind.UMBRELLA_NETWORK, hidden=True)
        visible = await rows.organization("visible", country="KE")
        alliance = await models.Organization.get(slug="alliance")
        await rows.membership(hidden, alliance)
        await rows.membership(visible, network)
        drugs = await models.ThematicArea.get(slug="drugs")
        await models.OrganizationThematicArea.create(organization=hidden, thematic_area=drugs)
        after = await _organization_stats(gql)
    assert after["total"] == before["total"] + 1
    kenya = _counts(before["byCountry"], "country", "code").get("KE", 0)
    assert _counts(after["byCountry"], "country", "code")["KE"] == kenya + 1
    assert after["byEcosocStatus"] == before["byEcosocStatus"]
    assert after["byThematicArea"] == before["byThematicArea"]
    assert after["byNetwork"] == before["byNetwork"]


async def test_an_unknown_region_is_a_client_error(gql: Any) -> None:
    body = await gql('{ organizationStats(filter: {regions: ["Atlantis"]}) { total } }', errors=True)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "Atlantis" in body["errors"][0]["message"]


# ------- eventStats -------


@pytest.mark.parametrize("filter", EVENT_FILTERS)
async def test_event_total_and_kinds_match_the_events_list(gql: Any, filter: dict[str, Any] | None) -> None:
    stats = await _event_stats(gql, filter)
    events = (await gql.data(EVENTS, {"filter": filter}))["events"]
    assert stats["total"] == events["totalCount"]
    assert sum(group["count"] for group in stats["byKind"]) == stats["total"]
    kinds: dict[str, int] = {}
    for event in events["nodes"]:
        kinds[event["kind"]] = kinds.get(event["kind"], 0) + 1
    assert _counts(stats["byKind"], "kind") == kinds


async def test_months_count_each_event_once_per_month_its_ranges_start_in(gql: Any) -> None:
    stats = await _event_stats(gql)
    events = (await gql.data(EVENTS))["events"]["nodes"]
    months: dict[str, int] = {}
    for event in events:
        for month in {day["startDate"][:7] for day in event["dates"]}:
            months[month] = months.get(month, 0) + 1
    assert _counts(stats["byMonth"], "month") == months
    # AHC intersessional 4, WhatsOn phase II launch, CND 66, the WhatsOn members' launch
    # (four ranges in March, counted once), the SE4U course and the two informal dialogues
    # (some day during CND 66: within March, so certainly in March).
    assert months["2023-03"] == 7
    march = next(group for group in stats["byMonth"] if group["month"] == "2023-03")
    assert march["uncertain"] == 0
    launches = await _event_stats(gql, {"kinds": ["LAUNCH"]})
    assert _counts(launches["byMonth"], "month") == {"2023-03": 2}


async def test_months_keep_only_ranges_in_the_date_window(gql: Any) -> None:
    async with scratch("stats-window") as rows:
        event = await rows.event("twice", dt.date(2023, 3, 2), format=EventFormat.ONLINE)
        await models.EventDate.create(event=event, start_date=dt.date(2023, 9, 4), end_date=dt.date(2023, 9, 5))
        everything = await _event_stats(gql, {"kinds": ["WORKSHOP"]})
        autumn = await _event_stats(gql, {"kinds": ["WORKSHOP"], "dateFrom": "2023-09-01"})
    assert _counts(everything["byMonth"], "month") == {"2023-03": 1, "2023-04": 1, "2023-09": 1}
    assert _counts(autumn["byMonth"], "month") == {"2023-09": 1}


async def test_event_answers_on_the_fixture_data(gql: Any) -> None:
    stats = await _event_stats(gql)
    assert stats["total"] == 19
    assert stats["byMonth"] == [
        {"month": "2023-03", "count": 7, "uncertain": 0},
        {"month": "2023-05", "count": 3, "uncertain": 0},
        {"month": "2023-06", "count": 3, "uncertain": 0},
        {"month": "2023-04", "count": 2, "uncertain": 0},
        {"month": "2023-01", "count": 1, "uncertain": 0},
        {"month": "2023-12", "count": 1, "uncertain": 0},
        {"month": "2026-04", "count": 1, "uncertain": 0},
    ]
    assert stats["byFormat"] == [
        {"format": "HYBRID", "count": 9},
        {"format": "ONLINE", "count": 1},
        {"format": "SELF_PACED", "count": 1},
    ]
    assert _is_ranked(stats["byKind"], lambda group: group["kind"])


# ------- cost -------


async def test_statements_are_one_per_selected_dimension(gql: Any) -> None:
    assert await gql.statements("{ organizationStats { total } }") == 1
    assert await gql.statements("{ organizationStats { byKind { count } } }") == 1
    shared = """
    { organizationStats {
        byCountry { count } byRegion { count } bySubRegion { count } byIntermediateRegion { count }
    } }
    """
    assert await gql.statements(shared) == 1
    assert await gql.statements("{ organizationStats { byNetwork { network { slug acronym } count } } }") == 1
    assert await gql.statements("{ eventStats { byMonth { month count } } }") == 1
    assert await gql.statements(ORGANIZATION_STATS) == 6
    assert await gql.statements(EVENT_STATS) == 4
    assert await gql.statements(ORGANIZATION_STATS, {"filter": {"search": "vienna"}}) == 7


async def test_statements_do_not_grow_with_the_data(gql: Any) -> None:
    before = (await gql.statements(ORGANIZATION_STATS), await gql.statements(EVENT_STATS))
    async with scratch("stats-size") as rows:
        network = await rows.organization("network", kind=OrganizationKind.UMBRELLA_NETWORK, country="BR")
        drugs = await models.ThematicArea.get(slug="drugs")
        for number in range(10):
            member = await rows.organization(f"member {number}", country="KE", ecosoc_status="ROSTER")
            await rows.membership(member, network)
            await models.OrganizationThematicArea.create(organization=member, thematic_area=drugs)
            await rows.event(f"event {number}", dt.date(2024, 1 + number, 1), format=EventFormat.ONLINE)
        after = (await gql.statements(ORGANIZATION_STATS), await gql.statements(EVENT_STATS))
        grown = await _organization_stats(gql)
    assert after == before == (6, 4)
    assert _counts(grown["byNetwork"], "network", "slug")["stats-size-network"] == 10
