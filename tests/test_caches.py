"""Repeated documents skip parsing, validation and planning: the caches must actually hit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from strawberry.extensions.validation_cache import _get_validate_cache

if TYPE_CHECKING:
    from functools import _lru_cache_wrapper


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
    stats = {"X-Directory-Stats": "1"}  # asks for figures of the run itself: never answered from the response cache
    await client.post("/graphql", json=query, headers=stats)
    # Strawberry types the cache as a plain callable; it is an lru_cache wrapper.
    validate = cast("_lru_cache_wrapper[Any]", _get_validate_cache(512))
    before = validate.cache_info()
    await client.post("/graphql", json=query, headers=stats)
    after = validate.cache_info()
    assert after.hits == before.hits + 1
    assert after.misses == before.misses
