"""Rate limits: requests and query cost per client and window, in memory or in Redis; 429 with Retry-After.

Each test serves the directory with its own settings (a second application
on the database the session opened) and sends requests from client addresses
of its own, so counters left in Redis by another run never meet these.
"""

from __future__ import annotations

import random
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from models.enums import KeyRole
from server import create_app
from services.keys import create_key
from settings import Settings
from tests.conftest import TEST_KEY_SECRET
from tests.factories import scratch
from web.rate_limits import KEY_PREFIX

REDIS_URL = "redis://127.0.0.1:6379/0"
QUERY = {"query": "{ organizations(first: 50) { nodes { name } } }"}
HOUR = 3600
"""The window of the tests: long enough that none ends while a test runs."""


def _address() -> str:
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


@asynccontextmanager
async def served(database_url: str, **limits: Any) -> AsyncIterator[Any]:
    application = create_app(
        Settings(database_url=database_url, api_key_secret=TEST_KEY_SECRET, rate_limit_window=HOUR, **limits)
    )
    try:
        yield application
    finally:
        await application.limiter.close()


def _client(application: Any, address: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=application, client=(address, 4321)), base_url="http://testserver")


async def _redis_or_skip() -> None:
    redis = Redis.from_url(REDIS_URL)
    try:
        await redis.ping()
    except OSError as error:
        pytest.skip(f"Redis at {REDIS_URL} is unreachable: {error}")
    finally:
        await redis.aclose()


async def _forget(client: str) -> None:
    """Delete the Redis counters of one client."""
    redis = Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in redis.scan_iter(f"{KEY_PREFIX}*:{client}")]
        if keys:
            await redis.delete(*keys)
    finally:
        await redis.aclose()


def _assert_limited(response: httpx.Response, limit: str) -> None:
    assert response.status_code == 429, response.text
    assert 1 <= int(response.headers["retry-after"]) <= HOUR
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["extensions"]["limit"] == limit
    assert f"per {HOUR} s for this client" in error["message"]


@pytest.mark.parametrize("store", ["memory", "redis"])
async def test_requests_over_the_limit_get_429_per_address_and_per_key(app: Any, database_url: str, store: str) -> None:
    if store == "redis":
        await _redis_or_skip()
    address, other = _address(), _address()
    redis_url = REDIS_URL if store == "redis" else ""
    async with scratch("rate-limits") as rows, served(database_url, rate_limit_requests=3, redis_url=redis_url) as limited:
        made = await create_key(TEST_KEY_SECRET, "rate limited staff", KeyRole.STAFF, None)
        rows.rows.insert(0, made.record)
        if store == "redis":
            await _forget(f"key:{made.record.id}")  # key ids come again in every test session
        async with _client(limited, address) as http, _client(limited, other) as elsewhere:
            answers = [await http.post("/graphql", json=QUERY) for _ in range(3)]
            assert [answer.status_code for answer in answers] == [200, 200, 200]
            _assert_limited(await http.post("/graphql", json=QUERY), "requests")
            calendar = await http.get("/calendar.ics")
            assert calendar.status_code == 429
            assert (await elsewhere.post("/graphql", json=QUERY)).status_code == 200
            keyed = {"Authorization": f"Bearer {made.key}"}
            assert [(await http.post("/graphql", json=QUERY, headers=keyed)).status_code for _ in range(3)] == [200] * 3
            _assert_limited(await elsewhere.post("/graphql", json=QUERY, headers=keyed), "requests")
            guessed = {"Authorization": "Bearer udk_" + "x" * 43}
            assert [(await elsewhere.post("/graphql", json=QUERY, headers=guessed)).status_code for _ in range(3)] == [
                401,
                401,
                429,
            ], "keys that open nothing count for the address that sends them"
            assert (await http.get("/healthz")).status_code == 200, "health checks are never limited"
    if store == "redis":
        redis = Redis.from_url(REDIS_URL)
        try:
            keys = [key.decode() async for key in redis.scan_iter(f"{KEY_PREFIX}*:address:{address}")]
            assert len(keys) == 1
            assert await redis.hget(keys[0], "requests") == b"5"
            assert 0 < await redis.ttl(keys[0]) <= HOUR + 1
            await redis.delete(*keys)
        finally:
            await redis.aclose()


async def test_workers_share_their_counters_in_redis(app: Any, database_url: str) -> None:
    await _redis_or_skip()
    address = _address()
    async with (
        served(database_url, rate_limit_requests=2, redis_url=REDIS_URL) as one,
        served(database_url, rate_limit_requests=2, redis_url=REDIS_URL) as two,
        _client(one, address) as first,
        _client(two, address) as second,
    ):
        assert (await first.post("/graphql", json=QUERY)).status_code == 200
        assert (await second.post("/graphql", json=QUERY)).status_code == 200
        _assert_limited(await first.post("/graphql", json=QUERY), "requests")


@pytest.mark.parametrize("store", ["memory", "redis"])
async def test_query_cost_over_the_budget_gets_429(app: Any, database_url: str, store: str) -> None:
    if store == "redis":
        await _redis_or_skip()
    address = _address()
    async with served(database_url) as unlimited, _client(unlimited, address) as http:
        rows = (await http.post("/graphql", json=QUERY)).json()["extensions"]["cost"]["rows"]
    assert rows >= 50
    redis_url = REDIS_URL if store == "redis" else ""
    async with served(database_url, rate_limit_cost=2 * rows, redis_url=redis_url) as limited, _client(limited, address) as http:
        assert (await http.post("/graphql", json=QUERY)).status_code == 200
        assert (await http.post("/graphql", json=QUERY, headers={"X-Directory-Engine": "resolvers"})).status_code == 200
        refused = await http.post("/graphql", json={"query": "{ __typename }"})
        _assert_limited(refused, "cost")
        assert f"at most {2 * rows} rows of query cost" in refused.json()["errors"][0]["message"]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_redis_down_keeps_the_service_serving_and_shows_in_healthz(app: Any, database_url: str) -> None:
    down = f"redis://127.0.0.1:{_closed_port()}/0"
    address = _address()
    async with served(database_url, rate_limit_requests=1, redis_url=down) as limited, _client(limited, address) as http:
        assert [(await http.post("/graphql", json=QUERY)).status_code for _ in range(3)] == [200, 200, 200]
        health = await http.get("/healthz")
        assert health.status_code == 200
        assert health.json() == {"status": "degraded", "database": "ok", "redis": "unreachable"}
    closed = {"rate_limit_requests": 1, "redis_url": down, "rate_limit_fail_open": False}
    async with served(database_url, **closed) as limited, _client(limited, address) as http:
        refused = await http.post("/graphql", json=QUERY)
        assert refused.status_code == 503
        assert refused.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        assert (await http.get("/healthz")).status_code == 503


async def test_healthz_shows_redis_when_it_answers(app: Any, database_url: str) -> None:
    await _redis_or_skip()
    async with served(database_url, redis_url=REDIS_URL) as limited, _client(limited, _address()) as http:
        health = await http.get("/healthz")
    assert health.json() == {"status": "ok", "database": "ok", "redis": "ok"}
