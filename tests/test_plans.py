"""Read plans answer exactly as the resolvers do, for generated queries too, and cost what they say before running.

Every query the other tests send already runs both ways (``tests.conftest.post_both_ways``).
Here, queries generated from the live schema by hypothesis-graphql (a fixed
seed, ``DIFFERENTIAL_EXAMPLES`` of them, 1,000 by default) run both ways too.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import graphql
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries

import models
from schema import build_schema
from tests.conftest import post_both_ways
from tests.factories import global_id, scratch

EXAMPLES = int(os.environ.get("DIFFERENTIAL_EXAMPLES", "1000"))
ROOT_FIELDS = [
    "organization",
    "organizations",
    "office",
    "offices",
    "governingBody",
    "governingBodies",
    "instrument",
    "instruments",
    "programme",
    "programmes",
    "event",
    "events",
    "applicationCall",
    "applicationCalls",
    "node",
    "nodes",
    "organizationStats",
    "eventStats",
    "thematicAreas",
]
SLUGS = [
    "vngoc",
    "alliance",
    "congo",
    "uncac-coalition",
    "gi-toc",
    "csu",
    "rosee",
    "rab",
    "cnd",
    "untoc",
    "se4u",
    "cnd-66",
]
IDS = [global_id(kind, pk) for kind in ("Organization", "Office", "Event", "Instrument") for pk in (1, 2, 3, 5)]


def _string_values() -> st.SearchStrategy[Any]:
    """Strings a client would send: slugs, global IDs, days, words, and some noise."""
    return st.one_of(
        st.sampled_from([*SLUGS, *IDS, "2023-03-15", "2011-06-30", "corruption", "vienna", "KE", "AT", "Europe"]),
        st.text(max_size=12),
    ).map(nodes.String)


def _generated(count: int) -> list[str]:
    """``count`` distinct query documents generated from the schema (deterministic: derandomized)."""
    schema = build_schema()._schema
    custom = {
        "Date": st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)).map(lambda day: nodes.String(day.isoformat())),
        "DateTime": st.sampled_from(["2023-02-12T23:59:00+01:00", "2023-02-01T12:00:00+01:00"]).map(nodes.String),
        "String": _string_values(),
        "ID": st.sampled_from(IDS).map(nodes.String),
        "Int": st.integers(-2, 120).map(nodes.Int),
    }
    found: dict[str, None] = {}

    @settings(
        max_examples=count * 3,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(queries(schema, fields=ROOT_FIELDS, custom_scalars=custom, print_ast=graphql.print_ast))
    def collect(document: str) -> None:
        if len(found) < count:
            found[document] = None

    collect()
    return list(found)


async def test_generated_queries_answer_the_same_both_ways(client: httpx.AsyncClient) -> None:
    documents = _generated(EXAMPLES)
    assert len(documents) >= min(EXAMPLES, 1000)
    answered: dict[str, int] = {}
    for document in documents:
        response = await post_both_ways(client, {"query": document}, {"X-Directory-Stats": "1"})
        body = response.json()
        if "errors" not in body:
            engine = body["extensions"]["stats"]["engine"]
            answered[engine] = answered.get(engine, 0) + 1
    # The generated queries are random and often wrong (the resolvers then report the mistake): the
    # point is that both paths agree on all of them, and that the plans answer the ones that are right.
    assert answered.get("plan", 0) >= 0.95 * sum(answered.values()), answered


# ------- privacy through the plans -------


async def test_the_plans_cannot_return_what_the_resolvers_hide(client: httpx.AsyncClient) -> None:
    async with scratch("plan-hidden") as rows:
        network = await rows.organization("network")
        secret = await rows.organization("at-risk", hidden=True)
        await rows.membership(secret, network)
        await models.FocalPoint.create(organization=network, name="A Person", email="person@example.org")
        query = """query($slug: String!, $secret: String!, $id: ID!, $r: [_Any!]!) {
             organization(slug: $slug) { members { totalCount nodes { member { slug } } } }
             hidden: organization(slug: $secret) { slug }
             node(id: $id) { id }
             organizations(first: 100, filter: { search: "at-risk" }) { totalCount nodes { slug } }
             _entities(representations: $r) { ... on Organization { slug } }
             organizationStats { byNetwork(asOf: null) { network { slug } count } }
           }"""
        variables = {
            "slug": network.slug,
            "secret": secret.slug,
            "id": global_id("Organization", secret.id),
            "r": [{"__typename": "Organization", "id": global_id("Organization", secret.id)}],
        }
        response = await post_both_ways(client, {"query": query, "variables": variables}, {"X-Directory-Stats": "1"})
    body = response.json()
    assert body["extensions"]["stats"]["engine"] == "plan"
    data = body["data"]
    assert data["organization"] == {"members": {"totalCount": 0, "nodes": []}}
    assert data["hidden"] is None and data["node"] is None and data["_entities"] == [None]
    assert data["organizations"] == {"totalCount": 0, "nodes": []}
    assert secret.slug not in str(data) and "person@example.org" not in str(data)


# ------- cost -------

NESTED = """query($first: Int, $inner: Int) {
  organizations(first: $first) { nodes { name members(first: $inner) { totalCount nodes { member { name } } } } }
}"""


async def test_cost_counts_rows_and_statements_before_running(gql: Any) -> None:
    body = await gql(NESTED, {"first": 10, "inner": 5})
    assert body["extensions"]["cost"] == {"rows": 10 + 10 * 5 + 10 * 5, "statements": 4}
    assert body["extensions"]["stats"]["sqlStatements"] <= body["extensions"]["cost"]["statements"]


@pytest.mark.parametrize("headers", [{}, {"X-Directory-Engine": "resolvers"}])
async def test_an_operation_over_the_cost_limit_is_refused_before_the_database(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    deep = "{ organizations(first: 100) { nodes { members(first: 100) { nodes { member { networks(first: 100) { nodes { network { name } } } } } } } } }"
    response = await client.post("/graphql", json={"query": deep}, headers={"X-Directory-Stats": "1", **headers})
    body = response.json()
    [error] = body["errors"]
    assert error["extensions"] == {
        "code": "COST_LIMIT",
        "cost": 100 + 100 * 100 * 2 + 100 * 100 * 100 * 2,
        "limit": 50_000,
    }
    assert body["data"] is None
    assert body["extensions"]["stats"]["sqlStatements"] == 0


async def test_an_operation_that_needs_no_sql_takes_no_connection(
    client: httpx.AsyncClient, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tortoise import Tortoise

    from db.read_connections import ReadPool

    pool = getattr(Tortoise.get_connection("default"), "_pool", None)
    if pool is None:
        pytest.skip("SQLite has one connection and no pool")
    taken: list[str] = []
    for cls in (type(pool), ReadPool):
        acquire = cls.acquire

        def counting(self: Any, *args: Any, _acquire: Any = acquire, **kwargs: Any) -> Any:
            taken.append(query)
            return _acquire(self, *args, **kwargs)

        monkeypatch.setattr(cls, "acquire", counting)
    for query in (
        "{ __typename }",
        '{ __type(name: "Organization") { name } }',
        '{ organization(slug: "vngoc") { name } }',
    ):
        response = await client.post("/graphql", json={"query": query})
        assert response.status_code == 200 and "errors" not in response.json()
    # The one that needs SQL borrows a connection for the response cache's version check, then one for its plan.
    assert set(taken) == {'{ organization(slug: "vngoc") { name } }'} and len(taken) <= 2
