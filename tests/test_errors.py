"""Client mistakes get a clear GraphQL error or null, never a 500, a stack trace or SQL."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

LEAKS = ("Traceback", 'File "', "SELECT ", "sqlite", "asyncpg", "tortoise")


def _assert_clean(text: str) -> None:
    for leak in LEAKS:
        assert leak not in text, f"response leaks {leak!r}: {text}"


def _gid(type_name: str, pk: str) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


@pytest.mark.parametrize(
    ("query", "variables", "message"),
    [
        ('{ organization(id: "not-an-id") { name } }', None, "is not a valid ID"),
        ("query($id: ID!) { organization(id: $id) { name } }", {"id": _gid("Office", "1")}, "belongs to an Office"),
        ("query($id: ID!) { node(id: $id) { id } }", {"id": _gid("Secret", "1")}, "is not a valid ID"),
        ("query($id: ID!) { node(id: $id) { id } }", {"id": _gid("Organization", "x")}, "is not a valid ID"),
        ('{ organization(slug: "a", id: "b") { name } }', None, "exactly one of `id` and `slug`"),
        ("{ organization { name } }", None, "exactly one of `id` and `slug`"),
        ("query($n: Int) { organizations(first: $n) { totalCount } }", {"n": "ten"}, "Int cannot represent"),
        ("{ organizations { nope } }", None, "Cannot query field 'nope'"),
        ("{ organizations(first: 1 { totalCount } }", None, "Syntax Error"),
    ],
)
async def test_client_mistakes_get_clear_errors(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None, message: str
) -> None:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code in (200, 400), response.text
    body = response.json()
    assert any(message in error["message"] for error in body["errors"]), body
    _assert_clean(response.text)


async def test_unknown_slug_and_unknown_id_are_null(gql: Any) -> None:
    data = await gql.data(
        "query($id: ID!) { organization(slug: \"no-such-organization\") { name } byId: organization(id: $id) { name } }",
        {"id": _gid("Organization", "999999")},
    )
    assert data == {"organization": None, "byId": None}


async def test_nodes_keeps_order_and_nulls_missing(gql: Any) -> None:
    office = (await gql.data('{ office(slug: "csu") { id } }'))["office"]["id"]
    org = (await gql.data('{ organization(slug: "uncac-coalition") { id } }'))["organization"]["id"]
    data = await gql.data(
        "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }",
        {"ids": [org, _gid("Organization", "999999"), office]},
    )
    assert data["nodes"] == [{"__typename": "Organization", "id": org}, None, {"__typename": "Office", "id": office}]


async def test_root_fields_read_together_while_one_fails(client: httpx.AsyncClient) -> None:
    """Root fields resolve concurrently on the request's one connection; a field's client error spoils nothing."""
    query = """{
      first: organization(slug: "vngoc") { name }
      nodes(ids: []) { id }
      bad: organization(slug: "vngoc", id: "b") { name }
      second: organizations(first: 1, orderBy: { field: NAME, direction: ASC }) { totalCount }
    }"""
    response = await client.post("/graphql", json={"query": query})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"]["first"] == {"name": "Vienna NGO Committee on Drugs"}
    assert body["data"]["nodes"] == []
    assert body["data"]["bad"] is None
    assert body["data"]["second"]["totalCount"] > 0
    assert [error["message"] for error in body["errors"]] == ["Give exactly one of `id` and `slug`."]


async def test_a_failing_non_null_root_field_ends_the_operation_cleanly(client: httpx.AsyncClient) -> None:
    """The error nulls ``data`` while sibling fields still read; their statements finish before the connection goes back."""
    query = """{
      first: organization(slug: "vngoc") { name }
      bad: organizations(first: 1, last: 1) { totalCount }
      second: organizations(first: 2) { nodes { name networks(first: 2) { nodes { network { name } } } } }
    }"""
    for _ in range(3):
        response = await client.post("/graphql", json={"query": query})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["data"] is None
        assert [error["message"] for error in body["errors"]] == ["Pass either `first` or `last`, not both."]
    after = await client.post("/graphql", json={"query": '{ organization(slug: "vngoc") { name } }'})
    assert after.json()["data"] == {"organization": {"name": "Vienna NGO Committee on Drugs"}}


async def test_get_requests_run_queries(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": '{ office(slug: "csu") { slug } }'})
    assert response.status_code == 200
    assert response.json() == {"data": {"office": {"slug": "csu"}}, "extensions": {"cost": {"rows": 1, "statements": 1}}}


async def test_malformed_json_body_is_a_400(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 400
    _assert_clean(response.text)


async def test_depth_limit_refuses_runaway_queries(gql: Any) -> None:
    nested = "parent { " * 14 + "name" + " }" * 14
    body = await gql(f'{{ office(slug: "csu") {{ {nested} }} }}', errors=True)
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


async def test_health_checks_the_database(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
