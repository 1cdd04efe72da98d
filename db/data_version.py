"""The data version: one number, bumped by the database in the same transaction as any change to the data.

``data_version`` holds one row. Triggers on every data table add one to it
whenever a statement changes rows (PostgreSQL: one statement-level trigger per
table for INSERT, UPDATE, DELETE and TRUNCATE; SQLite: row triggers for INSERT,
UPDATE and DELETE), so ``load-data``, ``generate``, every mutation and any
write added later move it without knowing it exists. A reader that sees
version V sees every change committed up to V, and answers cached under an
older version are never served again (``web.response_cache``).

On PostgreSQL the commit also announces the new version on the channel
``CHANNEL`` (delivered at commit, never for a transaction
rolled back), for workers that listen instead of reading it per request
(``CACHE_FRESHNESS=notify``).

On PostgreSQL the bump itself waits for the commit: a statement trigger only
notes, once per transaction, that the transaction changed data (a row in
``data_version_pending``, whose deferred constraint trigger adds one to the
version just before the commit and removes the note). The row lock on
``data_version`` is then taken last and held for an instant; taken at the
first write, it would be held for the whole transaction and make two writers
that touch the same rows in different orders deadlock.

The tables are the models' (``versioned_tables``), less ``UNVERSIONED``:
``api_key`` changes on reads (``last_used_at``) and never changes an answer
(a key is checked on every request before any cached answer is served).
``audit_entry`` is versioned: it is written only beside a change, and the
audit log is data like the rest. Migration 0009 installs the triggers on the
tables that exist then; ``db.lifecycle.migrate`` installs them again after
every migration (idempotent), so a table added or rebuilt later (SQLite
rebuilds a table to change it, and its triggers go with the old one) is covered.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

from tortoise import Tortoise
from tortoise.models import Model

from db.availability import unavailability
from db.meter import timed
from db.read_connections import ReadPool, reading

VERSION_TABLE = "data_version"
"""The one-row table of the version."""

UNVERSIONED = frozenset({"api_key"})
"""Model tables whose changes never change an answer, so do not bump the version."""

BUMP = f"UPDATE {VERSION_TABLE} SET version = version + 1"
READ = f"SELECT version FROM {VERSION_TABLE}"
CHANNEL = "directory_data_version"
"""PostgreSQL: the channel each commit that changed data announces its new version on (``db.version_listener``)."""
POSTGRES_FUNCTION = "directory_bump_data_version"

CREATE_TABLE = [
    f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version BIGINT NOT NULL)",
    f"INSERT INTO {VERSION_TABLE} (version) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM {VERSION_TABLE})",
]

PENDING_TABLE = "data_version_pending"
"""PostgreSQL: the transactions that changed data and have not committed yet (a row each, gone at commit)."""
POSTGRES_COMMIT_FUNCTION = "directory_commit_data_version"
PENDING_SETTING = "directory.data_version_pending"
"""Transaction-local setting: this transaction has already noted its change."""

POSTGRES_CREATE_FUNCTION = [
    f"CREATE TABLE IF NOT EXISTS {PENDING_TABLE} (txid BIGINT PRIMARY KEY)",
    f"""CREATE OR REPLACE FUNCTION {POSTGRES_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF current_setting('{PENDING_SETTING}', true) IS DISTINCT FROM '1' THEN
            PERFORM set_config('{PENDING_SETTING}', '1', true);
            INSERT INTO {PENDING_TABLE} (txid) VALUES (txid_current()) ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION {POSTGRES_COMMIT_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        bumped BIGINT;
    BEGIN
        {BUMP} RETURNING version INTO bumped;
        DELETE FROM {PENDING_TABLE} WHERE txid = NEW.txid;
        PERFORM pg_notify('{CHANNEL}', bumped::text);
        RETURN NULL;
    END $$""",
    f"DROP TRIGGER IF EXISTS {PENDING_TABLE}_commit ON {PENDING_TABLE}",
    f"""CREATE CONSTRAINT TRIGGER {PENDING_TABLE}_commit AFTER INSERT ON {PENDING_TABLE}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {POSTGRES_COMMIT_FUNCTION}()""",
]

SQLITE_EVENTS = ("INSERT", "UPDATE", "DELETE")


def versioned_tables() -> list[str]:
    """Every model table whose changes bump the version, in name order."""
    import models

    tables = {
        value._meta.db_table
        for value in vars(models).values()
        if inspect.isclass(value) and issubclass(value, Model) and not value._meta.abstract
    }
    for module in vars(models).values():
        if inspect.ismodule(module) and module.__name__.startswith("models."):
            for value in vars(module).values():
                if inspect.isclass(value) and issubclass(value, Model) and not value._meta.abstract:
                    tables.add(value._meta.db_table)
    return sorted(tables - UNVERSIONED)


def trigger_name(table: str, event: str | None = None) -> str:
    """The name of a table's version trigger (SQLite has one per event)."""
    return f"{table}_data_version" + (f"_{event.lower()}" if event else "")


def postgres_trigger_sql(table: str) -> list[str]:
    """The statements that (re)install ``table``'s statement-level trigger on PostgreSQL."""
    name = trigger_name(table)
    return [
        f'DROP TRIGGER IF EXISTS {name} ON "{table}"',
        f'CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION {POSTGRES_FUNCTION}()",
    ]


def sqlite_trigger_sql(table: str) -> list[str]:
    """The statements that install ``table``'s row triggers on SQLite (when missing)."""
    return [
        f'CREATE TRIGGER IF NOT EXISTS {trigger_name(table, event)} AFTER {event} ON "{table}" '
        f"BEGIN {BUMP}; END"
        for event in SQLITE_EVENTS
    ]


async def _existing_tables(client: Any, sqlite: bool) -> set[str]:
    if sqlite:
        rows = await client.execute_query_dict("SELECT name FROM sqlite_master WHERE type = 'table'")
    else:
        rows = await client.execute_query_dict(
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()"
        )
    return {row["name"] for row in rows}


async def install(client: Any) -> list[str]:
    """Create the version table if needed and put the triggers on every versioned table that exists.

    Idempotent. Returns the tables it covered.
    """
    sqlite = client.capabilities.dialect == "sqlite"
    for sql in CREATE_TABLE:
        await client.execute_query(sql)
    tables = [table for table in versioned_tables() if table in await _existing_tables(client, sqlite)]
    if not sqlite:
        for sql in POSTGRES_CREATE_FUNCTION:
            await client.execute_query(sql)
    for table in tables:
        for sql in sqlite_trigger_sql(table) if sqlite else postgres_trigger_sql(table):
            await client.execute_query(sql)
    return tables


async def uninstall(client: Any) -> None:
    """Drop the triggers and the version table (the migration's way back)."""
    sqlite = client.capabilities.dialect == "sqlite"
    existing = await _existing_tables(client, sqlite)
    for table in versioned_tables():
        if table not in existing:
            continue
        if sqlite:
            for event in SQLITE_EVENTS:
                await client.execute_query(f"DROP TRIGGER IF EXISTS {trigger_name(table, event)}")
        else:
            await client.execute_query(f'DROP TRIGGER IF EXISTS {trigger_name(table)} ON "{table}"')
    if not sqlite:
        await client.execute_query(f"DROP TABLE IF EXISTS {PENDING_TABLE}")
        await client.execute_query(f"DROP FUNCTION IF EXISTS {POSTGRES_COMMIT_FUNCTION}()")
        await client.execute_query(f"DROP FUNCTION IF EXISTS {POSTGRES_FUNCTION}()")
    await client.execute_query(f"DROP TABLE IF EXISTS {VERSION_TABLE}")


async def current_version(read_pool: ReadPool | None) -> int:
    """The committed version: one statement, through the read pool on PostgreSQL (Tortoise's connection on SQLite)."""
    if read_pool is not None:
        async with reading(read_pool) as reader:
            assert reader is not None
            return int((await reader.fetch(READ, ()))[0][0])
    _, rows = await Tortoise.get_connection("default").execute_query(READ)
    return int(rows[0][0])


class SharedVersionReads:
    """The current version for many concurrent requests, read in one statement for all who asked before it began.

    A request must see a version read after it arrived (then every change
    committed before it arrived is counted). Requests that ask while no read
    is in flight start one; those that ask while one is in flight wait for the
    next, which starts as soon as the current one ends. So under load one
    statement serves every request that arrived during the previous one, and
    no request is ever answered from a version read before it arrived.

    With a read pool (PostgreSQL), the reads go through the pool's kept
    connection (``ReadPool.kept``): only one read is ever in flight, and it
    never waits for a connection lent to requests.
    """

    def __init__(self) -> None:
        self._waiting: list[asyncio.Future[int]] = []
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def current(self, read_pool: ReadPool | None) -> int:
        """The committed version, read after this call began."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new event loop (tests): nothing of the old one can be awaited here
            self._loop, self._waiting, self._task = loop, [], None
        waiter = loop.create_future()  # a future per request: one request giving up leaves the others waiting
        self._waiting.append(waiter)
        if self._task is None:
            self._task = loop.create_task(self._read(read_pool))
        return await waiter

    async def _read(self, read_pool: ReadPool | None) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                try:
                    version = await self._read_once(read_pool)
                except asyncio.CancelledError:
                    for waiter in batch:
                        waiter.cancel()
                    raise
                except Exception as error:  # the database's trouble: every request of the batch hears of it
                    for waiter in batch:
                        if not waiter.done():
                            waiter.set_exception(error)
                    continue
                for waiter in batch:
                    if not waiter.done():
                        waiter.set_result(version)
        finally:
            self._task = None

    async def _read_once(self, read_pool: ReadPool | None) -> int:
        if read_pool is None:
            return await current_version(None)
        connection = await read_pool.kept()
        with timed(READ):
            try:
                return int(await connection.fetchval(READ))
            except Exception as error:
                read_pool.drop_kept()
                unavailable = unavailability(error, read_pool.limits)
                if unavailable is None:
                    raise
                raise unavailable from error
