"""Filters and orderings of the root lists, answered in SQL (one statement per page)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import models
from models.enums import EcosocStatus, EventFormat, Language, OrganizationKind
from tests.factories import scratch

ORGS = """
query($filter: OrganizationFilter, $order: OrganizationOrder, $first: Int, $after: String) {
  organizations(filter: $filter, orderBy: $order, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { slug yearFounded country { code } }
  }
}
"""
EVENTS = """
query($filter: EventFilter, $order: EventOrder) {
  events(filter: $filter, orderBy: $order, first: 100) { totalCount nodes { slug } }
}
"""


def _slugs(data: dict[str, Any], root: str) -> list[str]:
    return [node["slug"] for node in data[root]["nodes"]]


async def test_organizations_filter_by_region_kind_status_and_language(gql: Any) -> None:
    async with scratch("flt") as rows:
        kenyan = await rows.organization("kenya", country="KE", ecosoc_status=EcosocStatus.SPECIAL)
        await models.OrganizationLanguage.create(organization=kenyan, language=Language.FR)
        await rows.organization("uganda-foundation", country="UG", kind=OrganizationKind.FOUNDATION)
        await rows.organization("austria", country="AT")
        east_africa = await gql.data(ORGS, {"filter": {"regions": ["Eastern Africa"]}, "first": 100})
        by_code = await gql.data(ORGS, {"filter": {"regions": ["014"]}, "first": 100})
        ngos_in_africa = await gql.data(ORGS, {"filter": {"regions": ["Africa"], "kinds": ["NGO"]}, "first": 100})
        special = await gql.data(ORGS, {"filter": {"ecosocStatuses": ["SPECIAL"], "countries": ["ke"]}, "first": 100})
        french = await gql.data(ORGS, {"filter": {"workingLanguages": ["FR"], "regions": ["Eastern Africa"]}, "first": 100})
    assert {"flt-kenya", "flt-uganda-foundation"} <= set(_slugs(east_africa, "organizations"))
    assert "flt-austria" not in _slugs(east_africa, "organizations")
    assert _slugs(by_code, "organizations") == _slugs(east_africa, "organizations")
    assert "flt-uganda-foundation" not in _slugs(ngos_in_africa, "organizations")
    assert _slugs(special, "organizations") == ["flt-kenya"]
    assert _slugs(french, "organizations") == ["flt-kenya"]


async def test_member_of_a_network(gql: Any) -> None:
    async with scratch("mem") as rows:
        network = await rows.organization("network", kind=OrganizationKind.UMBRELLA_NETWORK)
        inside = await rows.organization("inside")
        await rows.organization("outside")
        await rows.membership(inside, network)
        data = await gql.data(ORGS, {"filter": {"memberOf": {"network": network.slug}}, "first": 100})
    assert _slugs(data, "organizations") == ["mem-inside"]


async def test_unknown_region_is_a_clear_error(gql: Any) -> None:
    body = await gql(ORGS, {"filter": {"regions": ["Narnia"]}}, errors=True)
    assert "Unknown UN M49 area" in body["errors"][0]["message"]


async def test_ordering_by_year_founded_pages_with_nulls_last(gql: Any) -> None:
    async with scratch("ord") as rows:
        for name, year in (("a", 1990), ("b", None), ("c", 2010), ("d", 2000), ("e", None)):
            await rows.organization(name, founded=str(year) if year else None, country="NA")
        variables: dict[str, Any] = {
            "filter": {"countries": ["NA"]},
            "order": {"field": "YEAR_FOUNDED", "direction": "DESC"},
            "first": 2,
        }
        seen: list[str] = []
        while True:
            page = (await gql.data(ORGS, variables))["organizations"]
            seen += _slugs({"o": page}, "o")
            if not page["pageInfo"]["hasNextPage"]:
                break
            variables["after"] = page["pageInfo"]["endCursor"]
    assert seen == ["ord-c", "ord-d", "ord-a", "ord-b", "ord-e"]


async def test_cursor_of_one_ordering_is_refused_by_another(gql: Any) -> None:
    page = await gql.data(ORGS, {"order": {"field": "COUNTRY"}, "first": 1})
    body = await gql(ORGS, {"after": page["organizations"]["pageInfo"]["endCursor"]}, errors=True)
    assert "another ordering" in body["errors"][0]["message"]


async def test_events_in_a_window_overlap_any_of_their_date_ranges(gql: Any) -> None:
    async with scratch("win") as rows:
        spread = await rows.event("spread", dt.date(2031, 3, 13), format=EventFormat.HYBRID)
        await models.EventDate.create(event=spread, start_date=dt.date(2031, 3, 22), end_date=dt.date(2031, 3, 22))
        await rows.event("later", dt.date(2031, 4, 4), format=EventFormat.ONLINE)
        gap = await gql.data(EVENTS, {"filter": {"dateFrom": "2031-03-15", "dateTo": "2031-03-20"}})
        second = await gql.data(EVENTS, {"filter": {"dateFrom": "2031-03-20", "dateTo": "2031-03-31"}})
        hybrid = await gql.data(EVENTS, {"filter": {"dateFrom": "2031-01-01", "formats": ["HYBRID"]}})
        latest_first = await gql.data(EVENTS, {"filter": {"dateFrom": "2031-01-01"}, "order": {"field": "START_DATE", "direction": "DESC"}})
        cost = await gql.statements(EVENTS, {"filter": {"dateFrom": "2031-03-20", "kinds": ["WORKSHOP"], "languages": ["EN"]}})
    assert _slugs(gap, "events") == []
    assert _slugs(second, "events") == ["win-spread"]
    assert _slugs(hybrid, "events") == ["win-spread"]
    assert _slugs(latest_first, "events") == ["win-later", "win-spread"]
    assert cost == 2  # the page and its count


async def test_member_of_follows_networks_of_networks(gql: Any) -> None:
    direct = await gql.data(ORGS, {"filter": {"memberOf": {"network": "congo"}}, "first": 100})
    any_depth = await gql.data(ORGS, {"filter": {"memberOf": {"network": "congo", "depth": None}}, "first": 100})
    two = await gql.data(ORGS, {"filter": {"memberOf": {"network": "congo", "depth": 2}, "kinds": ["NGO"]}, "first": 100})
    assert "alliance" in _slugs(direct, "organizations") and "gi-toc" not in _slugs(direct, "organizations")
    assert {"alliance", "gi-toc"} <= set(_slugs(any_depth, "organizations"))
    assert _slugs(two, "organizations") == ["gi-toc"]


async def test_bad_filter_values_get_clear_errors(gql: Any) -> None:
    country = await gql(ORGS, {"filter": {"countries": ["XX"]}}, errors=True)
    organizer = await gql(EVENTS, {"filter": {"organizer": "Bad!"}}, errors=True)
    europe = await gql.data(ORGS, {"filter": {"regions": ["Europe"]}, "first": 100})
    assert "Not ISO 3166-1 alpha-2 country codes: XX" in country["errors"][0]["message"]
    assert "is not a slug" in organizer["errors"][0]["message"]
    assert "ebrd" in _slugs(europe, "organizations")


def test_every_country_has_its_m49_areas() -> None:
    import pycountry

    from domain.regions import regions_of

    missing = [c.alpha_2 for c in pycountry.countries if regions_of(c.alpha_2) is None]
    assert missing == ["AQ"], "Antarctica is the only country outside the M49 regions"


async def test_smaller_lists_filter_too(gql: Any) -> None:
    data = await gql.data(
        """{
          commissions: governingBodies(filter: { kinds: [FUNCTIONAL_COMMISSION] }) { nodes { slug } }
          underCosp: governingBodies(filter: { parent: "cosp-uncac" }) { nodes { slug } }
          protocols: instruments(filter: { kinds: [PROTOCOL], inForceAt: "2004-01-01" }) { nodes { slug } }
          glou68: programmes(filter: { search: "glou68" }) { nodes { slug } }
          openCalls: applicationCalls(filter: { openAt: "2023-02-01T00:00:00+01:00" }) { nodes { slug } }
          closedCalls: applicationCalls(filter: { openAt: "2023-03-01T00:00:00+01:00" }) { nodes { slug } }
          thematicAreas { slug organizations { totalCount nodes { slug } } }
        }"""
    )
    assert _slugs(data, "commissions") == ["ccpcj", "cnd"]
    assert _slugs(data, "underCosp") == ["irg"]
    assert _slugs(data, "protocols") == ["tip-protocol"]
    assert _slugs(data, "glou68") == ["glou68"]
    assert _slugs(data, "openCalls") == ["cd-2023-applications"]
    assert _slugs(data, "closedCalls") == []
    areas = {area["slug"]: area["organizations"] for area in data["thematicAreas"]}
    assert areas["corruption"] == {"totalCount": 1, "nodes": [{"slug": "uncac-coalition"}]}
    assert {n["slug"] for n in areas["drugs"]["nodes"]} == {"vngoc", "nyngoc"}
