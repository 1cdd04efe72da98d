"""GET answers tell HTTP caches what they may keep: ETag, Cache-Control, Vary, and 304 when nothing changed."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio

import models
from db.meter import metering
from models.enums import KeyRole
from services.keys import create_key
from settings import CacheSettings, Settings
from tests.conftest import TEST_KEY_SECRET
from web.cached_reads import CachedReads
from web.response_cache import document_hash

QUERY = 'query Card($slug: String!) { organization(slug: $slug) { slug name } }'


def _params(query: str = QUERY, slug: str = "vngoc", with_text: bool = True) -> dict[str, str]:
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": document_hash(query)}}
    params = {"variables": json.dumps({"slug": slug}), "extensions": json.dumps(extensions)}
    return {**params, "query": query} if with_text else params


@pytest_asyncio.fixture(scope="module")
async def staff_key(app: Any) -> AsyncIterator[str]:
    made = await create_key(TEST_KEY_SECRET, "http caching staff", KeyRole.STAFF)
    yield made.key
    await made.record.delete()


async def test_an_anonymous_answer_is_public_with_an_etag_and_varies_by_credential(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params=_params())
    assert response.status_code == 200 and "errors" not in response.json()
    assert response.headers["etag"].startswith('"')
    assert response.headers["cache-control"] == "public, max-age=0, stale-while-revalidate=0"
    assert response.headers["vary"] == "Authorization"
    by_hash = await client.get("/graphql", params=_params(with_text=False))
    assert by_hash.headers["etag"] == response.headers["etag"]


async def test_a_matching_if_none_match_gets_304_for_one_statement(client: httpx.AsyncClient) -> None:
    tag = (await client.get("/graphql", params=_params())).headers["etag"]
    with metering() as meter:
        response = await client.get("/graphql", params=_params(with_text=False), headers={"If-None-Match": f"W/{tag}, \"other\""})
    assert (response.status_code, response.content) == (304, b"")
    assert response.headers["etag"] == tag and response.headers["vary"] == "Authorization"
    assert meter.statements == 1


async def test_a_change_changes_the_etag(client: httpx.AsyncClient) -> None:
    first = await client.get("/graphql", params=_params())
    organization = await models.Organization.get(slug="vngoc")
    try:
        await models.Organization.filter(id=organization.id).update(name="Renamed for HTTP caching")
        again = await client.get("/graphql", params=_params(), headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 200
        assert again.json()["data"]["organization"]["name"] == "Renamed for HTTP caching"
        assert again.headers["etag"] != first.headers["etag"]
    finally:
        await models.Organization.filter(id=organization.id).update(name=organization.name)


async def test_an_answer_to_a_credential_is_private_and_not_stored(client: httpx.AsyncClient, staff_key: str) -> None:
    response = await client.get("/graphql", params=_params(), headers={"Authorization": f"Bearer {staff_key}"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["vary"] == "Authorization"


async def test_an_answer_with_errors_is_not_stored(client: httpx.AsyncClient) -> None:
    wrong = '{ organization(slug: "vngoc") { noSuchField } }'
    response = await client.get("/graphql", params={"query": wrong})
    assert response.json()["errors"]
    assert response.headers["cache-control"] == "private, no-store"
    assert "etag" not in response.headers


async def test_max_age_and_stale_while_revalidate_are_settings(app: Any, client: httpx.AsyncClient) -> None:
    application = app.application
    original = application.cached_reads
    cache = CacheSettings.from_env({"HTTP_CACHE_MAX_AGE": "30", "HTTP_CACHE_STALE_WHILE_REVALIDATE": "300"})
    application.cached_reads = CachedReads(Settings(database_url=application.settings.database_url, cache=cache), original.namespace)
    try:
        response = await client.get("/graphql", params=_params())
        assert response.headers["cache-control"] == "public, max-age=30, stale-while-revalidate=300"
    finally:
        application.cached_reads = original


async def test_browsers_still_get_graphiql(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]
