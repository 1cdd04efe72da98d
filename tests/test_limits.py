"""Bounded work per request: the body, the request's time, and browser headers; each refusal names its limit.

The document limits (tokens, aliases, root fields, entities, cost) are in the
hostile corpus (``tests/test_hostile.py``); here are the limits that need a
request built by hand or an application with other settings.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from server import create_app
from settings import Settings


async def test_a_streamed_body_over_the_limit_is_refused_while_it_arrives(client: httpx.AsyncClient) -> None:
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        yield b'{"query": "{ __typename }", "padding": "'
        for _ in range(100):
            sent += 1
            yield b"x" * 100_000

    response = await client.post("/graphql", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"] == {"code": "REQUEST_TOO_LARGE", "limit": 1_000_000}
    assert sent < 100, "the whole body was read before refusing it"


async def test_a_declared_length_over_the_limit_is_refused_at_once(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", content=b"{}", headers={"Content-Type": "application/json", "Content-Length": "5000000"}
    )
    assert response.status_code == 413
    assert "MAX_BODY_BYTES" in response.json()["errors"][0]["message"]


async def test_answers_carry_the_security_headers(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ __typename }"})
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert response.headers["x-frame-options"] == "DENY"
    assert "access-control-allow-origin" not in response.headers


async def test_no_cross_origin_access_by_default(client: httpx.AsyncClient) -> None:
    preflight = await client.options(
        "/graphql",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


def _other_app(database_url: str, **settings: Any) -> httpx.AsyncClient:
    """A client of an application with other settings, on the test session's database (the session's application
    opened it: a second lifespan would close it for every later test)."""
    application = create_app(Settings(database_url=database_url, **settings))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=application), base_url="http://testserver")


async def test_configured_origins_may_call_the_api(app: Any, database_url: str) -> None:
    async with _other_app(database_url, cors_origins=("https://intranet.example",)) as http:
        preflight = await http.options(
            "/graphql",
            headers={
                "Origin": "https://intranet.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "https://intranet.example"
        other = await http.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"Origin": "https://elsewhere.example"}
        )
        assert other.status_code == 200 and "access-control-allow-origin" not in other.headers
        allowed = await http.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"Origin": "https://intranet.example"}
        )
        assert allowed.headers["access-control-allow-origin"] == "https://intranet.example"


async def test_a_runaway_request_is_stopped_and_gives_its_connection_back(
    app: Any, backend: str, database_url: str
) -> None:
    """With a table locked, reads wait: each is stopped at REQUEST_TIMEOUT with 504, and once the lock is gone
    the service answers again (no connection was kept by a stopped request)."""
    if backend != "postgres":
        pytest.skip("needs a lock that blocks readers: PostgreSQL")
    import asyncpg

    locker = await asyncpg.connect(os.environ["TEST_POSTGRES_URL"].replace("postgres://", "postgresql://", 1))
    try:
        async with _other_app(database_url, request_timeout=1.0) as http:
            query = {"query": "{ organizations(first: 1) { totalCount nodes { name } } }"}
            async with locker.transaction():
                await locker.execute("LOCK TABLE organization IN ACCESS EXCLUSIVE MODE")
                stopped = await asyncio.gather(*(http.post("/graphql", json=query) for _ in range(3)))
                for response in stopped:
                    assert response.status_code == 504, response.text
                    error = response.json()["errors"][0]
                    assert error["extensions"] == {"code": "REQUEST_TIMEOUT", "limit": 1.0}
                    assert "REQUEST_TIMEOUT" in error["message"]
            for _ in range(3):
                response = await http.post("/graphql", json=query)
                assert response.status_code == 200, response.text
                assert response.json()["data"]["organizations"]["totalCount"] > 0
    finally:
        await locker.close()
