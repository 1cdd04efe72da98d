"""PostgreSQL connections for read plans: one per request, taken on its first statement, from a small lean pool.

A read plan sends a few statements and nothing else: no transaction, no
session state. asyncpg's general pool spends about as much time lending a
connection (timeouts, shielding, a session reset on release) as PostgreSQL
spends answering a small query. ``ReadPool`` keeps idle connections in a
list and hands them out in the order requests ask, up to ``size``; a
connection that comes back closed or inside a transaction is dropped.

``reading(pool)`` gives the block a ``Reader``: the first statement takes a
connection, later ones reuse it (one at a time: concurrent statements wait for
each other), and the block's end gives it back after the statement running
on it, if any, has finished. ``queries.sql`` sends statements through the
current reader when there is one, and through Tortoise otherwise (SQLite,
the resolvers).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Sequence
from contextvars import ContextVar, Token
from typing import Any

import asyncpg

from db.availability import DatabaseLimits, unavailability
from db.meter import timed

READ_SETTINGS = {"plan_cache_mode": "force_generic_plan", "jit": "off"}
"""Session settings of read connections. asyncpg prepares every statement; PostgreSQL would still plan
each execution anew for its parameter values (about a millisecond for a page of a relation) and, for a
parent with far more rows than average, choose to read them all and sort. The generic plan of a page
scans the (key, id) index in order and stops at the page's end, whatever the parent. JIT compilation is
off: a generic plan's estimates (an array parameter counts as ten rows) pass ``jit_above_cost`` where the
real statement reads a handful of rows, and compiling costs about 100 ms each time (search's corrections)."""


class ReadPool:
    """Up to ``size`` autocommit connections to ``dsn`` (made when first needed), lent one per request."""

    def __init__(
        self,
        dsn: str,
        size: int,
        server_settings: dict[str, str] | None = None,
        limits: DatabaseLimits | None = None,
    ) -> None:
        self.dsn = dsn.replace("postgres://", "postgresql://", 1)
        self.size = size
        self.server_settings = dict(READ_SETTINGS if server_settings is None else server_settings)
        self.limits = limits or DatabaseLimits(statement_timeout=0, acquire_timeout=0)
        if self.limits.statement_timeout > 0:
            self.server_settings["statement_timeout"] = str(self.limits.statement_timeout_ms)
        self._idle: list[asyncpg.Connection] = []
        self._waiting: deque[asyncio.Future[asyncpg.Connection | None]] = deque()
        self._open = 0
        self._closed = False
        self._kept: asyncpg.Connection | None = None

    async def acquire(self) -> asyncpg.Connection:
        """An idle connection, a new one while under ``size``, or the next one given back.

        ``DatabaseUnavailable`` when none comes within the acquire timeout, or the server refuses a new one.
        """
        try:
            if self.limits.acquire_timeout > 0 and not self._idle:  # an idle connection is lent at once
                async with asyncio.timeout(self.limits.acquire_timeout):
                    return await self._acquire()
            return await self._acquire()
        except Exception as error:
            unavailable = unavailability(error, self.limits)
            if unavailable is None:
                raise
            raise unavailable from error

    async def _acquire(self) -> asyncpg.Connection:
        while True:
            if self._closed:
                raise RuntimeError("the read pool is closed")
            while self._idle:
                connection = self._idle.pop()
                if not connection.is_closed():
                    return connection
                self._open -= 1
            if self._open < self.size:
                self._open += 1
                try:
                    return await self._connect()
                except BaseException:
                    self._open -= 1
                    self._wake()
                    raise
            waiter: asyncio.Future[asyncpg.Connection | None] = asyncio.get_running_loop().create_future()
            self._waiting.append(waiter)
            try:
                connection = await waiter
            except BaseException:
                if waiter.done() and not waiter.cancelled() and waiter.result() is not None:
                    self.release(waiter.result())  # handed over just as the waiter gave up
                elif waiter in self._waiting:
                    self._waiting.remove(waiter)
                raise
            if connection is not None:
                return connection

    async def kept(self) -> asyncpg.Connection:
        """The pool's one connection kept aside for a single user with one statement at a time (the version reads).

        Opened with the pool's settings when first asked for (again after it was
        dropped or closed), never lent to requests, closed with the pool.
        """
        if self._kept is not None and not self._kept.is_closed():
            return self._kept
        if self._closed:
            raise RuntimeError("the read pool is closed")
        try:
            self._kept = await self._connect(self.limits.acquire_timeout or 60.0)
        except Exception as error:
            unavailable = unavailability(error, self.limits)
            if unavailable is None:
                raise
            raise unavailable from error
        return self._kept

    async def apart(self) -> asyncpg.Connection:
        """A new connection with the pool's settings that the pool does not count nor close (a listener's)."""
        if self._closed:
            raise RuntimeError("the read pool is closed")
        return await self._connect(self.limits.acquire_timeout or 60.0)

    async def _connect(self, timeout: float = 60.0) -> asyncpg.Connection:
        """A new connection with the pool's settings (lent, or kept), opened within ``timeout`` seconds."""
        return await asyncpg.connect(self.dsn, server_settings=self.server_settings, timeout=timeout)

    def drop_kept(self) -> None:
        """Close the kept connection after a failure (the next ``kept`` opens another)."""
        kept, self._kept = self._kept, None
        if kept is not None:
            kept.terminate()

    def release(self, connection: asyncpg.Connection) -> None:
        """Take a connection back: to the first waiting request, else to the idle list."""
        if self._closed or connection.is_closed() or connection.is_in_transaction():
            connection.terminate()
            self._open -= 1
            self._wake()
            return
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(connection)
                return
        self._idle.append(connection)

    def _wake(self) -> None:
        """Let the first waiting request try again (a connection slot came free)."""
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

    async def close(self) -> None:
        """Close the idle connections; the lent ones are closed when they come back."""
        self._closed = True
        kept, self._kept = self._kept, None
        if kept is not None and not kept.is_closed():
            await kept.close()
        idle, self._idle = self._idle, []
        for connection in idle:
            await connection.close()
        self._open -= len(idle)
        for waiter in self._waiting:
            if not waiter.done():
                waiter.set_exception(RuntimeError("the read pool is closed"))
        self._waiting.clear()


class Reader:
    """The statements of one request on one connection of a ``ReadPool``, taken on the first statement."""

    __slots__ = ("_connection", "_ended", "_lock", "_pool")

    def __init__(self, pool: ReadPool) -> None:
        self._pool = pool
        self._connection: asyncpg.Connection | None = None
        self._lock = asyncio.Lock()
        self._ended = False

    async def fetch(self, sql: str, params: Sequence[Any]) -> list[Any]:
        """The rows of one statement (``asyncpg.Record``: by position or by name)."""
        async with self._lock:
            if self._ended:
                raise RuntimeError("the request has ended; its connection is back in the pool")
            if self._connection is None:
                self._connection = await self._pool.acquire()
            with timed(sql):
                try:
                    return await self._connection.fetch(sql, *params)
                except Exception as error:
                    unavailable = unavailability(error, self._pool.limits)
                    if unavailable is None:
                        raise
                    raise unavailable from error

    async def release(self) -> None:
        """Give the connection back once the statement running on it, if any, has finished."""
        async with self._lock:
            self._ended = True
            connection, self._connection = self._connection, None
            if connection is not None:
                self._pool.release(connection)

    @property
    def acquired(self) -> bool:
        """Whether a statement has taken a connection."""
        return self._connection is not None


_reader: ContextVar[Reader | None] = ContextVar("reader", default=None)


def current_reader() -> Reader | None:
    """The reader of the running request, when its reads go through a ``ReadPool``."""
    return _reader.get()


class reading:
    """Send the block's reads through one connection of ``pool`` (nothing changes when it is None).

    A class rather than a generator-based context manager: it runs once per read request.
    """

    __slots__ = ("_pool", "_reader", "_token")

    def __init__(self, pool: ReadPool | None) -> None:
        self._pool = pool
        self._reader: Reader | None = None
        self._token: Token[Reader | None] | None = None

    async def __aenter__(self) -> Reader | None:
        if self._pool is None:
            return None
        self._reader = Reader(self._pool)
        self._token = _reader.set(self._reader)
        return self._reader

    async def __aexit__(self, *_: object) -> None:
        if self._reader is not None and self._token is not None:
            _reader.reset(self._token)
            await self._reader.release()
