"""A change made through one process is seen by the very next read through another.

Two ``manage.py serve`` processes on loopback, on the test database: sharing
Redis (the workers of one instance, or instances sharing a cache), and sharing
only PostgreSQL (instances with caches of their own). Each reads, the other
changes the data with a mutation, and the first reads again.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

import models
from models.enums import KeyRole
from services.keys import create_key
from tests.conftest import TEST_KEY_SECRET
from tests.factories import scratch

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
START_TIMEOUT = 90.0
READ = 'query Read($slug: String!) { organization(slug: $slug) { id name version } }'
UPDATE = (
    "mutation Rename($id: ID!, $version: Int!, $name: String!) { organizationUpdate(id: $id, version: $version, "
    "input: { name: $name }) { organization { name version } userErrors { code message } } }"
)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except (redis.RedisError, OSError):
        return False


@contextmanager
def _serving(database_url: str, logs: Path, name: str, redis_url: str | None) -> Iterator[str]:
    """One ``manage.py serve`` process (one worker); yields its base URL, stops it afterwards."""
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TRUSTED_", "RESPONSE_CACHE", "REDIS_"))}
    env.update(
        DATABASE_URL=database_url, API_KEY_SECRET=TEST_KEY_SECRET, HOST="127.0.0.1", PORT=str(port), WORKERS="1",
        GRAPHIQL="0", GRACEFUL_SHUTDOWN_SECONDS="5",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    log = logs / f"{name}.log"
    with log.open("wb") as output:
        process = subprocess.Popen([sys.executable, "manage.py", "serve"], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"{name} exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
            try:
                if httpx.get(f"{url}/healthz", timeout=1.0).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"{name} did not start:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@pytest_asyncio.fixture(scope="module")
async def admin_key(app: Any) -> AsyncIterator[str]:
    made = await create_key(TEST_KEY_SECRET, "cache processes admin", KeyRole.ADMIN)
    yield made.key
    await models.AuditEntry.filter(key_id=made.record.id).delete()
    await made.record.delete()


async def _read(http: httpx.AsyncClient, url: str, slug: str) -> dict[str, Any]:
    response = await http.post(f"{url}/graphql", json={"query": READ, "variables": {"slug": slug}})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return dict(body["data"]["organization"])


async def _rename(http: httpx.AsyncClient, url: str, key: str, organization: dict[str, Any], name: str) -> None:
    variables = {"id": organization["id"], "version": organization["version"], "name": name}
    response = await http.post(f"{url}/graphql", json={"query": UPDATE, "variables": variables}, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.text
    payload = response.json()["data"]["organizationUpdate"]
    assert payload["userErrors"] == [] and payload["organization"]["name"] == name, payload


async def _each_sees_the_others_change(first: str, second: str, key: str, slug: str) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        for reader, writer, name in ((first, second, "Renamed through the second"), (second, first, "Renamed through the first")):
            before = await _read(http, reader, slug)
            assert await _read(http, reader, slug) == before  # now cached
            assert await _read(http, writer, slug) == before
            await _rename(http, writer, key, before, name)
            after = await _read(http, reader, slug)
            assert after["name"] == name and after["version"] == before["version"] + 1


async def test_two_workers_sharing_redis_see_each_others_changes_at_once(
    database_url: str, admin_key: str, tmp_path: Path
) -> None:
    if not _redis_answers():
        pytest.skip(f"Redis at {REDIS_URL} does not answer")
    import redis.asyncio as redis

    async with scratch("processes-redis") as rows:
        organization = await rows.organization("shared cache")
        with _serving(database_url, tmp_path, "first", REDIS_URL) as first, _serving(database_url, tmp_path, "second", REDIS_URL) as second:
            client = redis.Redis.from_url(REDIS_URL)
            try:
                async with httpx.AsyncClient(timeout=30) as http:
                    await _read(http, first, organization.slug)
                assert await client.keys("directory:answer:*"), "the answer is shared through Redis"
            finally:
                await client.aclose()
            await _each_sees_the_others_change(first, second, admin_key, organization.slug)


async def test_two_instances_sharing_only_postgres_see_each_others_changes_at_once(
    backend: str, database_url: str, admin_key: str, tmp_path: Path
) -> None:
    if backend != "postgres":
        pytest.skip("instances share a database server: PostgreSQL only (TEST_POSTGRES_URL)")
    async with scratch("processes-postgres") as rows:
        organization = await rows.organization("own caches")
        with _serving(database_url, tmp_path, "first", None) as first, _serving(database_url, tmp_path, "second", None) as second:
            await _each_sees_the_others_change(first, second, admin_key, organization.slug)
