"""Repeated documents skip parsing, validation and planning: the caches must actually hit."""

from __future__ import annotations

from typing import Any

from plan.documents import CACHE_BYTES, CACHED_DOCUMENT_BYTES, BoundedCache


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


async def test_a_repeated_unplanned_query_is_validated_once(app: Any, client: Any) -> None:
    query = {"query": '{ __type(name: "Organization") { name } }'}  # introspection runs through Strawberry
    stats = {"X-Directory-Stats": "1"}  # asks for figures of the run itself: never answered from the response cache
    await client.post("/graphql", json=query, headers=stats)
    validations = _planner(app).documents.validations
    before = (validations.hits, validations.misses)
    await client.post("/graphql", json=query, headers=stats)
    assert (validations.hits, validations.misses) == (before[0] + 1, before[1])


async def test_large_documents_are_not_kept(app: Any, client: Any) -> None:
    """A large document is parsed and validated for its request only; the caches hold small ones, within bytes."""
    documents = _planner(app).documents
    padding = "# " + "x" * CACHED_DOCUMENT_BYTES + "\n"
    query = padding + '{ __type(name: "Office") { name } }'
    for _ in range(2):
        response = await client.post("/graphql", json={"query": query})
        assert response.json()["data"] == {"__type": {"name": "Office"}}
    assert documents.documents.get(query) is None
    assert all(size <= CACHED_DOCUMENT_BYTES for _, size in documents.documents._entries.values())
    assert documents.documents.bytes <= CACHE_BYTES and documents.validations.bytes <= CACHE_BYTES


def test_the_caches_are_bounded_in_bytes() -> None:
    cache: BoundedCache[str, str] = BoundedCache(max_bytes=100, max_item_bytes=40)
    cache.put("big", "x", 41)
    for index in range(10):
        cache.put(f"k{index}", "v", 30)
    assert cache.get("big") is None
    assert cache.bytes == 90 and len(cache) == 3
    assert cache.get("k9") == "v" and cache.get("k6") is None
