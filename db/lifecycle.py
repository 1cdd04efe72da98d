"""Open and close the ORM, and apply migrations."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import time
from pathlib import Path

from tortoise import Tortoise
from tortoise.migrations.api import migrate as run_migrations

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


async def migrate(database_url: str) -> None:
    """Bring the database at ``database_url`` up to the latest migration."""
    _ensure_sqlite_folder(database_url)
    try:
        await run_migrations(config=tortoise_config(database_url))
    finally:
        await Tortoise.close_connections()


@asynccontextmanager
async def open_database(database_url: str) -> AsyncIterator[None]:
    """Initialise Tortoise for the lifetime of the block (the app's lifespan, a command)."""
    _ensure_sqlite_folder(database_url)
    _store_times_as_text()
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)
    try:
        yield
    finally:
        await Tortoise.close_connections()
