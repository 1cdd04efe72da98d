"""The data version: one number, bumped by the database in the same transaction as any change to the data.

``data_version`` holds one row. Triggers on every data table add one to it
whenever a statement changes rows (PostgreSQL: one statement-level trigger per
table for INSERT, UPDATE, DELETE and TRUNCATE; SQLite: row triggers for INSERT,
UPDATE and DELETE), so ``load-data``, ``generate``, every mutation and any
write added later move it without knowing it exists. A reader that sees
version V sees every change committed up to V, and answers cached under an
older version are never served again (``web.response_cache``).

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

import inspect
from typing import Any

from tortoise import Tortoise
from tortoise.models import Model

from db.read_connections import ReadPool, reading

VERSION_TABLE = "data_version"
"""The one-row table of the version."""

UNVERSIONED = frozenset({"api_key"})
"""Model tables whose changes never change an answer, so do not bump the version."""

BUMP = f"UPDATE {VERSION_TABLE} SET version = version + 1"
READ = f"SELECT version FROM {VERSION_TABLE}"
POSTGRES_FUNCTION = "directory_bump_data_version"

CREATE_TABLE = [
    f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version BIGINT NOT NULL)",
    f"INSERT INTO {VERSION_TABLE} (version) SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM {VERSION_TABLE})",
]

POSTGRES_CREATE_FUNCTION = f"""CREATE OR REPLACE FUNCTION {POSTGRES_FUNCTION}() RETURNS trigger
    LANGUAGE plpgsql AS $$ BEGIN {BUMP}; RETURN NULL; END $$"""

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
        await client.execute_query(POSTGRES_CREATE_FUNCTION)
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
