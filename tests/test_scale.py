"""The synthetic directory at scale: ``manage.py generate``, and the query plans it makes visible.

Generation never touches the session database the other tests assert on:
each test migrates and fills databases of its own, through the command line
in a subprocess, a temporary SQLite file or, when TEST_POSTGRES_URL is set,
PostgreSQL databases created next to it and dropped afterwards.

The plan tests (PostgreSQL only) run EXPLAIN on the statements the API issues,
recorded with their parameters while the API's own code runs them, over a few
thousand synthetic organizations, and look for the index each one needs.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import pytest_asyncio

ROOT = Path(__file__).resolve().parent.parent
SMALL = 500
"""Organizations in the generation tests: 2 offices, 25 events, about 750 memberships."""
PLANS = 5_000
"""Organizations behind the query plans: enough for PostgreSQL to prefer an index to a scan."""


# ------- databases of their own -------


def _postgres_url(name: str) -> str:
    return urlsplit(os.environ["TEST_POSTGRES_URL"])._replace(path=f"/{name}").geturl()


async def _admin(statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(os.environ["TEST_POSTGRES_URL"].replace("postgres://", "postgresql://", 1))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@asynccontextmanager
async def _postgres_database(purpose: str) -> AsyncIterator[str]:
    """A new, empty PostgreSQL database, dropped on the way out."""
    name = f"directory_scale_{purpose}_{uuid.uuid4().hex[:8]}"
    await _admin(f'CREATE DATABASE "{name}"')
    try:
        yield _postgres_url(name)
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(database_url: str, *arguments: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """``python manage.py ...`` against ``database_url``, as a user would run it."""
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


async def fetch(database_url: str, sql: str) -> list[tuple[Any, ...]]:
    """Rows of a plain query (no parameters), read without the ORM."""
    if database_url.startswith("sqlite://"):
        with sqlite3.connect(database_url[len("sqlite://") :]) as connection:
            return [tuple(row) for row in connection.execute(sql)]
    import asyncpg

    connection = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        return [tuple(row) for row in await connection.fetch(sql)]
    finally:
        await connection.close()


@pytest_asyncio.fixture
async def new_database(backend: str, tmp_path: Path) -> AsyncIterator[Callable[[], Awaitable[str]]]:
    """Makes empty databases of the test's backend, migrated; PostgreSQL ones are dropped afterwards."""
    opened: list[Any] = []

    async def make() -> str:
        if backend == "postgres":
            context = _postgres_database("gen")
            opened.append(context)
            url = await context.__aenter__()
        else:
            url = f"sqlite://{tmp_path / f'scale-{len(opened)}.sqlite3'}"
            opened.append(None)
        await asyncio.to_thread(manage, url, "migrate")
        return url

    yield make
    for context in opened:
        if context is not None:
            await context.__aexit__(None, None, None)


# ------- generation -------

ORGANIZATIONS = """SELECT slug, name, kind, country, city, founded_edtf, ecosoc_status, hidden FROM organization
    ORDER BY slug"""
MEMBERSHIPS = """SELECT m.slug, n.slug, ms.type, ms.since_edtf, ms.until_edtf FROM membership ms
    JOIN organization m ON m.id = ms.member_id JOIN organization n ON n.id = ms.network_id ORDER BY 1, 2, 4"""
EVENTS = """SELECT e.slug, e.name, e.kind, d.start_date, d.end_date FROM event e
    LEFT JOIN event_date d ON d.event_id = e.id ORDER BY 1, 4"""


def _counts(output: str) -> dict[str, int]:
    """The table of counts ``manage.py generate`` prints: ``organization   500``."""
    counts = {}
    for line in output.splitlines():
        name, _, value = line.rpartition(" ")
        if name.strip() and value.replace(",", "").isdigit():
            counts[name.strip()] = int(value.replace(",", ""))
    return counts


async def test_generate_fills_an_empty_database(new_database: Callable[[], Awaitable[str]]) -> None:
    url = await new_database()
    result = manage(url, "generate", "--organizations", str(SMALL), "--seed", "7")
    printed = _counts(result.stdout)
    assert "organizations" in result.stderr and f"{SMALL:,}/{SMALL:,}" in result.stderr  # the progress bar
    assert "elapsed" in result.stdout

    tables = ("organization", "office", "event", "membership", "participation", "office_location", "event_date")
    found = {table: (await fetch(url, f"SELECT COUNT(*) FROM {table}"))[0][0] for table in tables}
    assert {table: printed[table] for table in tables} == found
    assert found["organization"] == SMALL
    assert found["office"] == SMALL // 200
    assert found["event"] == SMALL // 20
    assert 1.2 * SMALL <= found["membership"] <= 1.8 * SMALL
    assert 3 * found["event"] <= found["participation"] <= 7 * found["event"]
    assert found["office_location"] >= found["office"]
    assert found["event_date"] >= 0.9 * found["event"]

    assert await fetch(url, "SELECT DISTINCT source FROM organization") == [("synthetic",)]
    slugs = (await fetch(url, "SELECT MIN(slug), MAX(slug) FROM organization"))[0]
    assert slugs == ("synthetic-org-000001", f"synthetic-org-{SMALL:06d}")
    kinds = dict(await fetch(url, "SELECT kind, COUNT(*) FROM organization GROUP BY kind"))
    assert kinds["NGO"] > SMALL / 2 and kinds.get("UMBRELLA_NETWORK", 0) >= 3
    # Networks belong only to networks created before them: never a cycle.
    backwards = await fetch(url, """SELECT COUNT(*) FROM membership ms JOIN organization m ON m.id = ms.member_id
        WHERE m.kind = 'UMBRELLA_NETWORK' AND ms.network_id >= ms.member_id""")
    assert backwards == [(0,)]
    assert await fetch(url, """SELECT COUNT(*) FROM membership ms JOIN organization n ON n.id = ms.network_id
        WHERE n.kind <> 'UMBRELLA_NETWORK'""") == [(0,)]


async def test_same_seed_gives_the_same_directory(new_database: Callable[[], Awaitable[str]]) -> None:
    first, second = await asyncio.gather(new_database(), new_database())
    same = ("generate", "--organizations", str(SMALL), "--seed", "3")
    await asyncio.gather(asyncio.to_thread(manage, first, *same), asyncio.to_thread(manage, second, *same))

    for query in (ORGANIZATIONS, MEMBERSHIPS, EVENTS):
        assert await fetch(first, query) == await fetch(second, query)

    refused = manage(first, "generate", "--organizations", str(SMALL), "--seed", "4", check=False)
    assert refused.returncode == 1
    assert "already holds synthetic rows" in refused.stderr and "--replace" in refused.stderr

    manage(first, "generate", "--organizations", str(SMALL), "--seed", "4", "--replace")
    assert (await fetch(first, "SELECT COUNT(*) FROM organization"))[0][0] == SMALL
    assert await fetch(first, ORGANIZATIONS) != await fetch(second, ORGANIZATIONS)

    # Replacing leaves nothing of the rows replaced: seed 3 again gives the first directory back.
    manage(first, *same, "--replace")
    for query in (ORGANIZATIONS, MEMBERSHIPS, EVENTS):
        assert await fetch(first, query) == await fetch(second, query)


async def test_load_data_keeps_the_synthetic_ties(new_database: Callable[[], Awaitable[str]]) -> None:
    """load-data reconciles only the ties its files maintain (``origin``), never the synthetic ones."""
    url = await new_database()
    manage(url, "load-data")
    manage(url, "generate", "--organizations", "400", "--seed", "5", "--no-search-index")
    synthetic = "SELECT COUNT(*) FROM {} WHERE source = 'synthetic' AND origin IS NULL"
    before = [await fetch(url, synthetic.format(table)) for table in ("membership", "partnership")]
    assert before[0][0][0] > 0 and before[1][0][0] > 0

    again = manage(url, "load-data")
    assert [await fetch(url, synthetic.format(table)) for table in ("membership", "partnership")] == before
    [total] = [line.split()[1:] for line in again.stdout.splitlines() if line.startswith("total ")]
    created, updated, _, deleted = total
    assert (created, updated, deleted) == ("0", "0", "0"), again.stdout


async def test_load_data_reports_each_member_list(new_database: Callable[[], Awaitable[str]], tmp_path: Path) -> None:
    shutil.copy(ROOT / "data" / "unodc.json", tmp_path / "unodc.json")
    shutil.copytree(ROOT / "tests" / "data" / "networks", tmp_path / "networks")
    url = await new_database()
    first = manage(url, "load-data", str(tmp_path / "unodc.json")).stdout
    rows = {line.split()[0]: line.split()[1:] for line in first.splitlines() if line.startswith("example-")}
    # matched, created, then the ties created, updated, unchanged, deleted
    assert rows == {"example-coalition": ["2", "2", "5", "0", "0", "0"], "example-platform": ["2", "1", "4", "0", "0", "0"]}
    second = manage(url, "load-data", str(tmp_path / "unodc.json")).stdout
    rows = {line.split()[0]: line.split()[1:] for line in second.splitlines() if line.startswith("example-")}
    assert rows == {"example-coalition": ["4", "0", "0", "0", "5", "0"], "example-platform": ["3", "0", "0", "0", "4", "0"]}


# ------- query plans (SQLite) -------

SQLITE_LOOKUPS = {
    "membership": "SELECT * FROM membership WHERE network_id IN (1) ORDER BY id",
    "organization": "SELECT * FROM organization WHERE hidden = 0 AND country IN ('KE') ORDER BY name, id LIMIT 21",
    "event_date": "SELECT * FROM event_date WHERE event_id IN (1, 2) ORDER BY start_date, id",
}


async def test_sqlite_lookups_use_the_declared_indexes(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'indexes.sqlite3'}"
    await asyncio.to_thread(manage, url, "migrate")
    with sqlite3.connect(url[len("sqlite://") :]) as connection:
        for table, query in SQLITE_LOOKUPS.items():
            details = [row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {query}")]
            assert f"SCAN {table}" not in details, (query, details)


# ------- query plans (PostgreSQL) -------

postgres_only = pytest.mark.skipif(
    not os.environ.get("TEST_POSTGRES_URL"), reason="query plans are checked on PostgreSQL (set TEST_POSTGRES_URL)"
)


@pytest_asyncio.fixture(scope="module")
async def plans_database() -> AsyncIterator[str]:
    """A PostgreSQL database with PLANS synthetic organizations, analysed."""
    async with _postgres_database("plans") as url:
        manage(url, "migrate")
        manage(url, "generate", "--organizations", str(PLANS))
        import asyncpg

        connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
        try:
            await connection.execute("ANALYZE")
        finally:
            await connection.close()
        yield url


@asynccontextmanager
async def orm(database_url: str) -> AsyncIterator[Any]:
    """The ORM on ``database_url`` for this task only; yields the default connection."""
    from tortoise.context import TortoiseContext

    from settings import tortoise_config

    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(database_url))
        yield context.db("default")


async def statements_of(connection: Any, run: Callable[[], Awaitable[Any]]) -> list[tuple[str, list[Any]]]:
    """The SELECTs ``run()`` sends through ``connection``, with their parameters."""
    recorded: list[tuple[str, list[Any]]] = []

    def recording(method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def record(query: str, values: list[Any] | None = None) -> Any:
            recorded.append((query, list(values or [])))
            return await method(query, values)

        return record

    originals = {name: getattr(connection, name) for name in ("execute_query", "execute_query_dict")}
    for name, method in originals.items():
        setattr(connection, name, recording(method))
    try:
        await run()
    finally:
        for name in originals:
            delattr(connection, name)
    return [(query, values) for query, values in recorded if query.lstrip().upper().startswith(("SELECT", "WITH"))]


async def plan(connection: Any, query: str, values: list[Any]) -> list[dict[str, Any]]:
    """Every node of the plan PostgreSQL chooses for ``query``, depth first."""
    rows = await connection.execute_query_dict(f"EXPLAIN (FORMAT JSON) {query}", values)
    document = rows[0]["QUERY PLAN"]
    if isinstance(document, str):
        document = json.loads(document)

    def walk(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
        yield node
        for child in node.get("Plans", []):
            yield from walk(child)

    return list(walk(document[0]["Plan"]))


INDEX_SCANS = {"Index Scan", "Index Only Scan", "Bitmap Index Scan"}


def index_names(nodes: list[dict[str, Any]]) -> set[str]:
    return {node["Index Name"] for node in nodes if node["Node Type"] in INDEX_SCANS}


def sequential_scans(nodes: list[dict[str, Any]]) -> set[str]:
    return {node["Relation Name"] for node in nodes if node["Node Type"] == "Seq Scan"}


async def index_on(connection: Any, table: str, definition: str) -> str:
    """The name of the index of ``table`` whose definition ends with ``definition``, e.g. ``(country)``."""
    rows = await connection.execute_query_dict(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1", [table]
    )
    names = [row["indexname"] for row in rows if row["indexdef"].endswith(definition)]
    assert names, f"no index {definition} on {table}: {[row['indexdef'] for row in rows]}"
    return str(names[0])


async def only_statement(connection: Any, run: Callable[[], Awaitable[Any]]) -> list[dict[str, Any]]:
    statements = await statements_of(connection, run)
    assert len(statements) == 1, statements
    return await plan(connection, *statements[0])


@postgres_only
async def test_slug_lookup_uses_the_unique_index(plans_database: str) -> None:
    from domain.access import PUBLIC
    from queries.batch import rows_by
    from queries.relations import ORGANIZATION_BY_SLUG

    async with orm(plans_database) as connection:
        # What organization(slug:) sends.
        nodes = await only_statement(connection, lambda: rows_by(ORGANIZATION_BY_SLUG, ["synthetic-org-001234"], PUBLIC))
        assert await index_on(connection, "organization", "(slug)") in index_names(nodes), nodes
        assert "organization" not in sequential_scans(nodes), nodes


@postgres_only
async def test_country_filter_uses_an_index(plans_database: str) -> None:
    from domain.access import PUBLIC
    from queries.filters import organization_where
    from queries.lists import page_of
    from queries.pages import BY_NAME, PageRequest
    from queries.tables import ORGANIZATION
    from schema.filters import OrganizationFilter

    async with orm(plans_database) as connection:
        # organizations(filter: {countries: ["KE"]}): the first page of 20, one more to know whether there is a next.
        kenya = await organization_where(OrganizationFilter(countries=["KE"]), PUBLIC)
        nodes = await only_statement(connection, lambda: page_of(ORGANIZATION, PUBLIC, PageRequest(first=20), BY_NAME, kenya))
        # Either the rows of the country, sorted, or the name order, filtered: both are fine, a full scan is not.
        expected = {
            await index_on(connection, "organization", "(country)"),
            await index_on(connection, "organization", "(country, name, id)"),
            await index_on(connection, "organization", "(name, id)"),
        }
        assert index_names(nodes) & expected, nodes
        assert "organization" not in sequential_scans(nodes), nodes


@postgres_only
async def test_members_of_a_network_use_the_membership_index(plans_database: str) -> None:
    from domain.access import PUBLIC
    from models.dates import today
    from queries.batch import pages_by
    from queries.pages import PageRequest
    from queries.relations import MEMBERS_OF_NETWORK

    async with orm(plans_database) as connection:
        # A network of typical size: the median number of members.
        counts = await connection.execute_query_dict(
            "SELECT network_id, COUNT(*) AS members FROM membership GROUP BY network_id ORDER BY members, network_id"
        )
        network = counts[len(counts) // 2]["network_id"]
        expected = await index_on(connection, "membership", "(network_id, id)")
        for day in (today(), None):  # members(first: 20), for today and for every period
            nodes = await only_statement(
                connection, partial(pages_by, MEMBERS_OF_NETWORK, [network], PUBLIC, PageRequest(first=20), day=day)
            )
            assert expected in index_names(nodes), nodes
            assert "membership" not in sequential_scans(nodes), nodes


@postgres_only
async def test_search_uses_the_full_text_index(plans_database: str) -> None:
    search = pytest.importorskip("queries.search", reason="full-text search (services/search.py) is not there yet")

    async with orm(plans_database) as connection:
        rows = await connection.execute_query_dict("SELECT name FROM organization WHERE slug = 'synthetic-org-001234'")
        name = rows[0]["name"]  # looking an organization up by its name
        statements = await statements_of(connection, lambda: search.search(name))
        assert statements
        nodes = await plan(connection, *statements[0])
        assert "search_document_tsv" in index_names(nodes), nodes
        # Hidden organizations are left out through their partial index, not by reading every organization.
        assert "organization_withheld" in index_names(nodes), nodes
        assert not sequential_scans(nodes) & {"search_document", "organization"}, nodes




@postgres_only
async def test_a_later_page_seeks_into_the_name_index(plans_database: str) -> None:
    from domain.access import PUBLIC
    from models import Organization
    from queries import cursors
    from queries.lists import page_of
    from queries.pages import BY_NAME, PageRequest
    from queries.tables import ORGANIZATION

    async with orm(plans_database) as connection:
        after = await Organization.get(slug="synthetic-org-002500")
        cursor = cursors.encode(BY_NAME.name, [after.name, after.id])
        second_page = PageRequest(first=20, after=cursor)
        nodes = await only_statement(connection, lambda: page_of(ORGANIZATION, PUBLIC, second_page, BY_NAME))
        name_index = await index_on(connection, "organization", "(name, id)")
        assert any(node.get("Index Name") == name_index and "Index Cond" in node for node in nodes), nodes
