"""When the database is slow or gone: the limits on waiting for it, and the one error clients then get.

- A statement runs at most ``statement_timeout`` seconds: PostgreSQL's
  ``statement_timeout`` on every connection (Tortoise's pool and the read
  pool); on SQLite a progress handler interrupts it, and a locked database
  file is waited for at most as long (``busy_timeout``).
- A request waits at most ``acquire_timeout`` seconds for a pooled connection.
- Whatever the cause (a timeout, the server refusing connections, a
  connection cut), the statement raises ``DatabaseUnavailable``: the GraphQL
  error ``SERVICE_UNAVAILABLE`` and the HTTP status 503, never a 500.

``install()`` wraps the execute methods of Tortoise's clients once per process
(as ``db.meter`` does); ``limits_of(settings)`` are passed to ``open_database``.
"""

from __future__ import annotations

import functools
import sqlite3
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg

_EXECUTE_METHODS = ("execute_query", "execute_query_dict", "execute_insert", "execute_many", "execute_script")
PROGRESS_STEPS = 20_000
"""SQLite virtual machine instructions between two looks at the clock of a running statement."""


@dataclass(frozen=True)
class DatabaseLimits:
    """How long the service waits for its database (seconds; 0: no limit)."""

    statement_timeout: float = 5.0
    acquire_timeout: float = 2.0

    @property
    def statement_timeout_ms(self) -> int:
        return round(self.statement_timeout * 1000)


class DatabaseUnavailable(Exception):
    """The database did not answer in time, or not at all. Its message reaches the client; retrying later may work."""

    code = "SERVICE_UNAVAILABLE"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.extensions = {"code": self.code}


_UNREACHABLE = (
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.AdminShutdownError,
    asyncpg.ConnectionDoesNotExistError,
)


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def unavailability(error: BaseException, limits: DatabaseLimits) -> DatabaseUnavailable | None:
    """The ``DatabaseUnavailable`` that ``error`` (or its cause) amounts to, or None for any other error."""
    for cause in _causes(error):
        if isinstance(cause, DatabaseUnavailable):
            return cause
        if isinstance(cause, asyncpg.QueryCanceledError) or (
            isinstance(cause, sqlite3.OperationalError) and str(cause) == "interrupted"
        ):
            return DatabaseUnavailable(
                f"The database did not answer within the statement timeout ({limits.statement_timeout:g} s); try again later."
            )
        if isinstance(cause, sqlite3.OperationalError) and "locked" in str(cause):
            return DatabaseUnavailable("The database is locked by another writer; try again later.")
        if isinstance(cause, TimeoutError):
            return DatabaseUnavailable(
                f"No database connection came free within {limits.acquire_timeout:g} s; the service is busy, try again later."
            )
        if isinstance(cause, _UNREACHABLE):
            return DatabaseUnavailable("The database is unreachable; try again later.")
    return None


class _Deadlines:
    """The deadlines of the statements sent on one SQLite connection and not yet answered.

    Tortoise runs them one at a time, first come first served, so the earliest
    deadline is the running statement's; the progress handler (in aiosqlite's
    thread) reads only ``earliest``, a float written whole.
    """

    def __init__(self) -> None:
        self.pending: dict[int, float] = {}
        self.earliest: float | None = None
        self.next = 0

    def add(self, deadline: float) -> int:
        self.next += 1
        self.pending[self.next] = deadline
        self.earliest = min(self.pending.values())
        return self.next

    def remove(self, token: int) -> None:
        self.pending.pop(token, None)
        self.earliest = min(self.pending.values(), default=None)

    def expired(self) -> int:
        earliest = self.earliest
        return 1 if earliest is not None and time.monotonic() > earliest else 0


async def _sqlite_deadlines(client: Any) -> _Deadlines | None:
    """The deadlines of the client's aiosqlite connection, with its progress handler installed on first use."""
    connection = getattr(client, "_connection", None)
    if connection is None:
        await client.create_connection(with_db=True)
        connection = client._connection
    deadlines: _Deadlines | None = getattr(connection, "directory_deadlines", None)
    if deadlines is None:
        deadlines = _Deadlines()
        await connection._execute(connection._conn.set_progress_handler, deadlines.expired, PROGRESS_STEPS)
        connection.directory_deadlines = deadlines
    return deadlines


@contextmanager
def _sqlite_deadline(deadlines: _Deadlines | None, seconds: float) -> Iterator[None]:
    if deadlines is None or seconds <= 0:
        yield
        return
    token = deadlines.add(time.monotonic() + seconds)
    try:
        yield
    finally:
        deadlines.remove(token)


_limits: DatabaseLimits | None = None
"""The limits of the running service; None while only commands (migrate, load-data) use the database."""


def _guarded(method: Callable[..., Awaitable[Any]], sqlite: bool) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(method)
    async def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        limits = _limits
        if limits is None:
            return await method(self, *args, **kwargs)
        try:
            deadlines = await _sqlite_deadlines(self) if sqlite and limits.statement_timeout > 0 else None
            with _sqlite_deadline(deadlines, limits.statement_timeout):
                return await method(self, *args, **kwargs)
        except Exception as error:
            unavailable = unavailability(error, limits)
            if unavailable is None:
                raise
            raise unavailable from error

    wrapper.__guarded__ = True  # type: ignore[attr-defined]
    return wrapper


def install(limits: DatabaseLimits | None) -> None:
    """Apply ``limits`` to every statement sent through Tortoise (None: commands, no limits; idempotent)."""
    global _limits
    _limits = limits
    from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
    from tortoise.backends.sqlite.client import SqliteClient, SqliteTransactionWrapper

    for cls, sqlite in (
        (SqliteClient, True),
        (SqliteTransactionWrapper, True),
        (AsyncpgDBClient, False),
        (TransactionWrapper, False),
    ):
        for name in _EXECUTE_METHODS:
            method = cls.__dict__.get(name)
            if method is not None and not getattr(method, "__guarded__", False):
                setattr(cls, name, _guarded(method, sqlite))


def database_unavailable_in(result: Any) -> bool:
    """Whether an execution result failed because the database did not answer (its status is then 503)."""
    return any(isinstance(getattr(error, "original_error", None), DatabaseUnavailable) for error in result.errors or ())


class TimedPool:
    """An asyncpg pool whose ``acquire`` waits at most ``timeout`` seconds (then ``TimeoutError``)."""

    def __init__(self, pool: Any, timeout: float) -> None:
        self._pool = pool
        self._timeout = timeout or None

    def acquire(self, *, timeout: float | None = None) -> Any:
        return self._pool.acquire(timeout=timeout or self._timeout)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pool, name)


def time_pool_acquisitions(client: Any, timeout: float) -> None:
    """Make the pool of a Tortoise PostgreSQL client (created when first needed) a ``TimedPool``."""
    create_pool = client.create_pool

    async def timed(**kwargs: Any) -> TimedPool:
        return TimedPool(await create_pool(**kwargs), timeout)

    client.create_pool = timed
    if getattr(client, "_pool", None) is not None and not isinstance(client._pool, TimedPool):
        client._pool = TimedPool(client._pool, timeout)

