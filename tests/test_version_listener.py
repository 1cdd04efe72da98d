"""CACHE_FRESHNESS=notify: workers hear each new data version from PostgreSQL within milliseconds, answer cached
reads without a statement, and read the version per request again whenever they are not listening."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from tortoise import Tortoise
from tortoise.transactions import in_transaction

import models
from db.data_version import current_version
from db.read_connections import ReadPool
from db.version_listener import RECONNECT_SECONDS, VersionListener
from settings import CacheSettings, Settings
from tests.test_response_cache import _post
from web.cached_reads import CachedReads


@pytest.fixture(autouse=True)
def _postgres_only(backend: str) -> None:
    if backend != "postgres":
        pytest.skip("LISTEN/NOTIFY: PostgreSQL only")


@pytest_asyncio.fixture
async def pool(database_url: str, app: Any) -> AsyncIterator[ReadPool]:
    read_pool = ReadPool(database_url, 2)
    yield read_pool
    await read_pool.close()


async def _until(condition: Any, seconds: float = 5.0) -> float:
    """Poll ``condition()`` every millisecond until it holds; the seconds it took (fails after ``seconds``)."""
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > seconds:
            raise AssertionError(f"not within {seconds} s")
        await asyncio.sleep(0.001)
    return time.perf_counter() - started


async def _terminate(pid: int | None) -> None:
    assert pid is not None
    await Tortoise.get_connection("default").execute_query("SELECT pg_terminate_backend($1)", [pid])


async def test_every_commit_is_heard_within_milliseconds_and_a_rollback_never(pool: ReadPool) -> None:
    listener = VersionListener()
    try:
        assert listener.current(pool.apart) is None  # not listening yet: the caller reads the version itself
        await _until(lambda: listener.current(pool.apart) is not None)
        assert listener.current(pool.apart) == await current_version(None)
        lags = []
        for n in range(20):
            before = listener.current(pool.apart) or 0
            await models.ThematicArea.create(slug=f"listened-{n}", name=f"Listened {n}")  # committed when it returns
            lags.append(await _until(lambda before=before: (listener.current(pool.apart) or 0) > before))
            assert listener.current(pool.apart) == await current_version(None)
        print(f"lag after commit: median {statistics.median(lags) * 1000:.2f} ms, max {max(lags) * 1000:.2f} ms")
        assert max(lags) < 0.5
        last = listener.current(pool.apart)
        with pytest.raises(RuntimeError):
            async with in_transaction():
                await models.ThematicArea.create(slug="listened-rolled-back", name="Rolled back")
                raise RuntimeError("roll back")
        await asyncio.sleep(0.2)
        assert listener.current(pool.apart) == last == await current_version(None)
    finally:
        await models.ThematicArea.filter(slug__startswith="listened-").delete()
        await listener.close()


async def test_a_listener_cut_off_answers_none_then_listens_again(pool: ReadPool) -> None:
    listener = VersionListener()
    try:
        listener.current(pool.apart)
        await _until(lambda: listener.current(pool.apart) is not None)
        await _terminate(listener.backend_pid)
        await _until(lambda: listener.current(pool.apart) is None, 2.0)
        await models.ThematicArea.create(slug="listened-while-cut", name="Listened while cut")
        await _until(lambda: listener.current(pool.apart) is not None, RECONNECT_SECONDS + 5)
        assert listener.current(pool.apart) == await current_version(None)
        assert listener.connections == 2
    finally:
        await models.ThematicArea.filter(slug="listened-while-cut").delete()
        await listener.close()


@pytest.fixture
def notifying(app: Any) -> Iterator[CachedReads]:
    """The application's cached reads in notify mode, put back as they were after the test."""
    application = app.application
    original = application.cached_reads
    settings = Settings(database_url=application.settings.database_url, cache=CacheSettings(freshness="notify"))
    application.cached_reads = CachedReads(settings, original.namespace)
    yield application.cached_reads
    application.cached_reads = original


async def test_notify_mode_answers_a_repeated_read_without_a_statement_and_sees_changes(
    client: httpx.AsyncClient, notifying: CachedReads
) -> None:
    query = '{ organization(slug: "congo") { name } }'
    listener = notifying.listener
    assert listener is not None
    try:
        first, _ = await _post(client, query)  # starts listening
        await _until(lambda: listener._version is not None)
        await _post(client, query)
        again, cost = await _post(client, query)
        assert (again, cost) == (first, 0)  # no version statement: the version was announced
        organization = await models.Organization.get(slug="congo")
        try:
            await models.Organization.filter(id=organization.id).update(name="Renamed while listening")
            committed = await current_version(None)
            await _until(lambda: listener._version == committed)
            after, cost = await _post(client, query)
            assert after["data"]["organization"]["name"] == "Renamed while listening"
            assert cost > 0
            # Not listening: every read reads the version again, so the very next read sees a change.
            await _terminate(listener.backend_pid)
            await _until(lambda: listener._version is None, 2.0)
            await models.Organization.filter(id=organization.id).update(name="Renamed while not listening")
            unheard, cost = await _post(client, query)
            assert unheard["data"]["organization"]["name"] == "Renamed while not listening"
        finally:
            await models.Organization.filter(id=organization.id).update(name=organization.name)
    finally:
        await notifying.close()
