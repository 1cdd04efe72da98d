"""Networks of networks: members and networks at a depth, on a day; shared networks; connections."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any, cast

import pytest

import models
from models.enums import OfficeKind, OrganizationKind
from tests.factories import global_id, scratch

NETWORK = OrganizationKind.UMBRELLA_NETWORK

MEMBERS = """
query Members($slug: String!, $depth: Int!, $asOf: Date) {
  organization(slug: $slug) {
    members(depth: $depth, asOf: $asOf, first: 100) { nodes { distance path { slug } member { slug } network { slug } } }
  }
}
"""

NETWORKS = """
query Networks($slug: String!, $depth: Int!, $asOf: Date) {
  organization(slug: $slug) {
    networks(depth: $depth, asOf: $asOf, first: 100) { nodes { distance path { slug } member { slug } network { slug } } }
  }
}
"""


async def _members(gql: Any, slug: str, depth: int = 1, as_of: str | None = None) -> list[dict[str, Any]]:
    data = await gql.data(MEMBERS, {"slug": slug, "depth": depth, "asOf": as_of})
    return data["organization"]["members"]["nodes"]


async def _networks(gql: Any, slug: str, depth: int = 1, as_of: str | None = None) -> list[dict[str, Any]]:
    data = await gql.data(NETWORKS, {"slug": slug, "depth": depth, "asOf": as_of})
    return data["organization"]["networks"]["nodes"]


def _paths(hops: list[dict[str, Any]]) -> list[tuple[int, list[str]]]:
    return [(hop["distance"], [o["slug"] for o in hop["path"]]) for hop in hops]


async def _id(gql: Any, kind: str, slug: str) -> str:
    data = await gql.data(f"query($slug: String!) {{ {kind}(slug: $slug) {{ id }} }}", {"slug": slug})
    return data[kind]["id"]


# ------- members / networks on the fixture data -------


async def _stored_members(slug: str) -> set[str]:
    """The slugs of the direct members of the network ``slug``, in every period, read from the table."""
    # Tortoise types a flat values_list as tuples; it is the values themselves.
    rows = cast(list[str], await models.Membership.filter(network__slug=slug).values_list("member__slug", flat=True))
    return set(rows)


async def test_depth_1_lists_direct_members_only(gql: Any) -> None:
    hops = await _members(gql, "congo")
    assert sorted(_paths(hops)) == sorted((1, ["congo", slug]) for slug in await _stored_members("congo"))
    assert (1, ["congo", "alliance"]) in _paths(hops) and (1, ["congo", "vngoc"]) in _paths(hops)
    assert {hop["network"]["slug"] for hop in hops} == {"congo"}


async def test_depth_2_reaches_members_of_member_networks(gql: Any) -> None:
    direct = await _members(gql, "congo")
    hops = await _members(gql, "congo", depth=2)
    assert hops[: len(direct)] == direct
    first = {hop["member"]["slug"] for hop in direct}
    second = {member for slug in first for member in await _stored_members(slug)} - first - {"congo"}
    deeper = hops[len(direct) :]
    assert {hop["distance"] for hop in deeper} == {2}
    assert sorted(hop["member"]["slug"] for hop in deeper) == sorted(second)
    assert {
        "distance": 2,
        "path": [{"slug": "congo"}, {"slug": "alliance"}, {"slug": "gi-toc"}],
        "member": {"slug": "gi-toc"},
        "network": {"slug": "alliance"},
    } in deeper
    third = {member for slug in second for member in await _stored_members(slug)} - second - first - {"congo"}
    assert third == set(), "nothing is three hops from CoNGO"
    assert await _members(gql, "congo", depth=10) == hops


async def test_networks_climb_through_networks_of_networks(gql: Any) -> None:
    assert _paths(await _networks(gql, "gi-toc")) == [(1, ["gi-toc", "alliance"])]
    assert await _networks(gql, "gi-toc", depth=2) == [
        {
            "distance": 1,
            "path": [{"slug": "gi-toc"}, {"slug": "alliance"}],
            "member": {"slug": "gi-toc"},
            "network": {"slug": "alliance"},
        },
        {
            "distance": 2,
            "path": [{"slug": "gi-toc"}, {"slug": "alliance"}, {"slug": "congo"}],
            "member": {"slug": "alliance"},
            "network": {"slug": "congo"},
        },
    ]


async def test_as_of_drops_a_membership_after_its_last_year(gql: Any) -> None:
    """VNGOC was a sub-committee of CoNGO until 2011 (the year only): possibly in 2011, never in 2012."""
    during = await _members(gql, "congo", as_of="2011-06-30")
    after = await _members(gql, "congo", as_of="2012-01-01")
    assert {"alliance", "vngoc"} <= {hop["member"]["slug"] for hop in during}
    assert "alliance" in {hop["member"]["slug"] for hop in after}
    assert {hop["member"]["slug"] for hop in after} == {hop["member"]["slug"] for hop in during} - {"vngoc"}
    deep = await _members(gql, "congo", depth=2, as_of="2012-01-01")
    assert not any(step["slug"] == "vngoc" for hop in deep for step in hop["path"])


async def test_every_organization_reached_once_at_its_shortest_distance(gql: Any) -> None:
    async with scratch("nw-shortest") as rows:
        top = await rows.organization("top", kind=NETWORK)
        left = await rows.organization("left", kind=NETWORK)
        right = await rows.organization("right", kind=NETWORK)
        both = await rows.organization("both")
        await rows.membership(left, top)
        await rows.membership(right, top)
        await rows.membership(both, left)
        await rows.membership(both, right)
        await rows.membership(both, top)
        hops = await _members(gql, top.slug, depth=3)
        again = await _members(gql, top.slug, depth=3)
    assert _paths(hops) == [
        (1, ["nw-shortest-top", "nw-shortest-left"]),
        (1, ["nw-shortest-top", "nw-shortest-right"]),
        (1, ["nw-shortest-top", "nw-shortest-both"]),
    ]
    assert hops == again


async def test_ties_between_chains_of_the_same_length_are_broken_the_same_way(gql: Any) -> None:
    async with scratch("nw-tie") as rows:
        top = await rows.organization("top", kind=NETWORK)
        first = await rows.organization("first", kind=NETWORK)
        second = await rows.organization("second", kind=NETWORK)
        leaf = await rows.organization("leaf")
        await rows.membership(second, top)
        await rows.membership(first, top)
        await rows.membership(leaf, second)
        await rows.membership(leaf, first)
        hops = await _members(gql, top.slug, depth=2)
    assert _paths(hops)[-1] == (2, ["nw-tie-top", "nw-tie-first", "nw-tie-leaf"])
    assert len(hops) == 3


# ------- asOf -------


async def test_as_of_follows_only_memberships_valid_that_day(gql: Any) -> None:
    async with scratch("nw-asof") as rows:
        umbrella = await rows.organization("umbrella", kind=NETWORK)
        committee = await rows.organization("committee", kind=NETWORK)
        member = await rows.organization("member")
        await rows.membership(committee, umbrella, since=dt.date(1990, 1, 1), until=dt.date(2011, 12, 31))
        await rows.membership(member, committee, since=dt.date(2005, 6, 1))
        before = await _members(gql, umbrella.slug, depth=2, as_of="2011-12-31")
        after = await _members(gql, umbrella.slug, depth=2, as_of="2012-01-01")
        too_early = await _members(gql, umbrella.slug, depth=2, as_of="2005-05-31")
        always = await _members(gql, umbrella.slug, depth=2)
        up_before = await _networks(gql, member.slug, depth=2, as_of="2011-12-31")
        up_after = await _networks(gql, member.slug, depth=2, as_of="2012-01-01")
    assert _paths(before) == [
        (1, ["nw-asof-umbrella", "nw-asof-committee"]),
        (2, ["nw-asof-umbrella", "nw-asof-committee", "nw-asof-member"]),
    ]
    assert after == []
    assert _paths(too_early) == [(1, ["nw-asof-umbrella", "nw-asof-committee"])]
    assert always == before
    assert [hop["network"]["slug"] for hop in up_before] == ["nw-asof-committee", "nw-asof-umbrella"]
    assert [hop["network"]["slug"] for hop in up_after] == ["nw-asof-committee"]


async def test_depth_1_without_as_of_keeps_every_membership_period(gql: Any) -> None:
    async with scratch("nw-periods") as rows:
        network = await rows.organization("network", kind=NETWORK)
        member = await rows.organization("member")
        await rows.membership(member, network, since=dt.date(2001, 1, 1), until=dt.date(2004, 12, 31))
        await rows.membership(member, network, since=dt.date(2010, 1, 1))
        data = await gql.data(
            """query($slug: String!) { organization(slug: $slug) {
                   all: members(asOf: null) { nodes { since { edtf } until { edtf } distance certainty } }
                   today: members { nodes { since { edtf } until { edtf } distance certainty } } } }""",
            {"slug": network.slug},
        )
    assert data["organization"]["all"]["nodes"] == [
        {"since": {"edtf": "2001-01-01"}, "until": {"edtf": "2004-12-31"}, "distance": 1, "certainty": None},
        {"since": {"edtf": "2010-01-01"}, "until": None, "distance": 1, "certainty": None},
    ]
    assert data["organization"]["today"]["nodes"] == [
        {"since": {"edtf": "2010-01-01"}, "until": None, "distance": 1, "certainty": "CERTAIN"}
    ]


# ------- cycles and hidden organizations -------


async def test_a_cycle_in_the_data_terminates(gql: Any) -> None:
    async with scratch("nw-cycle") as rows:
        a = await rows.organization("a", kind=NETWORK)
        b = await rows.organization("b", kind=NETWORK)
        c = await rows.organization("c", kind=NETWORK)
        await rows.membership(b, a)
        await rows.membership(c, b)
        await rows.membership(a, c)  # closes the cycle a <- b <- c <- a
        down = await _members(gql, a.slug, depth=10)
        up = await _networks(gql, a.slug, depth=10)
    assert _paths(down) == [(1, ["nw-cycle-a", "nw-cycle-b"]), (2, ["nw-cycle-a", "nw-cycle-b", "nw-cycle-c"])]
    assert _paths(up) == [(1, ["nw-cycle-a", "nw-cycle-c"]), (2, ["nw-cycle-a", "nw-cycle-c", "nw-cycle-b"])]


async def test_hidden_organizations_are_neither_listed_nor_walked_through(gql: Any) -> None:
    async with scratch("nw-hidden") as rows:
        network = await rows.organization("network", kind=NETWORK)
        secret = await rows.organization("secret", kind=NETWORK, hidden=True)
        beyond = await rows.organization("beyond")
        await rows.membership(secret, network)
        await rows.membership(beyond, secret)
        down = await _members(gql, network.slug, depth=3)
        up = await _networks(gql, beyond.slug, depth=3)
    assert down == []
    assert up == []


async def test_connection_does_not_pass_through_hidden_organizations(gql: Any) -> None:
    async with scratch("nw-hidden-link") as rows:
        network = await rows.organization("network", kind=NETWORK)
        secret = await rows.organization("secret", kind=NETWORK, hidden=True)
        beyond = await rows.organization("beyond")
        await rows.membership(secret, network)
        await rows.membership(beyond, secret)
        ends = {"from": global_id("Organization", network.id), "to": global_id("Organization", beyond.id)}
        around = await gql.data(CONNECTION, {**ends, "maxDepth": 5})
        into = await gql.data(CONNECTION, {**ends, "to": global_id("Organization", secret.id), "maxDepth": 5})
    assert around == {"connection": None}
    assert into == {"connection": None}


# ------- batching -------

BATCH = """
query Batch($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on Organization {
      slug
      members(depth: 3) { nodes { distance path { slug } member { slug } network { slug } } }
    }
  }
}
"""


async def _nested_networks(rows: Any, count: int) -> list[str]:
    """``count`` networks, each with a member network that has a member network that has a member."""
    ids = []
    for i in range(count):
        chain = [await rows.organization(f"{count}-{i}-{level}", kind=NETWORK) for level in range(4)]
        for network, member in itertools.pairwise(chain):
            await rows.membership(member, network)
        ids.append(global_id("Organization", chain[0].id))
    return ids


async def test_statements_do_not_grow_with_the_number_of_starting_networks(gql: Any) -> None:
    async with scratch("nw-batch") as rows:
        three = await _nested_networks(rows, 3)
        thirty = await _nested_networks(rows, 30)
        small = await gql.statements(BATCH, {"ids": three})
        large = await gql.statements(BATCH, {"ids": thirty})
        data = await gql.data(BATCH, {"ids": thirty})
    assert small == large <= 5  # the walk, the organizations of each field, the roots: not one more per network
    assert len(data["nodes"]) == 30
    assert _paths(data["nodes"][29]["members"]["nodes"]) == [
        (1, ["nw-batch-30-29-0", "nw-batch-30-29-1"]),
        (2, ["nw-batch-30-29-0", "nw-batch-30-29-1", "nw-batch-30-29-2"]),
        (3, ["nw-batch-30-29-0", "nw-batch-30-29-1", "nw-batch-30-29-2", "nw-batch-30-29-3"]),
    ]


# ------- sharedNetworks -------

SHARED = "query($a: ID!, $b: ID!, $asOf: Date) { sharedNetworks(a: $a, b: $b, asOf: $asOf) { nodes { slug } } }"


async def _shared(gql: Any, variables: dict[str, Any]) -> list[dict[str, Any]]:
    return (await gql.data(SHARED, variables))["sharedNetworks"]["nodes"]


async def test_shared_networks_include_networks_of_networks(gql: Any) -> None:
    gi_toc, alliance, vngoc = [await _id(gql, "organization", slug) for slug in ("gi-toc", "alliance", "vngoc")]
    assert await _shared(gql, {"a": gi_toc, "b": alliance}) == [{"slug": "congo"}]
    assert await _shared(gql, {"a": gi_toc, "b": vngoc, "asOf": None}) == [{"slug": "congo"}]
    assert await _shared(gql, {"a": gi_toc, "b": vngoc}) == [], "VNGOC left CoNGO: not today"
    assert await _shared(gql, {"a": gi_toc, "b": vngoc, "asOf": "2020-01-01"}) == []


async def test_shared_networks_nearest_first_and_on_a_day(gql: Any) -> None:
    async with scratch("nw-shared") as rows:
        world = await rows.organization("world", kind=NETWORK)
        region = await rows.organization("region", kind=NETWORK)
        x = await rows.organization("x")
        y = await rows.organization("y")
        await rows.membership(region, world)
        await rows.membership(x, region)
        await rows.membership(y, region, until=dt.date(2019, 12, 31))
        await rows.membership(y, world)
        ids = {"a": global_id("Organization", x.id), "b": global_id("Organization", y.id)}
        always = await _shared(gql, {**ids, "asOf": None})
        later = await _shared(gql, {**ids, "asOf": "2020-01-01"})
        first = await gql.data(
            "query($a: ID!, $b: ID!) { sharedNetworks(a: $a, b: $b, asOf: null, first: 1) { totalCount pageInfo { hasNextPage endCursor } nodes { slug } } }",
            ids,
        )
        rest = await gql.data(
            "query($a: ID!, $b: ID!, $after: String) { sharedNetworks(a: $a, b: $b, asOf: null, after: $after) { nodes { slug } } }",
            {**ids, "after": first["sharedNetworks"]["pageInfo"]["endCursor"]},
        )
    assert always == [{"slug": "nw-shared-region"}, {"slug": "nw-shared-world"}]
    assert later == [{"slug": "nw-shared-world"}]
    assert first["sharedNetworks"]["totalCount"] == 2 and first["sharedNetworks"]["pageInfo"]["hasNextPage"]
    assert first["sharedNetworks"]["nodes"] + rest["sharedNetworks"]["nodes"] == always


# ------- connection -------

CONNECTION = """
query($from: ID!, $to: ID!, $maxDepth: Int!) {
  connection(from: $from, to: $to, maxDepth: $maxDepth) {
    position kind direction
    reached { __typename ... on Organization { slug } ... on Office { slug } }
    membership { member { slug } network { slug } distance path { slug } }
    partnership { office { slug } partner { ... on Organization { slug } } programme { slug } }
  }
}
"""


async def test_connection_follows_the_se4u_partnership(gql: Any) -> None:
    csu, gi_toc = await _id(gql, "office", "csu"), await _id(gql, "organization", "gi-toc")
    data = await gql.data(CONNECTION, {"from": csu, "to": gi_toc, "maxDepth": 4})
    assert data["connection"] == [
        {
            "position": 1,
            "kind": "PARTNERSHIP",
            "direction": "FORWARD",
            "reached": {"__typename": "Organization", "slug": "gi-toc"},
            "membership": None,
            "partnership": {"office": {"slug": "csu"}, "partner": {"slug": "gi-toc"}, "programme": {"slug": "se4u"}},
        }
    ]


async def test_connection_reaches_a_coalition_member_through_the_coalition(gql: Any) -> None:
    csu, ti = await _id(gql, "office", "csu"), await _id(gql, "organization", "ti")
    data = await gql.data(CONNECTION, {"from": csu, "to": ti, "maxDepth": 4})
    assert [(s["kind"], s["direction"], s["reached"]["slug"]) for s in data["connection"]] == [
        ("PARTNERSHIP", "FORWARD", "uncac-coalition"),
        ("MEMBERSHIP", "BACKWARD", "ti"),
    ]
    assert await gql.data(CONNECTION, {"from": csu, "to": ti, "maxDepth": 1}) == {"connection": None}


async def test_connection_on_a_day_avoids_ended_memberships(gql: Any) -> None:
    csu, congo = await _id(gql, "office", "csu"), await _id(gql, "organization", "congo")
    query = """query($from: ID!, $to: ID!, $asOf: Date) {
      connection(from: $from, to: $to, asOf: $asOf) { kind reached { ... on Organization { slug } } }
    }"""
    data = await gql.data(query, {"from": csu, "to": congo, "asOf": "2024-01-01"})
    assert data["connection"] == [
        {"kind": "PARTNERSHIP", "reached": {"slug": "alliance"}},
        {"kind": "MEMBERSHIP", "reached": {"slug": "congo"}},
    ]


async def test_connection_mixes_partnerships_and_memberships_both_ways(gql: Any) -> None:
    async with scratch("nw-conn") as rows:
        network = await rows.organization("network", kind=NETWORK)
        partner = await rows.organization("partner")
        other = await rows.organization("other")
        await rows.membership(partner, network)
        await rows.membership(other, network)
        office = await models.Office.create(slug="nw-conn-office", name="nw-conn office", kind=OfficeKind.UNIT)
        try:
            await models.Partnership.create(office=office, partner_organization=partner)
            ids = {"from": global_id("Office", office.id), "to": global_id("Organization", other.id)}
            found = await gql.data(CONNECTION, {**ids, "maxDepth": 4})
            too_far = await gql.data(CONNECTION, {**ids, "maxDepth": 2})
            back = await gql.data(CONNECTION, {"from": ids["to"], "to": ids["from"], "maxDepth": 3})
        finally:
            await office.delete()  # and its partnership
    assert [(s["kind"], s["direction"], s["reached"]["slug"]) for s in found["connection"]] == [
        ("PARTNERSHIP", "FORWARD", "nw-conn-partner"),
        ("MEMBERSHIP", "FORWARD", "nw-conn-network"),
        ("MEMBERSHIP", "BACKWARD", "nw-conn-other"),
    ]
    assert found["connection"][1]["membership"] == {
        "member": {"slug": "nw-conn-partner"},
        "network": {"slug": "nw-conn-network"},
        "distance": 1,
        "path": [{"slug": "nw-conn-partner"}, {"slug": "nw-conn-network"}],
    }
    assert too_far == {"connection": None}
    assert [(s["kind"], s["direction"], s["reached"]["__typename"]) for s in back["connection"]] == [
        ("MEMBERSHIP", "FORWARD", "Organization"),
        ("MEMBERSHIP", "BACKWARD", "Organization"),
        ("PARTNERSHIP", "BACKWARD", "Office"),
    ]


async def test_connection_to_itself_is_empty(gql: Any) -> None:
    csu = await _id(gql, "office", "csu")
    assert await gql.data(CONNECTION, {"from": csu, "to": csu, "maxDepth": 1}) == {"connection": []}


# ------- client errors -------


async def test_depth_out_of_range_is_a_client_error(gql: Any) -> None:
    for depth in (0, 11):
        body = await gql(MEMBERS, {"slug": "congo", "depth": depth, "asOf": None}, errors=True)
        (error,) = body["errors"]
        assert error["message"] == f"`depth` must be between 1 and 10; got {depth}."
        assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_max_depth_out_of_range_is_a_client_error(gql: Any) -> None:
    csu = await _id(gql, "office", "csu")
    body = await gql(CONNECTION, {"from": csu, "to": csu, "maxDepth": 11}, errors=True)
    assert body["errors"][0]["message"] == "`maxDepth` must be between 1 and 10; got 11."


async def test_connection_rejects_ids_of_other_kinds(gql: Any) -> None:
    csu = await _id(gql, "office", "csu")
    body = await gql(CONNECTION, {"from": csu, "to": global_id("Event", 1), "maxDepth": 2}, errors=True)
    assert body["errors"][0]["extensions"]["code"] == "INVALID_ID"


WALK_PAGE = """
query Walk($slug: String!, $first: Int, $after: String, $last: Int, $before: String, $asOf: Date) {
  organization(slug: $slug) {
    members(depth: 3, first: $first, after: $after, last: $last, before: $before, asOf: $asOf) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { distance certainty path { slug } member { slug } } }
    }
  }
}"""


@pytest.mark.parametrize("as_of", [None, "2012-01-01"])
async def test_a_walk_is_paged_the_same_both_ways_forwards_and_backwards(gql: Any, as_of: str | None) -> None:
    """The plan cuts a walk's pages in SQL; the resolvers cut the whole walk in memory (``gql`` compares both)."""

    async def page(**arguments: Any) -> dict[str, Any]:
        data = await gql.data(WALK_PAGE, {"slug": "congo", "asOf": as_of, **arguments})
        return dict(data["organization"]["members"])

    whole = await page(first=100)
    everything = [edge["node"] for edge in whole["edges"]]
    assert whole["totalCount"] == len(everything) > 4
    assert any(node["distance"] > 1 and len(node["path"]) > 2 for node in everything)
    forwards: list[Any] = []
    cursor = None
    while True:
        one = await page(first=3, after=cursor)
        assert one["totalCount"] == len(everything)
        forwards += [edge["node"] for edge in one["edges"]]
        if not one["pageInfo"]["hasNextPage"]:
            break
        cursor = one["pageInfo"]["endCursor"]
    assert forwards == everything
    backwards: list[Any] = []
    cursor = None
    while True:
        one = await page(last=3, before=cursor)
        backwards = [edge["node"] for edge in one["edges"]] + backwards
        if not one["pageInfo"]["hasPreviousPage"]:
            break
        cursor = one["pageInfo"]["startCursor"]
    assert backwards == everything
    middle = whole["edges"]
    between = await page(first=100, after=middle[1]["cursor"], before=middle[-2]["cursor"])
    assert [edge["node"] for edge in between["edges"]] == everything[2:-2]
    assert (await page(first=0))["edges"] == []
