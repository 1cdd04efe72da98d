"""One PostgreSQL connection for all the statements of a read request.

Tortoise takes a connection from asyncpg's pool for every statement and gives
it back afterwards (asyncpg resets it on release: another round trip). A
GraphQL query issues several statements; pinning one connection for the
whole request saves those round trips. SQLite has one connection anyway.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from tortoise import Tortoise
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.connection import get_connections


@asynccontextmanager
async def pinned_connection(alias: str = "default") -> AsyncIterator[None]:
    """Run the block's statements on one pooled connection, in autocommit mode."""
    client = Tortoise.get_connection(alias)
    pool = getattr(client, "_pool", None)
    if not isinstance(client, AsyncpgDBClient) or isinstance(client, TransactionWrapper) or pool is None:
        yield
        return
    raw = await pool.acquire()
    pinned = TransactionWrapper(client)
    pinned._connection = raw
    token = get_connections().set(alias, pinned)
    try:
        yield
    finally:
        get_connections().reset(token)
        await pool.release(raw)
