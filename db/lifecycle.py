"""Open and close the ORM, and apply migrations."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import time
from pathlib import Path
from typing import Any

from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.migrations.api import migrate as run_migrations

from db import availability, data_version
from db.availability import DatabaseLimits
from settings import normalize_database_url, tortoise_config


def _store_times_as_text() -> None:
    """Let SQLite store ``TimeField`` values: Python's sqlite3 has no adapter for ``time``.

    ISO text (``13:15:00+02:00``) is what ``TimeField`` parses back. PostgreSQL
    stores them as TIMETZ and needs nothing.
    """
    sqlite3.register_adapter(time, time.isoformat)


def _ensure_sqlite_folder(database_url: str) -> None:
    url = normalize_database_url(database_url)
    if url.startswith("sqlite://") and ":memory:" not in url:
        Path(url[len("sqlite://") :]).parent.mkdir(parents=True, exist_ok=True)


def _without_foreign_key_enforcement(database_url: str) -> str:
    """The SQLite URL with ``foreign_keys=OFF``: for migrations only.

    SQLite changes a table by copying it into a new one and dropping the old;
    with foreign keys enforced, dropping ``organization`` would cascade and
    delete every membership, partnership... that points at it. Migrations run
    without enforcement, then ``PRAGMA foreign_key_check`` proves nothing dangles.
    """
    url = normalize_database_url(database_url)
    if not url.startswith("sqlite://"):
        return url
    return url + ("&" if "?" in url else "?") + "foreign_keys=OFF"


async def migrate(database_url: str, target: str | None = None) -> None:
    """Bring the database at ``database_url`` up to the latest migration (or to ``target``, e.g. ``models.0004_former_names``).

    Up to the latest, the data version's triggers (``db.data_version``) are put
    on every data table again: on tables added, or rebuilt by SQLite, since 0009.
    """
    _ensure_sqlite_folder(database_url)
    url = _without_foreign_key_enforcement(database_url)
    try:
        await run_migrations(config=tortoise_config(url), target=target)
        if target is None:
            await data_version.install(Tortoise.get_connection("default"))
        if url.startswith("sqlite://"):
            dangling = await Tortoise.get_connection("default").execute_query_dict("PRAGMA foreign_key_check")
            if dangling:
                raise RuntimeError(f"rows point at rows that do not exist after migrating: {dangling[:5]}")
    finally:
        await Tortoise.close_connections()


async def _keep_session(connection: Any) -> None:
    """Give a connection back to the pool as it is: asyncpg has already rolled back any open transaction.

    asyncpg's default reset runs ``RESET ALL``, ``UNLISTEN *``... on every
    release: one more round trip per request. The service never changes a
    session (no ``SET`` outside a transaction, no ``LISTEN``, no advisory
    locks), so there is nothing to reset. Keep it that way: use ``SET LOCAL``.
    """


def _runtime_config(database_url: str, limits: DatabaseLimits | None = None) -> dict[str, Any]:
    """The Tortoise configuration of the running service: PostgreSQL pools skip the session reset;
    with ``limits``, statements time out (PostgreSQL's ``statement_timeout``, SQLite's ``busy_timeout``)."""
    config = tortoise_config(database_url)
    url = normalize_database_url(database_url)
    connection = expand_db_url(url)
    if url.startswith("postgres://"):
        connection["credentials"]["reset"] = _keep_session
        server_settings = {"jit": "off"}  # short statements: compiling them costs more than it saves
        if limits is not None and limits.statement_timeout > 0:
            server_settings["statement_timeout"] = str(limits.statement_timeout_ms)
        connection["credentials"]["server_settings"] = server_settings
    elif limits is not None and limits.statement_timeout > 0:
        connection["credentials"]["busy_timeout"] = limits.statement_timeout_ms
    config["connections"] = {"default": connection}
    return config


@asynccontextmanager
async def open_database(database_url: str, limits: DatabaseLimits | None = None) -> AsyncIterator[None]:
    """Initialise Tortoise for the lifetime of the block (the app's lifespan, a command).

    The service passes its ``limits`` (``db.availability``); commands, which may
    run long statements on purpose, pass none.
    """
    _ensure_sqlite_folder(database_url)
    _store_times_as_text()
    availability.install(limits)
    await Tortoise.init(config=_runtime_config(database_url, limits), _enable_global_fallback=True)
    if limits is not None and normalize_database_url(database_url).startswith("postgres://"):
        availability.time_pool_acquisitions(Tortoise.get_connection("default"), limits.acquire_timeout)
    try:
        yield
    finally:
        await Tortoise.close_connections()
        availability.install(None)
