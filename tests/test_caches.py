"""Repeated documents skip parsing and validation: the caches must actually hit."""

from __future__ import annotations

from typing import Any

from strawberry.extensions.validation_cache import _get_validate_cache


async def test_a_repeated_query_is_validated_once(gql: Any) -> None:
    query = '{ organization(slug: "vngoc") { name acronym } }'
    await gql.data(query)
    before = _get_validate_cache(512).cache_info()
    await gql.data(query)
    after = _get_validate_cache(512).cache_info()
    assert after.hits == before.hits + 1
    assert after.misses == before.misses
