"""The database may be slow or gone: requests fail cleanly (503, SERVICE_UNAVAILABLE), the rest keeps answering.

- an operation that needs no SQL takes no connection, so it answers while every
  pooled connection is held;
- ``/healthz`` asks outside the pools: it answers while they are exhausted or a table is locked;
- a statement stuck behind a lock ends at the statement timeout with a clean 503, on GraphQL and the calendar;
- ``serve`` refuses to start when the database is unreachable.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from tortoise import Tortoise

from db import availability
from db.availability import DatabaseLimits, DatabaseUnavailable

ROOT = Path(__file__).resolve().parent.parent
ORGANIZATIONS = {"query": '{ organization(slug: "vngoc") { name } }'}


@asynccontextmanager
async def every_connection_held(app: Any, backend: str) -> AsyncIterator[None]:
    """Hold every pooled connection of the service (Tortoise's and the read plans') for the block."""
    client = Tortoise.get_connection("default")
    if backend == "sqlite":
        async with client.acquire_connection():  # SQLite: the one connection, behind its lock
            yield
        return
    held: list[Any] = []
    pool = client._pool
    read_pool = app.lifespan_state["read_pool"]
    try:
        for _ in range(pool.get_max_size()):
            held.append((pool, await pool.acquire()))
        for _ in range(read_pool.size):
            held.append((read_pool, await read_pool.acquire()))
        yield
    finally:
        for owner, connection in held:
            result = owner.release(connection)
            if asyncio.iscoroutine(result):
                await result


async def test_an_operation_without_sql_takes_no_connection(client: httpx.AsyncClient, app: Any, backend: str) -> None:
    async with every_connection_held(app, backend):
        for headers in ({}, {"X-Directory-Engine": "resolvers"}):
            response = await client.post("/graphql", json={"query": "{ __typename }"}, headers=headers)
            assert response.status_code == 200 and response.json()["data"] == {"__typename": "Query"}
        health = await client.get("/healthz")
    assert health.status_code == 200 and health.json() == {"status": "ok", "database": "ok"}


async def test_an_exhausted_pool_answers_503_with_a_code(
    client: httpx.AsyncClient, app: Any, backend: str, caplog: pytest.LogCaptureFixture
) -> None:
    if backend != "postgres":
        pytest.skip("SQLite has one connection and no pool to wait for")
    async with every_connection_held(app, backend):
        for headers in ({}, {"X-Directory-Engine": "resolvers"}):
            response = await client.post("/graphql", json=ORGANIZATIONS, headers=headers)
            assert response.status_code == 503, response.text
            assert response.headers["retry-after"] == "1"
            (error,) = response.json()["errors"]
            assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
            assert "No database connection came free within 2 s" in error["message"]
    assert not [r for r in caplog.records if "read plan failed" in r.getMessage()], "the plan fails at once, no fallback"
    after = await client.post("/graphql", json=ORGANIZATIONS)
    assert after.status_code == 200 and after.json()["data"] == {"organization": {"name": "Vienna NGO Committee on Drugs"}}


async def test_a_locked_table_ends_at_the_statement_timeout_and_healthz_stays_fast(
    client: httpx.AsyncClient, backend: str, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    if backend != "postgres":
        pytest.skip("PostgreSQL table locks")
    locker = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        transaction = locker.transaction()
        await transaction.start()
        await locker.execute("LOCK TABLE organization IN ACCESS EXCLUSIVE MODE")
        await locker.execute("LOCK TABLE event IN ACCESS EXCLUSIVE MODE")
        finished: list[str] = []

        async def ask(name: str, request: Any) -> httpx.Response:
            response = await request
            finished.append(name)
            return response

        fresh = {"X-Directory-Stats": "1"}  # answered afresh: a cached answer would need no locked table
        graphql = asyncio.ensure_future(ask("graphql", client.post("/graphql", json=ORGANIZATIONS, headers=fresh)))
        resolvers = asyncio.ensure_future(
            ask("resolvers", client.post("/graphql", json=ORGANIZATIONS, headers={"X-Directory-Engine": "resolvers"}))
        )
        calendar = asyncio.ensure_future(ask("calendar", client.get("/calendar.ics")))
        await asyncio.sleep(0.2)
        health = await ask("healthz", client.get("/healthz"))
        answers = await asyncio.gather(graphql, resolvers, calendar)
        await transaction.rollback()
    finally:
        await locker.close()
    assert health.status_code == 200
    assert finished[0] == "healthz", finished
    assert not [r for r in caplog.records if "failed" in r.getMessage()], "a 503 at once: no second try through the resolvers"
    for response in answers[:2]:
        assert response.status_code == 503, response.text
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        assert "statement timeout (5 s)" in error["message"]
    assert answers[2].status_code == 503 and "statement timeout" in answers[2].text
    assert "Traceback" not in answers[2].text


async def test_a_runaway_sqlite_statement_is_interrupted(app: Any, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL has statement_timeout")
    running = availability._limits
    availability.install(DatabaseLimits(statement_timeout=0.2, acquire_timeout=2))
    try:
        with pytest.raises(DatabaseUnavailable, match="statement timeout"):
            await Tortoise.get_connection("default").execute_query(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c"
            )
    finally:
        availability.install(running)
    _, rows = await Tortoise.get_connection("default").execute_query("SELECT count(*) AS n FROM organization")
    assert rows[0]["n"] > 0


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_refuses_to_start_without_its_database(tmp_path: Path) -> None:
    port, database_port = _closed_port(), _closed_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://directory:secret@127.0.0.1:{database_port}/directory",
        "PORT": str(port),
    }
    finished = subprocess.run(
        [sys.executable, "manage.py", "serve"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert finished.returncode != 0
    assert f"Not starting: the database postgres://127.0.0.1:{database_port}/directory is unreachable" in finished.stderr
    assert "secret" not in finished.stderr + finished.stdout
