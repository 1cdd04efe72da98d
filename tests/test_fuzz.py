"""Generated operations with random arguments: never a 500, every error well formed with ``extensions.code``.

hypothesis-graphql builds valid query documents from the live schema (every
root field), with arguments drawn from any text (NUL characters included),
crafted global IDs and cursors, out-of-range integers, days and instants.
The seed is fixed (derandomized); ``FUZZ_EXAMPLES`` sets how many documents
run (200 by default). Each runs through the read plans and through the resolvers.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from typing import Any

import graphql
import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries

from schema import build_schema
from tests.conftest import RESOLVERS
from tests.factories import global_id

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
TYPES = ["Organization", "Office", "Event", "Instrument", "GoverningBody", "Programme", "ApplicationCall", "Secret"]


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _ids() -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(global_id, st.sampled_from(TYPES[:-1]), st.integers(1, 40)),
        st.builds(lambda t, n: _b64(f"{t}:{n}"), st.sampled_from(TYPES), st.text(max_size=12)),
        st.builds(lambda t, n: _b64(f"{t}:{n}"), st.sampled_from(TYPES), st.integers(-(2**70), 2**70)),
        st.text(max_size=20),
    )


def _cursors() -> st.SearchStrategy[str]:
    value = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.floats(),
        st.text(max_size=8),
        st.fixed_dictionaries({"t": st.text(max_size=30)}),
        st.fixed_dictionaries({"d": st.text(max_size=12)}),
        st.lists(st.integers(), max_size=2),
    )
    names = st.sampled_from(["id", "name", "date", "founded", "country", "closes", "start", "known", "walk", "shared"])
    payload = st.tuples(names, st.lists(value, max_size=4)).map(lambda pair: json.dumps(list(pair)))
    return payload.map(lambda text: base64.urlsafe_b64encode(text.encode()).decode().rstrip("="))


def _strings() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(["vngoc", "congo", "csu", "cnd-66", "corruption", "vienna", "KE", "Europe", "2023-03-15"]),
        st.text(max_size=30),
        _ids(),
        _cursors(),
    ).map(nodes.String)


def _instants() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2023-02-12T23:59:00+01:00"]),
        st.datetimes(timezones=st.timezones()).map(lambda instant: instant.isoformat()),
        st.text(max_size=25),
    ).map(nodes.String)


def _generated(count: int) -> list[str]:
    """``count`` distinct documents from the schema (deterministic)."""
    schema = build_schema()._schema
    custom = {
        "Date": st.one_of(st.dates().map(dt.date.isoformat), st.text(max_size=12)).map(nodes.String),
        "DateTime": _instants(),
        "String": _strings(),
        "ID": _ids().map(nodes.String),
        "Int": st.integers(-(2**31), 2**31 - 1).map(nodes.Int),
        "_Any": st.fixed_dictionaries(
            {"__typename": st.sampled_from(TYPES).map(nodes.String), "id": _ids().map(nodes.String)}
        ).map(
            lambda fields: graphql.ObjectValueNode(
                fields=tuple(
                    graphql.ObjectFieldNode(name=graphql.NameNode(value=k), value=v) for k, v in fields.items()
                )
            )
        ),
    }
    found: dict[str, None] = {}

    @settings(
        max_examples=count, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(queries(schema, custom_scalars=custom, print_ast=graphql.print_ast))
    def collect(document: str) -> None:
        if len(found) < count:
            found[document] = None

    collect()
    return list(found)


def _well_formed(answer: dict[str, Any], document: str) -> None:
    for error in answer.get("errors", []):
        assert isinstance(error.get("message"), str) and error["message"], (document, error)
        code = error.get("extensions", {}).get("code")
        assert code and code != "INTERNAL_SERVER_ERROR", (document, error)
        assert "Unexpected error" not in error["message"], (document, error)


async def test_generated_operations_never_fail_the_server(client: httpx.AsyncClient) -> None:
    documents = _generated(EXAMPLES)
    assert len(documents) >= EXAMPLES * 0.5
    for document in documents:
        for headers in ({}, RESOLVERS):
            response = await client.post("/graphql", json={"query": document}, headers=headers)
            assert response.status_code in (200, 400), (document, response.text[:1000])
            _well_formed(response.json(), document)
