"""Whether the database answers, asked outside the pools: ``/healthz`` and the start of ``serve``.

The check opens a connection of its own (PostgreSQL) or a second handle on
the file (SQLite) and runs ``SELECT 1`` within a few seconds, so it answers
as fast when every pooled connection is busy or a table is locked.
"""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass
from urllib.parse import urlsplit

import asyncpg

from settings import normalize_database_url

CHECK_TIMEOUT = 2.0
"""Seconds the check waits for the database."""


@dataclass(frozen=True)
class DatabaseStatus:
    """The answer of one check: ``ok``, ``unreachable`` or ``timeout``, and why (without credentials)."""

    status: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def describe(database_url: str) -> str:
    """The database's address for logs: scheme, host, port and name, never the password."""
    url = urlsplit(normalize_database_url(database_url))
    if url.scheme == "sqlite":
        return database_url
    return f"{url.scheme}://{url.hostname}:{url.port or 5432}{url.path}"


def _sqlite_check(path: str, timeout: float) -> None:
    uri = path if path == ":memory:" else f"file:{path}?mode=ro"
    connection = sqlite3.connect(uri, timeout=timeout, uri=path != ":memory:")
    try:
        connection.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    finally:
        connection.close()


async def _postgres_check(dsn: str, timeout: float) -> None:
    connection = await asyncpg.connect(dsn, timeout=timeout)
    try:
        await connection.fetchval("SELECT 1", timeout=timeout)
    finally:
        await connection.close(timeout=timeout)


async def check_database(database_url: str, timeout: float = CHECK_TIMEOUT) -> DatabaseStatus:
    """Ask the database for ``SELECT 1`` on a connection outside every pool."""
    url = normalize_database_url(database_url)
    try:
        if url.startswith("sqlite://"):
            await asyncio.wait_for(asyncio.to_thread(_sqlite_check, url[len("sqlite://") :], timeout), timeout)
        else:
            await asyncio.wait_for(_postgres_check(url.replace("postgres://", "postgresql://", 1), timeout), timeout)
    except TimeoutError:
        return DatabaseStatus("timeout", f"no answer within {timeout:g} s")
    except (OSError, sqlite3.Error, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        return DatabaseStatus("unreachable", f"{type(error).__name__}: {error}")
    return DatabaseStatus("ok")
