"""Repeated documents skip parsing, validation and planning: the caches must actually hit."""

from __future__ import annotations

from typing import Any

from strawberry.extensions.validation_cache import _get_validate_cache


def _planner(app: Any) -> Any:
    graphql = next(route for route in app.application.routes if getattr(route, "path", "") == "/graphql")
    return graphql.endpoint.schema.planner


async def test_a_repeated_query_is_planned_once(app: Any, gql: Any) -> None:
    planner = _planner(app)
    query = '{ organization(slug: "vngoc") { name acronym } }'
    await gql.data(query)
    hits, misses = planner.hits, planner.misses
    await gql.data(query)
    assert (planner.hits, planner.misses) == (hits + 1, misses)


async def test_a_repeated_unplanned_query_is_validated_once(client: Any) -> None:
    query = {"query": '{ __type(name: "Organization") { name } }'}  # introspection runs through Strawberry
    await client.post("/graphql", json=query)
    before = _get_validate_cache(512).cache_info()
    await client.post("/graphql", json=query)
    after = _get_validate_cache(512).cache_info()
    assert after.hits == before.hits + 1
    assert after.misses == before.misses
