"""The query shapes the benchmark times: one place per shape, for each side that answers it.

Each ``Shape`` holds:

- the directory's GraphQL document, written for the schema as it is (schema.graphql): every
  to-many relation is a Relay connection, asked for its first page with an explicit ``first``
  (``members(first: 20) { nodes { ... } }``); the floor's statements (bench/floor.py) and the
  PostGraphile documents below return the same first N rows in the same order (the page sizes are
  written in both places: change them together);
- the variables each request draws at random from pools of values sampled from the database
  beforehand (bench/database.py: ``organization``, ``network``, ``large_network``, ``search``);
- PostGraphile 4's equivalent document (its generated names, and the views and functions of the
  schema ``bench``, bench/bench_schema.sql), and how to read its answer as the directory's;
- how many top-level items an answer has (the harness checks the sides agree before timing).

The floor (bench/floor.py) answers ``POST /<key>`` with the directory's variables, in the directory's
JSON shape, so its answer is compared as it comes.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

NETWORKS_PER_REQUEST = 10
"""B2: networks per request."""
ENTITIES_PER_REQUEST = 100
"""B6: representations per request."""

Json = Any
Row = dict[str, Any]


def global_id(type_name: str, pk: int) -> str:
    """The directory's global ID: base64 of ``Type:pk``."""
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


@dataclass(frozen=True)
class Draw:
    """One variable: a value (``count`` None) or ``count`` distinct values drawn from a pool per request."""

    pool: str
    value: Callable[[Row], Json]
    count: int | None = None


@dataclass(frozen=True)
class Request:
    """A side's document and variables, and how to read its ``data`` as the directory's."""

    document: str
    variables: dict[str, Draw] = field(default_factory=dict)
    as_directory: Callable[[Json], Json] = lambda data: data


@dataclass(frozen=True)
class Shape:
    key: str
    title: str
    directory: Request
    items: Callable[[Json], int]
    """Top-level items of an answer, read as the directory's ``data``."""
    postgraphile: Request | None = None
    postgraphile_note: str = ""
    """What PostGraphile runs instead of a generated field, or why the cell is n/a."""


def _slug(row: Row) -> str:
    return str(row["slug"])


def _country(code: str | None) -> dict[str, str] | None:
    return {"code": code} if code else None


def _nodes(connection: Json) -> list[Json]:
    return list(connection["nodes"]) if connection else []


def _page(items: list[Json]) -> Json:
    """A connection's first page as the directory answers ``{ nodes { ... } }``."""
    return {"nodes": items}


# ------- B1 one organization by slug, five scalars -------

B1 = Shape(
    key="B1",
    title="one organization by slug, 5 scalars",
    directory=Request(
        "query B1($slug: String!) { organization(slug: $slug) { name acronym city website kind } }",
        {"slug": Draw("organization", _slug)},
    ),
    items=lambda data: int(data["organization"] is not None),
    postgraphile=Request(
        "query B1($slug: String!) { organizationBySlug(slug: $slug) { name acronym city website kind } }",
        {"slug": Draw("organization", _slug)},
        lambda data: {"organization": data["organizationBySlug"]},
    ),
)


# ------- B2 ten networks with their first 20 members (name, country code) -------


def _aliases(field_name: str, fragment: str) -> str:
    arguments = ", ".join(f"$s{i}: String!" for i in range(NETWORKS_PER_REQUEST))
    fields = " ".join(f"n{i}: {field_name}(slug: $s{i}) {{ ...{fragment} }}" for i in range(NETWORKS_PER_REQUEST))
    return f"query B2({arguments}) {{ {fields} }}"


def _b2_postgraphile(data: Json) -> Json:
    def network(value: Json) -> Json:
        if value is None:
            return None
        members = [
            {"member": {"name": node["organizationByMemberId"]["name"], "country": _country(node["organizationByMemberId"]["country"])}}
            for node in _nodes(value["currentMembershipsByNetworkId"])
        ]
        return {"name": value["name"], "members": _page(members)}

    return {alias: network(value) for alias, value in data.items()}


_B2_SLUGS = {f"s{i}": Draw("network", _slug) for i in range(NETWORKS_PER_REQUEST)}

B2 = Shape(
    key="B2",
    title=f"{NETWORKS_PER_REQUEST} networks with their first 20 members (name, country code)",
    directory=Request(
        _aliases("organization", "NetworkMembers")
        + " fragment NetworkMembers on Organization { name members(first: 20) { nodes { member { name country { code } } } } }",
        _B2_SLUGS,
    ),
    items=lambda data: sum(value is not None for value in data.values()),
    postgraphile=Request(
        _aliases("organizationBySlug", "NetworkMembers")
        + " fragment NetworkMembers on Organization { name currentMembershipsByNetworkId(orderBy: ID_ASC, first: 20) {"
        " nodes { organizationByMemberId { name country } } } }",
        _B2_SLUGS,
        _b2_postgraphile,
    ),
    postgraphile_note="currentMembershipsByNetworkId(first: 20): generated relation of the view bench.current_membership "
    "(memberships that may hold today between visible organizations); one root field per network",
)


# ------- B3 one large network, its first 100 members and their first 20 participations' events -------


def _b3_postgraphile(data: Json) -> Json:
    network = data["organizationBySlug"]
    if network is None:
        return {"organization": None}
    members = []
    for node in _nodes(network["currentMembershipsByNetworkId"]):
        member = node["organizationByMemberId"]
        events = [{"event": {"name": p["eventByEventId"]["name"]}} for p in _nodes(member["participationsByOrganizationId"])]
        members.append({"member": {"name": member["name"], "participations": _page(events)}})
    return {"organization": {"name": network["name"], "members": _page(members)}}


B3 = Shape(
    key="B3",
    title="a large network, its first 100 members, their first 20 participations' events",
    directory=Request(
        "query B3($slug: String!) { organization(slug: $slug) { name members(first: 100) { nodes { member { name"
        " participations(first: 20) { nodes { event { name } } } } } } } }",
        {"slug": Draw("large_network", _slug)},
    ),
    items=lambda data: len(data["organization"]["members"]["nodes"]) if data["organization"] else 0,
    postgraphile=Request(
        "query B3($slug: String!) { organizationBySlug(slug: $slug) { name"
        " currentMembershipsByNetworkId(orderBy: ID_ASC, first: 100) { nodes { organizationByMemberId { name"
        " participationsByOrganizationId(orderBy: ID_ASC, first: 20) { nodes { eventByEventId { name } } } } } } } }",
        {"slug": Draw("large_network", _slug)},
        _b3_postgraphile,
    ),
    postgraphile_note="currentMembershipsByNetworkId(first: 100) (view bench.current_membership), "
    "then generated relations (first: 20)",
)


# ------- B4 a search returning 20 organizations, with their first 20 networks -------


def _b4_postgraphile(data: Json) -> Json:
    nodes = [
        {
            "name": node["name"],
            "networks": _page(
                [{"network": {"name": m["organizationByNetworkId"]["name"]}} for m in _nodes(node["currentMembershipsByMemberId"])]
            ),
        }
        for node in _nodes(data["searchOrganizations"])
    ]
    return {"organizations": {"nodes": nodes}}


B4 = Shape(
    key="B4",
    title="search, first 20 organizations, with their first 20 networks",
    directory=Request(
        "query B4($words: String!) { organizations(filter: {search: $words}, first: 20) {"
        " nodes { name networks(first: 20) { nodes { network { name } } } } } }",
        {"words": Draw("search", lambda row: row["words"])},
    ),
    items=lambda data: len(data["organizations"]["nodes"]),
    postgraphile=Request(
        "query B4($words: String!) { searchOrganizations(words: $words, first: 20) {"
        " nodes { name currentMembershipsByMemberId(orderBy: ID_ASC, first: 20) { nodes { organizationByNetworkId { name } } } } } }",
        {"words": Draw("search", lambda row: row["words"])},
        _b4_postgraphile,
    ),
    postgraphile_note="searchOrganizations: SQL function bench.search_organizations (same index and order, no typo correction)",
)


# ------- B5 a network's members to depth 3, the first 100 -------


def _b5_postgraphile(data: Json) -> Json:
    network = data["organizationBySlug"]
    if network is None:
        return {"organization": None}
    members = [
        {"distance": node["distance"], "member": {"name": node["organizationByMemberId"]["name"]}}
        for node in _nodes(data["membersToDepth"])
    ]
    return {"organization": {"name": network["name"], "members": _page(members)}}


B5 = Shape(
    key="B5",
    title="a large network's members to depth 3, the first 100",
    directory=Request(
        "query B5($slug: String!) { organization(slug: $slug) { name members(depth: 3, first: 100) {"
        " nodes { distance member { name } } } } }",
        {"slug": Draw("large_network", _slug)},
    ),
    items=lambda data: len(data["organization"]["members"]["nodes"]) if data["organization"] else 0,
    postgraphile=Request(
        "query B5($slug: String!) { organizationBySlug(slug: $slug) { name }"
        " membersToDepth(slug: $slug, depth: 3, first: 100) { nodes { distance organizationByMemberId { name } } } }",
        {"slug": Draw("large_network", _slug)},
        _b5_postgraphile,
    ),
    postgraphile_note="membersToDepth(first: 100): SQL function bench.members_to_depth (the directory's recursive walk), "
    "a second root field next to organizationBySlug",
)


# ------- B6 _entities for 100 organizations -------


def _b6_postgraphile(data: Json) -> Json:
    return {"_entities": [{"name": node["name"], "country": _country(node["country"])} for node in _nodes(data["organizationsByIds"])]}


B6 = Shape(
    key="B6",
    title=f"_entities, {ENTITIES_PER_REQUEST} organizations (name, country code)",
    directory=Request(
        "query B6($representations: [_Any!]!) { _entities(representations: $representations) {"
        " ... on Organization { name country { code } } } }",
        {
            "representations": Draw(
                "organization",
                lambda row: {"__typename": "Organization", "id": global_id("Organization", row["id"])},
                ENTITIES_PER_REQUEST,
            )
        },
    ),
    items=lambda data: sum(entity is not None for entity in data["_entities"]),
    postgraphile=Request(
        "query B6($ids: [Int]!) { organizationsByIds(ids: $ids) { nodes { name country } } }",
        {"ids": Draw("organization", lambda row: row["id"], ENTITIES_PER_REQUEST)},
        _b6_postgraphile,
    ),
    postgraphile_note="organizationsByIds: SQL function bench.organizations_by_ids (primary keys, not global IDs; "
    "hidden ones left out rather than null: the benchmark draws visible ones)",
)


# ------- B7 organization statistics by country and by region -------


def _b7_postgraphile(data: Json) -> Json:
    by_country = [{"country": {"code": n["country"]}, "count": n["count"]} for n in _nodes(data["organizationCountByCountry"])]
    by_region = [{"region": {"name": n["name"]}, "count": n["count"]} for n in _nodes(data["organizationCountByRegion"])]
    return {"organizationStats": {"byCountry": by_country, "byRegion": by_region}}


B7 = Shape(
    key="B7",
    title="organizationStats by country and by region",
    directory=Request(
        "query B7 { organizationStats { byCountry { country { code } count } byRegion { region { name } count } } }",
    ),
    items=lambda data: len(data["organizationStats"]["byCountry"]) + len(data["organizationStats"]["byRegion"]),
    postgraphile=Request(
        "query B7 { organizationCountByCountry { nodes { country count } } organizationCountByRegion { nodes { name count } } }",
        {},
        _b7_postgraphile,
    ),
    postgraphile_note="SQL functions bench.organization_count_by_country / _by_region (bench.m49 from data/m49.csv), two root fields",
)


SHAPES: dict[str, Shape] = {shape.key: shape for shape in (B1, B2, B3, B4, B5, B6, B7)}
