"""Test harness: the ASGI app over HTTP, on a migrated SQLite database and,
when TEST_POSTGRES_URL is set, again on PostgreSQL, both loaded with the
directory's real data (data/unodc.json).

Tests that add rows remove them again (see ``scratch``), so every test sees
the fixture data as it is in the file.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from asgi_lifespan import LifespanManager

from db.lifecycle import migrate
from server import create_app
from settings import Settings

TEST_KEY_SECRET = "test-secret-keying-api-key-hashes"
"""The server secret of the test application's API keys (``services.keys``)."""

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "data" / "unodc.json"


def _backends() -> list[Any]:
    backends: list[Any] = ["sqlite"]
    if os.environ.get("TEST_POSTGRES_URL"):
        backends.append("postgres")
    elif os.environ.get("REQUIRE_POSTGRES") == "1":
        raise pytest.UsageError("REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set")
    return backends


async def _reset_postgres(url: str) -> None:
    import asyncpg

    try:
        connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    except (OSError, asyncpg.PostgresError) as error:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL at {url} is unreachable: {error}")
        pytest.skip(f"PostgreSQL at {url} is unreachable: {error}")
    try:
        await connection.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


async def fresh_database_url(backend: str, tmp_path: Path) -> str:
    """An empty database of the given backend, migrated to the latest schema."""
    if backend == "postgres":
        url = os.environ["TEST_POSTGRES_URL"]
        await _reset_postgres(url)
    else:
        url = f"sqlite://{tmp_path / 'directory.sqlite3'}"
    await migrate(url)
    return url


@pytest.fixture(scope="session", params=_backends())
def backend(request: pytest.FixtureRequest) -> str:
    """Which database the test runs on: sqlite, or postgres."""
    return str(request.param)


@pytest_asyncio.fixture(scope="session")
async def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    return await fresh_database_url(backend, tmp_path_factory.mktemp(backend))


@pytest_asyncio.fixture(scope="session")
async def app(database_url: str) -> AsyncIterator[Any]:
    """The application, started, with the directory data loaded."""
    from tortoise.backends.base.executor import EXECUTOR_CACHE

    from datatools.fixture_loader import load_fixture

    # Tortoise caches INSERT statements by connection name, whatever the dialect:
    # forget SQLite's before the same name points at PostgreSQL.
    EXECUTOR_CACHE.clear()
    application = create_app(Settings(database_url=database_url, engine_header=True, api_key_secret=TEST_KEY_SECRET))
    async with LifespanManager(application) as manager:
        await load_fixture(FIXTURE)
        manager.app.application = application  # type: ignore[attr-defined]
        manager.app.lifespan_state = manager._state  # type: ignore[attr-defined]  # the read pool, for tests that hold it
        yield manager.app


@pytest_asyncio.fixture(scope="session")
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client talking to the app in-process."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


RESOLVERS = {"X-Directory-Engine": "resolvers"}
"""The header that sends a request through the resolvers instead of its read plan (tests only: ENGINE_HEADER)."""


async def post_both_ways(http: httpx.AsyncClient, payload: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
    """Post a GraphQL request as is, and again through the resolvers; fail unless both answer the same.

    This is the differential test of the read plans: every query the tests
    send runs both ways, and the answers (data and errors) must be the same
    JSON. The first answer (with its statistics) is returned.

    When the plan hands a request to the resolvers (a client mistake, an
    operation it does not cover), both answers come from the resolvers. Their
    errors are then compared as a set when ``data`` survives; when a non-null
    root field failed and nulled it, graphql-core stops collecting errors at
    that moment, so which other errors made it depends on timing.
    """
    response = await http.post("/graphql", json=payload, headers=headers)
    reference = await http.post("/graphql", json=payload, headers={**headers, **RESOLVERS})
    assert response.status_code == reference.status_code, (response.text, reference.text)
    mine, theirs = response.json(), reference.json()
    assert mine.get("data") == theirs.get("data"), f"plan and resolvers differ for {payload}"
    if response.headers.get("x-directory-engine") == "plan" or "errors" not in theirs:
        assert mine.get("errors") == theirs.get("errors"), f"plan and resolvers err differently for {payload}"
    elif theirs.get("data") is not None:
        assert sorted(map(json.dumps, mine["errors"])) == sorted(map(json.dumps, theirs["errors"])), payload
    else:
        assert mine.get("errors") and theirs.get("errors"), payload
    return response


class GraphQLClient:
    """Posts GraphQL documents and checks the answer the way a careful client would."""

    def __init__(self, http: httpx.AsyncClient, key: str | None = None) -> None:
        self.http = http
        self.key = key

    def with_key(self, key: str | None) -> GraphQLClient:
        """The same client sending ``Authorization: Bearer <key>`` (anonymous for None)."""
        return GraphQLClient(self.http, key)

    async def __call__(
        self, query: str, variables: dict[str, Any] | None = None, *, errors: bool = False
    ) -> dict[str, Any]:
        """The response body; fails on errors unless ``errors=True``, or when the read plan and the resolvers disagree."""
        payload = {"query": query, "variables": variables or {}}
        headers = {"X-Directory-Stats": "1"} | ({"Authorization": f"Bearer {self.key}"} if self.key else {})
        response = await post_both_ways(self.http, payload, headers)
        assert response.status_code == 200, response.text
        body = response.json()
        if errors:
            assert body.get("errors"), body
        else:
            assert "errors" not in body, body["errors"]
        return body

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Only the ``data`` of a successful response."""
        return (await self(query, variables))["data"]

    async def statements(self, query: str, variables: dict[str, Any] | None = None) -> int:
        """How many SQL statements the request cost."""
        return int((await self(query, variables))["extensions"]["stats"]["sqlStatements"])


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(client)
