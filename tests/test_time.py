"""Time told truthfully: one asOf rule, dates as precise as their sources, uncertain answers marked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import models
from models.dates import Certainty, DatePrecision, PartialDate, certainty_on, partial_date_columns, today
from models.enums import OfficeKind, OrganizationKind
from resolvers.time import AS_OF_LIST_HELP, AS_OF_SINGLE_HELP
from tests.factories import global_id, scratch

NETWORK = OrganizationKind.UMBRELLA_NETWORK

MEMBERS = """query($slug: String!, $asOf: Date) { organization(slug: $slug) {
  members(asOf: $asOf) { nodes { certainty since { edtf } until { edtf } member { slug } } } } }"""


async def _members(gql: Any, slug: str, as_of: Any = ...) -> list[dict[str, Any]]:
    variables: dict[str, Any] = {"slug": slug}
    if as_of is not ...:
        variables["asOf"] = as_of
    query = MEMBERS if as_of is not ... else MEMBERS.replace(", $asOf: Date", "").replace("members(asOf: $asOf)", "members")
    return (await gql.data(query, variables))["organization"]["members"]["nodes"]


def _certainties(members: list[dict[str, Any]]) -> dict[str, str | None]:
    return {m["member"]["slug"]: m["certainty"] for m in members}


# ------- the rule, in Python -------


@pytest.mark.parametrize(
    ("since", "until", "day", "expected"),
    [
        ("1990", "2011", "2010-06-01", Certainty.CERTAIN),
        ("1990", "2011", "2011-06-01", Certainty.UNCERTAIN),
        ("1990", "2011", "2012-01-01", None),
        ("2006-08", None, "2006-08-15", Certainty.UNCERTAIN),
        ("2006-08", None, "2006-09-01", Certainty.CERTAIN),
        ("2006-08", None, "2006-07-31", None),
        ("[2010..2011]", "2023-02-28", "2010-06-01", Certainty.UNCERTAIN),
        ("[2010..2011]", "2023-02-28", "2009-12-31", None),
        ("[..2020-05-20]", None, "2019-01-01", Certainty.UNCERTAIN),
        ("[..2020-05-20]", None, "2020-05-20", Certainty.CERTAIN),
        ("1990", "[..2011]", "2010-06-01", Certainty.UNCERTAIN),
        (None, "2011", "2010-06-01", Certainty.UNCERTAIN),
        (None, None, "2000-01-01", Certainty.UNCERTAIN),
    ],
)
def test_a_period_holds_certainly_uncertainly_or_not(
    since: str | None, until: str | None, day: str, expected: Certainty | None
) -> None:
    ends = [PartialDate.parse(end) if end else None for end in (since, until)]
    assert certainty_on(ends[0], ends[1], dt.date.fromisoformat(day), dt.date(2026, 11, 30)) is expected


def test_a_period_known_at_neither_end_holds_certainly_from_today() -> None:
    now = dt.date(2026, 11, 30)
    assert certainty_on(None, None, now, now) is Certainty.CERTAIN
    assert certainty_on(None, None, now - dt.timedelta(days=1), now) is Certainty.UNCERTAIN


@pytest.mark.parametrize("text", ["2011-13", "2011-02-30", "[2011..2010]", "[2011-06..2011-05-31]", "in 2011", "", "0000"])
def test_edtf_that_is_not_a_date_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_a_window_may_state_its_ends_in_different_units() -> None:
    # "43 new organisations ... were admitted since 2019", in the minutes of 4 March 2020.
    window = PartialDate.parse("[2019..2020-03-04]")
    assert (window.earliest, window.latest) == (dt.date(2019, 1, 1), dt.date(2020, 3, 4))
    assert window.precision is DatePrecision.YEAR  # as precise as its coarser end


# ------- asOf: one rule, one description -------


async def test_every_as_of_argument_describes_the_one_rule(gql: Any) -> None:
    data = await gql.data(
        "{ __schema { types { name fields { name args { name description } } inputFields { name description } } } }"
    )
    found = []
    for type_ in data["__schema"]["types"]:
        for field in type_["fields"] or []:
            for arg in field["args"]:
                if arg["name"] == "asOf":
                    found.append((f"{type_['name']}.{field['name']}", arg["description"]))
        for field in type_["inputFields"] or []:
            if field["name"] in ("asOf", "activeAt"):
                found.append((f"{type_['name']}.{field['name']}", field["description"]))
    assert len(found) >= 10
    for where, description in found:
        if where in ("OfficeFilter.activeAt",):
            assert "omitted: today" in description.lower() or "Omitted: today" in description, where
        elif where.endswith((".location", ".datedName")):
            assert description == AS_OF_SINGLE_HELP, where
        else:
            assert description.startswith(AS_OF_LIST_HELP), where


async def test_omitted_is_today_a_day_is_that_day_null_is_every_period(gql: Any) -> None:
    async with scratch("time-rule") as rows:
        network = await rows.organization("network", kind=NETWORK)
        old = await rows.organization("old")
        current = await rows.organization("current")
        await rows.membership(old, network, since="1990", until="2000-06-30")
        await rows.membership(current, network, since="2001-01-01")
        today_ = await _members(gql, network.slug)
        day = await _members(gql, network.slug, "2000-01-01")
        every = await _members(gql, network.slug, None)
    assert _certainties(today_) == {"time-rule-current": "CERTAIN"}
    assert _certainties(day) == {"time-rule-old": "CERTAIN"}
    assert _certainties(every) == {"time-rule-old": None, "time-rule-current": None}


@pytest.mark.parametrize(
    "query",
    [
        '{ office(slug: "rosee") { location(asOf: null) { city } } }',
        '{ organization(slug: "vngoc") { datedName(asOf: null) { name } } }',
        '{ applicationCalls { nodes { isOpen(at: null) } } }',
    ],
)
async def test_null_is_refused_where_one_value_must_be_chosen(gql: Any, query: str) -> None:
    body = await gql(query, errors=True)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "null" in body["errors"][0]["message"]


# ------- answers that do not pretend -------


async def test_a_membership_known_to_end_in_2011(gql: Any) -> None:
    async with scratch("time-2011") as rows:
        network = await rows.organization("network", kind=NETWORK)
        member = await rows.organization("member")
        await rows.membership(member, network, since="1983", until="2011")
        days = {day: await _members(gql, network.slug, day) for day in ("2010-01-01", "2010-12-31", "2011-06-01", "2011-12-31", "2012-01-01")}
    assert _certainties(days["2010-01-01"]) == {"time-2011-member": "CERTAIN"}
    assert _certainties(days["2010-12-31"]) == {"time-2011-member": "CERTAIN"}
    assert _certainties(days["2011-06-01"]) == {"time-2011-member": "UNCERTAIN"}
    assert _certainties(days["2011-12-31"]) == {"time-2011-member": "UNCERTAIN"}
    assert days["2012-01-01"] == []
    assert days["2011-06-01"][0]["until"] == {"edtf": "2011"}, "never a guessed day"


async def test_an_unknown_start_is_never_always(gql: Any) -> None:
    async with scratch("time-start") as rows:
        network = await rows.organization("network", kind=NETWORK)
        member = await rows.organization("member")
        await rows.membership(member, network)
        past = await _members(gql, network.slug, "1950-01-01")
        now = await _members(gql, network.slug)
    assert _certainties(past) == {"time-start-member": "UNCERTAIN"}
    assert _certainties(now) == {"time-start-member": "CERTAIN"}, "recorded as current: it holds today"


async def test_a_chain_is_as_certain_as_its_weakest_step(gql: Any) -> None:
    async with scratch("time-chain") as rows:
        top = await rows.organization("top", kind=NETWORK)
        middle = await rows.organization("middle", kind=NETWORK)
        leaf = await rows.organization("leaf")
        await rows.membership(middle, top, since="2000", until="2011")
        await rows.membership(leaf, middle, since="2005-01-01")
        data = await gql.data(
            """query($slug: String!) { organization(slug: $slug) {
                 members(depth: 2, asOf: "2011-03-01") { nodes { distance certainty member { slug } } } } }""",
            {"slug": top.slug},
        )
    assert data["organization"]["members"]["nodes"] == [
        {"distance": 1, "certainty": "UNCERTAIN", "member": {"slug": "time-chain-middle"}},
        {"distance": 2, "certainty": "UNCERTAIN", "member": {"slug": "time-chain-leaf"}},
    ]


async def test_filters_and_counts_include_what_may_hold_and_count_it_apart(gql: Any) -> None:
    async with scratch("time-count") as rows:
        network = await rows.organization("network", kind=NETWORK)
        sure = await rows.organization("sure")
        maybe = await rows.organization("maybe")
        gone = await rows.organization("gone")
        await rows.membership(sure, network, since="2000-01-01")
        await rows.membership(maybe, network, since="2000", until="2011")
        await rows.membership(gone, network, since="2000", until="2010")
        variables = {"filter": {"memberOf": {"network": network.slug, "asOf": "2011-06-01"}}}
        listed = await gql.data(
            """query($filter: OrganizationFilter) {
                 organizations(filter: $filter, first: 10) { nodes { slug } }
                 organizationStats(filter: $filter) { byNetwork(asOf: "2011-06-01") { network { slug } count uncertain } } }""",
            variables,
        )
        every = await gql.data(
            """query($network: String!) { organizations(filter: { memberOf: { network: $network, asOf: null } }) {
                 totalCount } }""",
            {"network": network.slug},
        )
    assert sorted(node["slug"] for node in listed["organizations"]["nodes"]) == ["time-count-maybe", "time-count-sure"]
    counts = {row["network"]["slug"]: row for row in listed["organizationStats"]["byNetwork"]}
    assert counts["time-count-network"] == {"network": {"slug": "time-count-network"}, "count": 2, "uncertain": 1}
    assert every["organizations"]["totalCount"] == 3


async def test_partnerships_answer_for_a_day(gql: Any) -> None:
    async with scratch("time-partner") as rows:
        partner = await rows.organization("partner")
        office = await models.Office.get(slug="csu")
        partnership = await models.Partnership.create(
            office=office, partner_organization=partner, **partial_date_columns("since", "2015"),
            **partial_date_columns("until", "2018-06"),
        )
        try:
            data = await gql.data(
                """query($slug: String!) { organization(slug: $slug) {
                     before: partnerships(asOf: "2014-12-31") { nodes { kind } }
                     during: partnerships(asOf: "2016-01-01") { nodes { certainty since { edtf precision } until { edtf } } }
                     ending: partnerships(asOf: "2018-06-15") { nodes { certainty } }
                     now: partnerships { nodes { certainty } }
                     every: partnerships(asOf: null) { nodes { certainty } } } }""",
                {"slug": partner.slug},
            )
        finally:
            await partnership.delete()
    answer = {key: value["nodes"] for key, value in data["organization"].items()}
    assert answer["before"] == []
    assert answer["during"] == [{"certainty": "CERTAIN", "since": {"edtf": "2015", "precision": "YEAR"}, "until": {"edtf": "2018-06"}}]
    assert answer["ending"] == [{"certainty": "UNCERTAIN"}]
    assert answer["now"] == []
    assert answer["every"] == [{"certainty": None}]


async def test_offices_in_a_country_on_a_day_include_uncertain_locations(gql: Any) -> None:
    query = """query($filter: OfficeFilter) { offices(filter: $filter, first: 50) { nodes { slug } } }"""
    moving = await gql.data(query, {"filter": {"countries": ["AT"], "activeAt": "2010-06-01"}})
    before = await gql.data(query, {"filter": {"countries": ["AT"], "activeAt": "2009-06-01"}})
    ever = await gql.data(query, {"filter": {"countries": ["BG"], "activeAt": None}})
    now = await gql.data(query, {"filter": {"countries": ["BG"]}})
    assert "rosee" in [n["slug"] for n in moving["offices"]["nodes"]], "it may already have been in Vienna"
    assert "rosee" not in [n["slug"] for n in before["offices"]["nodes"]]
    assert [n["slug"] for n in ever["offices"]["nodes"]] == ["rosee"]
    assert now["offices"]["nodes"] == []


async def test_shared_networks_and_connections_follow_the_day(gql: Any) -> None:
    ids = {}
    for slug in ("gi-toc", "vngoc"):
        ids[slug] = (await gql.data(f'{{ organization(slug: "{slug}") {{ id }} }}'))["organization"]["id"]
    shared = """query($a: ID!, $b: ID!, $asOf: Date) { sharedNetworks(a: $a, b: $b, asOf: $asOf) { nodes { slug } } }"""
    during = await gql.data(shared, {"a": ids["gi-toc"], "b": ids["vngoc"], "asOf": "2011-06-01"})
    after = await gql.data(shared, {"a": ids["gi-toc"], "b": ids["vngoc"], "asOf": "2012-06-01"})
    assert during["sharedNetworks"]["nodes"] == [{"slug": "congo"}]
    assert after["sharedNetworks"]["nodes"] == []
    async with scratch("time-link") as rows:
        network = await rows.organization("network", kind=NETWORK)
        member = await rows.organization("member")
        await rows.membership(member, network, since="2001", until="2011")
        ends = {"from": global_id("Organization", member.id), "to": global_id("Organization", network.id)}
        connection = """query($from: ID!, $to: ID!, $asOf: Date) { connection(from: $from, to: $to, asOf: $asOf) { kind } }"""
        during = await gql.data(connection, {**ends, "asOf": "2011-06-01"})
        after = await gql.data(connection, {**ends, "asOf": "2012-06-01"})
    assert during["connection"] == [{"kind": "MEMBERSHIP"}]
    assert after["connection"] is None


# ------- events known only within a range -------


async def test_a_march_filter_finds_the_dialogues_held_some_day_during_cnd_66(gql: Any) -> None:
    data = await gql.data(
        """{ events(filter: { dateFrom: "2023-03-01", dateTo: "2023-03-31", kinds: [INFORMAL_DIALOGUE] }) {
               nodes { slug dates { startDate endDate exact edtf } } } }"""
    )
    assert sorted(data["events"]["nodes"], key=lambda node: node["slug"]) == [
        {"slug": slug, "dates": [{"startDate": "2023-03-13", "endDate": "2023-03-17", "exact": False, "edtf": "[2023-03-13..2023-03-17]"}]}
        for slug in ("cnd-66-informal-dialogue-cnd-chair", "cnd-66-informal-dialogue-executive-director")
    ]
    cnd = await gql.data('{ event(slug: "cnd-66") { dates { exact edtf } } }')
    assert cnd["event"]["dates"] == [{"exact": True, "edtf": "2023-03-13/2023-03-17"}]


async def test_a_range_running_into_the_next_month_counts_as_uncertain_where_it_starts(gql: Any) -> None:
    async with scratch("time-month") as rows:
        event = await rows.event("somewhen", dt.date(2031, 3, 28))
        await models.EventDate.filter(event=event).update(end_date=dt.date(2031, 4, 3), exact=False)
        data = await gql.data('{ eventStats(filter: { dateFrom: "2031-01-01" }) { byMonth { month count uncertain } } }')
    assert data["eventStats"]["byMonth"] == [{"month": "2031-03", "count": 1, "uncertain": 1}]


# ------- SP -------


async def test_sp_is_read_as_es_and_answers_say_es(gql: Any) -> None:
    sp = await gql.data('{ events(filter: { languages: [SP] }) { nodes { slug languages } } }')
    es = await gql.data('{ events(filter: { languages: [ES] }) { nodes { slug languages } } }')
    assert sp == es
    assert {"slug": "se4u-self-paced-course-2023", "languages": ["AR", "EN", "FR", "ES"]} in sp["events"]["nodes"]


# ------- the directory's today -------


def test_today_is_the_day_in_vienna() -> None:
    assert abs((today() - dt.date.today()).days) <= 1


async def test_an_office_location_outside_any_known_period_is_null(gql: Any) -> None:
    async with scratch("time-office") as rows:
        office = await models.Office.create(slug="time-office-x", name="Time Office", kind=OfficeKind.UNIT)
        rows.rows.append(office)
        await models.OfficeLocation.create(
            office=office, city="Paris", country="FR", **partial_date_columns("valid_from", "2020-01-01")
        )
        data = await gql.data(
            """query($id: ID!) { node(id: $id) { ... on Office { before: location(asOf: "2019-12-31") { city }
               after: location(asOf: "2020-01-01") { city certainty } } } }""",
            {"id": global_id("Office", office.id)},
        )
    assert data["node"] == {"before": None, "after": {"city": "Paris", "certainty": "CERTAIN"}}
