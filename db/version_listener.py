"""The data version as PostgreSQL announces it (LISTEN), for the response cache's ``CACHE_FRESHNESS=notify``.

The commit trigger of ``db.data_version`` sends each new version on the
channel ``CHANNEL`` (``pg_notify``: delivered when the transaction commits,
in commit order, never for one rolled back). A worker in notify mode keeps
one connection listening and answers cached reads from the last version it
heard, without a statement per request.

How far behind a reader can be: normally the time a notification takes to
arrive (about a millisecond on one machine, measured by
``tests/test_version_listener.py``). ``current`` is None whenever the worker
is not listening (before the first connection, after one is lost, while a
check is failing): the caller then reads the version itself, as in strict
mode. A connection that dies without a word (a network cut) is found by a
check every ``CHECK_SECONDS`` that must answer within ``CHECK_TIMEOUT``: that
is the longest a reader can lag, ``CHECK_SECONDS + CHECK_TIMEOUT`` (3 s).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg

from db.data_version import CHANNEL, READ

log = logging.getLogger(__name__)

CHECK_SECONDS = 2.0
"""How often the listening connection is asked for the version (a connection cut silently is found so)."""
CHECK_TIMEOUT = 1.0
"""How long that check may take before the connection counts as lost."""
RECONNECT_SECONDS = 1.0
"""Wait before listening again after the connection was lost or could not be opened (doubled after each
failure to listen, up to ``MAX_RECONNECT_SECONDS``)."""
MAX_RECONNECT_SECONDS = 30.0

Connect = Callable[[], Awaitable[asyncpg.Connection]]


class VersionListener:
    """The last data version announced, while a connection listens; None when it does not."""

    def __init__(self) -> None:
        self._version: int | None = None
        self._heard = 0
        """The highest version announced on the connection now listening (kept before the first read too)."""
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._connection: asyncpg.Connection | None = None
        self.connections = 0
        """Connections opened so far (each start and each reconnection)."""

    def current(self, connect: Connect) -> int | None:
        """The last version announced, or None while not listening (then read it yourself).

        The first call (and the first in a new event loop) starts listening with connections from ``connect``.
        """
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._task is None:
            self._loop, self._version = loop, None
            self._task = loop.create_task(self._listen(connect))
        return self._version

    async def _listen(self, connect: Connect) -> None:
        wait = RECONNECT_SECONDS
        while True:
            try:
                await self._listen_once(connect)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("not listening for data versions (%s); reading them per request meanwhile", error)
            finally:
                listened = self._version is not None
                self._version = None
                await self._close_connection()
            wait = RECONNECT_SECONDS if listened else min(wait * 2, MAX_RECONNECT_SECONDS)
            await asyncio.sleep(wait)

    async def _listen_once(self, connect: Connect) -> None:
        lost = asyncio.Event()
        self._heard = 0
        self._connection = connection = await connect()
        self.connections += 1
        connection.add_termination_listener(lambda _: lost.set())
        await connection.add_listener(CHANNEL, self._announced)
        # Read after LISTEN took effect: a commit before the read is in it, one after is announced.
        await self._check(connection)
        while not lost.is_set():
            try:
                await asyncio.wait_for(lost.wait(), CHECK_SECONDS)
            except TimeoutError:
                await self._check(connection)

    async def _check(self, connection: asyncpg.Connection) -> None:
        read = int(await asyncio.wait_for(connection.fetchval(READ), CHECK_TIMEOUT))
        self._version = max(read, self._heard, self._version or 0)

    def _announced(self, connection: Any, pid: int, channel: str, payload: str) -> None:
        try:
            version = int(payload)
        except ValueError:
            return
        self._heard = max(self._heard, version)
        if self._version is not None and version > self._version:
            self._version = version

    async def _close_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and not connection.is_closed():
            try:
                await asyncio.wait_for(connection.close(), CHECK_TIMEOUT)
            except Exception:
                connection.terminate()

    async def close(self) -> None:
        """Stop listening."""
        task, self._task = self._task, None
        if task is not None and task.get_loop() is asyncio.get_running_loop():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._close_connection()
        self._version = None

    @property
    def backend_pid(self) -> int | None:
        """The PostgreSQL process of the listening connection (tests cut it)."""
        connection = self._connection
        return connection.get_server_pid() if connection is not None and not connection.is_closed() else None
