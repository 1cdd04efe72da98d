"""A corpus of hostile requests: each gets its expected status and ``extensions.code``, never a 500.

Every case runs through the planned queries' short way and through
Strawberry's view (``X-Directory-Engine: resolvers``), on SQLite and on
PostgreSQL. No answer carries a stack trace or SQL, and no answer repeats a
long value the client sent.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.conftest import RESOLVERS

LEAKS = ("Traceback", 'File "', "SELECT ", "sqlite", "asyncpg", "tortoise", "Unexpected error")


def _gid(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _cursor(payload: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def _body(query: str, variables: dict[str, Any] | None = None, **more: Any) -> bytes:
    return json.dumps({"query": query, "variables": variables, **more}).encode()


@dataclass(frozen=True)
class Case:
    """One hostile request and what it must get."""

    name: str
    body: bytes | None = None
    status: int = 200
    code: str = "BAD_USER_INPUT"
    method: str = "POST"
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] | None = None


ORGANIZATION = "query($id: ID!) { organization(id: $id) { name } }"
NODE = "query($id: ID!) { node(id: $id) { id } }"
BY_NAME = "query($c: String) { organizations(first: 2, after: $c, orderBy: { field: NAME }) { nodes { name } } }"
BY_DATE = "query($c: String) { events(first: 2, after: $c) { nodes { name } } }"
HUGE = "x" * 400_000

CASES = [
    # The envelope: not a GraphQL-over-HTTP request at all.
    Case("string body", b'"hello"', 400, "BAD_REQUEST"),
    Case("number body", b"5", 400, "BAD_REQUEST"),
    Case("null body", b"null", 400, "BAD_REQUEST"),
    Case("batch", b'[{"query": "{ __typename }"}]', 400, "BAD_REQUEST"),
    Case("empty body", b"", 400, "BAD_REQUEST"),
    Case("not JSON", b"{query: 1", 400, "BAD_REQUEST"),
    Case("invalid UTF-8", b'{"query": "{ __typename }", "variables": {"a": "\xff\xfe"}}', 400, "INVALID_UTF8"),
    Case("deep variables", b'{"query": "{ __typename }", "variables": {"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}",
         400, "JSON_TOO_DEEP"),
    Case("deep but parsable variables", _body("{ __typename }", {"a": json.loads("[" * 40 + "]" * 40)}), 400,
         "JSON_TOO_DEEP"),
    Case("query is an object", b'{"query": {"a": 1}}', 400, "BAD_REQUEST"),
    Case("variables is a string", b'{"query": "{ __typename }", "variables": "{}"}', 400, "BAD_REQUEST"),
    Case("operationName is a number", b'{"query": "{ __typename }", "operationName": 5}', 400, "BAD_REQUEST"),
    Case("no query", b'{"variables": {}}', 400, "BAD_REQUEST"),
    Case("not JSON content", b"{ __typename }", 415, "UNSUPPORTED_MEDIA_TYPE", headers={"Content-Type": "text/plain"}),
    Case("body over the limit", b'{"query": "{ __typename }", "x": "' + b"x" * 1_000_001 + b'"}', 413,
         "REQUEST_TOO_LARGE"),
    Case("GET with deep variables", None, 400, "JSON_TOO_DEEP", "GET",
         params={"query": "{ __typename }", "variables": "[" * 5000 + "]" * 5000}),
    Case("PUT", b'{"query": "{ __typename }"}', 405, "METHOD_NOT_ALLOWED", "PUT"),
    Case("mutation over GET", None, 400, "BAD_REQUEST", "GET",
         params={"query": 'mutation { organizationCreate(input: { name: "x" }) { userErrors { message } } }'}),
    Case("GET with bad variables", None, 400, "BAD_REQUEST", "GET", params={"query": "{ __typename }", "variables": "{"}),
    # Documents: refused before they run.
    Case("syntax error", _body("{ organizations(first: 1 { totalCount } }"), 200, "GRAPHQL_PARSE_FAILED"),
    Case("unknown field", _body("{ organizations { nope } }"), 200, "GRAPHQL_VALIDATION_FAILED"),
    Case("too deep", _body("{ organization(slug: \"a\") {" + " networks { nodes { network {" * 6 + " name" + " } } }" * 6 + " } }"),
         200, "GRAPHQL_VALIDATION_FAILED"),
    Case("two operations, no name", _body("query A { __typename } query B { __typename }"), 200,
         "OPERATION_NAME_REQUIRED"),
    Case("unknown operation name", _body("query A { __typename }", operationName="B"), 400, "BAD_REQUEST"),
    Case("aliases", _body("{" + " ".join(f"a{i}: __typename" for i in range(101)) + " }"), 200, "QUERY_TOO_COMPLEX"),
    Case("root fields", _body("{" + " __typename" * 51 + " }"), 200, "QUERY_TOO_COMPLEX"),
    Case("tokens", _body("{ __typename " + "# c\n __typename " * 10_000 + "}"), 200, "QUERY_TOO_COMPLEX"),
    Case("an unused fragment of 80,000 fields",
         _body("{ __typename } fragment F on Query { " + "__typename " * 80_000 + "}"), 200, "QUERY_TOO_COMPLEX"),
    Case("entities", _body("query($r: [_Any!]!) { _entities(representations: $r) { __typename } }",
                           {"r": [{"__typename": "Organization", "slug": "vngoc"}] * 101}), 200, "QUERY_TOO_COMPLEX"),
    Case("nodes with aliases", _body("query($ids: [ID!]!) { a: nodes(ids: $ids) { id } b: nodes(ids: $ids) { id } }",
                                     {"ids": [_gid("Organization:1")] * 60}), 200, "QUERY_TOO_COMPLEX"),
    Case("cost", _body("{ organizations(first: 100) { nodes { members(first: 100) { nodes { member {"
                       " networks(first: 100) { nodes { network { name } } } } } } } } }"), 200, "COST_LIMIT"),
    Case("variable of the wrong type", _body("query($n: Int) { organizations(first: $n) { totalCount } }", {"n": "ten"}),
         200, "BAD_USER_INPUT"),
    # Values: a clear error for each.
    Case("ID above the integer range", _body(ORGANIZATION, {"id": _gid("Organization:99999999999999999999")}), 200,
         "INVALID_ID"),
    Case("ID below zero", _body(ORGANIZATION, {"id": _gid("Organization:-1")}), 200, "INVALID_ID"),
    Case("ID with spaces", _body(ORGANIZATION, {"id": _gid("Organization: 1 ")}), 200, "INVALID_ID"),
    Case("ID with Arabic-Indic digits", _body(ORGANIZATION, {"id": _gid("Organization:١")}), 200, "INVALID_ID"),
    Case("ID with leading zeros", _body(ORGANIZATION, {"id": _gid("Organization:01")}), 200, "INVALID_ID"),
    Case("ID with underscores", _body(ORGANIZATION, {"id": _gid("Organization:1_0")}), 200, "INVALID_ID"),
    Case("ID in unpadded base64", _body(ORGANIZATION, {"id": _gid("Organization:1").rstrip("=")}), 200, "INVALID_ID"),
    Case("node ID above the integer range", _body(NODE, {"id": _gid("Organization:9223372036854775808")}), 200,
         "INVALID_ID"),
    Case("cursor with a timestamp for a name", _body(BY_NAME, {"c": _cursor(["name", [{"t": "2020-01-01T00:00:00"}, 1]])}),
         200, "INVALID_CURSOR"),
    Case("cursor with a number for a name", _body(BY_NAME, {"c": _cursor(["name", [5, 1]])}), 200, "INVALID_CURSOR"),
    Case("cursor with a name for an id", _body(BY_NAME, {"c": _cursor(["name", ["a", "b"]])}), 200, "INVALID_CURSOR"),
    Case("cursor with 1e400", _body(BY_NAME, {"c": base64.urlsafe_b64encode(b'["name",["a",1e400]]').decode()}), 200,
         "INVALID_CURSOR"),
    Case("cursor with NaN", _body(BY_NAME, {"c": base64.urlsafe_b64encode(b'["name",["a",NaN]]').decode()}), 200,
         "INVALID_CURSOR"),
    Case("cursor holding a list", _body(BY_NAME, {"c": _cursor(["name", [["a"], 1]])}), 200, "INVALID_CURSOR"),
    Case("cursor that is a list", _body(BY_NAME, {"c": _cursor([["name"], []])}), 200, "INVALID_CURSOR"),
    Case("cursor with a huge id", _body(BY_NAME, {"c": _cursor(["name", ["a", 2**70]])}), 200, "INVALID_CURSOR"),
    Case("cursor with a name for a day", _body(BY_DATE, {"c": _cursor(["date", ["soon", 1]])}), 200, "INVALID_CURSOR"),
    Case("cursor with a bad day", _body(BY_DATE, {"c": _cursor(["date", [{"d": "2023-02-30"}, 1]])}), 200,
         "INVALID_CURSOR"),
    Case("NUL in a slug", _body('query($s: String!) { organization(slug: $s) { name } }', {"s": "vngoc\x00"}), 200,
         "BAD_USER_INPUT"),
    Case("NUL in a search filter", _body('query($s: String) { organizations(filter: { search: $s }) { totalCount } }',
                                         {"s": "a\x00b"}), 200, "BAD_USER_INPUT"),
    Case("NUL in a country filter", _body('{ organizations(filter: { countries: ["A\\u0000"] }) { totalCount } }'),
         200, "BAD_USER_INPUT"),
    Case("instant out of range", _body('{ events(filter: { openForApplicationsAt: "0001-01-01T00:00:00+14:00" }) '
                                       "{ totalCount } }"), 200, "BAD_USER_INPUT"),
    Case("instant at the end of time", _body('{ events(filter: { openForApplicationsAt: "9999-12-31T23:59:59-14:00" }) '
                                             "{ totalCount } }"), 200, "BAD_USER_INPUT"),
    Case("huge slug", _body("query($s: String!, $i: ID!) { organization(slug: $s, id: $i) { name } }",
                            {"s": HUGE, "i": HUGE}), 200, "BAD_USER_INPUT"),
    Case("huge ID", _body(ORGANIZATION, {"id": HUGE}), 200, "INVALID_ID"),
    Case("page too large", _body("{ organizations(first: 101) { totalCount } }"), 200, "BAD_USER_INPUT"),
    Case("negative page", _body("{ organizations(first: -1) { totalCount } }"), 200, "BAD_USER_INPUT"),
]


def _codes(answer: Any) -> list[str]:
    return [error.get("extensions", {}).get("code") for error in answer.get("errors", [])]


async def _send(client: httpx.AsyncClient, case: Case, headers: dict[str, str]) -> httpx.Response:
    if case.method == "GET":
        return await client.get("/graphql", params=case.params, headers=headers)
    return await client.request(
        case.method,
        "/graphql",
        content=case.body,
        headers={"Content-Type": "application/json", **case.headers, **headers},
    )


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
@pytest.mark.parametrize("engine", ["plan", "resolvers"])
async def test_hostile_request(client: httpx.AsyncClient, case: Case, engine: str) -> None:
    headers = {"Accept": "application/json", **(RESOLVERS if engine == "resolvers" else {})}
    response = await _send(client, case, headers)
    assert response.status_code == case.status, response.text[:2000]
    answer = response.json()
    codes = _codes(answer)
    assert codes and all(codes), answer
    assert case.code in codes, answer
    for leak in LEAKS:
        assert leak not in response.text, f"{leak!r} in {response.text[:2000]}"
    assert len(response.content) < 4_000, "a long value the client sent is echoed back"


@pytest.mark.parametrize(
    "case", [case for case in CASES if case.status == 200], ids=[case.name for case in CASES if case.status == 200]
)
async def test_graphql_response_media_type_refuses_with_400(client: httpx.AsyncClient, case: Case) -> None:
    """With ``application/graphql-response+json``, a request that fails before execution is a 400 without ``data``."""
    response = await _send(client, case, {"Accept": "application/graphql-response+json"})
    assert response.headers["content-type"] == "application/graphql-response+json; charset=utf-8"
    answer = response.json()
    assert case.code in _codes(answer), answer
    if "data" in answer:
        assert response.status_code == 200 and any("path" in error for error in answer["errors"]), answer
    else:
        assert response.status_code == 400, answer
