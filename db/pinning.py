"""One PostgreSQL connection for all the statements of a read request, taken when the first statement needs it.

Tortoise takes a connection from asyncpg's pool for every statement and gives
it back afterwards (asyncpg resets it on release: another round trip). A
GraphQL query issues several statements; pinning one connection for the
whole request saves those round trips. The connection is taken lazily, so an
operation that needs no SQL (``{ __typename }``, introspection, a refused
operation) takes none. SQLite has one connection anyway.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from tortoise import Tortoise
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import ConnectionWrapper
from tortoise.connection import get_connections


class _FirstUse(ConnectionWrapper[Any]):
    """Takes the lock, then the pinned connection, acquiring it if no statement has yet.

    Tortoise's wrapper reads the connection before it waits for the lock, so
    two statements started together would each acquire a pool connection.
    """

    async def __aenter__(self) -> Any:
        await self._lock.acquire()
        try:
            await self.client.create_connection(with_db=True)
        except BaseException:
            self._lock.release()
            raise
        self.connection = self.client._connection
        return self.connection


class _Pinned(TransactionWrapper):
    """A connection of the pool, acquired on first use and kept until the request ends."""

    def __init__(self, client: AsyncpgDBClient, pool: Any) -> None:
        super().__init__(client)
        self._connection = None
        self._pool: Any = pool  # an asyncpg pool (untyped); never None here
        self._ended = False

    async def create_connection(self, with_db: bool) -> None:
        if self._ended:
            raise RuntimeError("the request has ended; its connection is back in the pool")
        if self._connection is None:
            self._connection = await self._pool.acquire()

    def acquire_connection(self) -> ConnectionWrapper[Any]:
        return _FirstUse(self._lock, self)

    async def release(self) -> None:
        """Give the connection back once the statement running on it (if any) has finished.

        A failing non-null field ends an operation while its sibling fields
        still run; they cannot start another statement afterwards.
        """
        async with self._lock:
            self._ended = True
            if self._connection is not None:
                await self._pool.release(self._connection)
                self._connection = None

    @property
    def acquired(self) -> bool:
        return self._connection is not None


@asynccontextmanager
async def pinned_connection(alias: str = "default") -> AsyncIterator[None]:
    """Run the block's statements on one pooled connection (autocommit), acquired when first needed."""
    client = Tortoise.get_connection(alias)
    pool = getattr(client, "_pool", None)
    if not isinstance(client, AsyncpgDBClient) or isinstance(client, TransactionWrapper) or pool is None:
        yield
        return
    pinned = _Pinned(client, pool)
    token = get_connections().set(alias, pinned)
    try:
        yield
    finally:
        get_connections().reset(token)
        await pinned.release()
