"""The read plans' connections on PostgreSQL: lent one per request, never more than the pool's size, never leaked."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from db.read_connections import ReadPool, reading
from queries.sql import fetch, statement


@pytest.fixture
def postgres_url(backend: str, database_url: str) -> str:
    if backend != "postgres":
        pytest.skip("the read pool serves PostgreSQL only")
    return database_url


async def test_a_full_pool_lends_the_next_connection_given_back(postgres_url: str) -> None:
    pool = ReadPool(postgres_url, size=2)
    try:
        first, second = await pool.acquire(), await pool.acquire()
        third = asyncio.ensure_future(pool.acquire())
        await asyncio.sleep(0.05)
        assert not third.done(), "a third request waits while two connections are lent"
        pool.release(first)
        assert await asyncio.wait_for(third, 5) is first
        pool.release(second)
        pool.release(first)
        assert pool._open == 2
    finally:
        await pool.close()


async def test_a_connection_left_in_a_transaction_is_dropped(postgres_url: str) -> None:
    pool = ReadPool(postgres_url, size=1)
    try:
        connection = await pool.acquire()
        waiting = asyncio.ensure_future(pool.acquire())
        await asyncio.sleep(0.05)
        transaction = connection.transaction()
        await transaction.start()
        pool.release(connection)
        replacement = await asyncio.wait_for(waiting, 5)
        assert replacement is not connection and connection.is_closed()
        assert await replacement.fetchval("SELECT 1") == 1
        pool.release(replacement)
    finally:
        await pool.close()


async def test_a_waiter_that_gives_up_takes_nothing_with_it(postgres_url: str) -> None:
    pool = ReadPool(postgres_url, size=1)
    try:
        connection = await pool.acquire()
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(pool.acquire(), 0.05)
        pool.release(connection)
        assert await asyncio.wait_for(pool.acquire(), 5) is connection
        pool.release(connection)
    finally:
        await pool.close()


async def test_a_reader_takes_one_connection_for_all_its_statements(postgres_url: str) -> None:
    pool = ReadPool(postgres_url, size=3)
    try:
        async with reading(pool) as reader:
            assert reader is not None and not reader.acquired

            async def backend_pid() -> int:
                st = statement()
                return int((await fetch("SELECT pg_backend_pid() AS pid", st))[0]["pid"])

            pids = await asyncio.gather(*(backend_pid() for _ in range(5)))
            assert len(set(pids)) == 1 and reader.acquired
        assert pool._idle and pool._open == 1
    finally:
        await pool.close()


async def test_many_requests_at_once_share_the_pool(client: httpx.AsyncClient, backend: str) -> None:
    query = "query($slug: String!) { organization(slug: $slug) { name members(first: 5) { totalCount } } }"
    slugs = ["uncac-coalition", "vngoc", "alliance", "congo", "no-such-network"] * 8

    async def ask(slug: str) -> Any:
        response = await client.post("/graphql", json={"query": query, "variables": {"slug": slug}})
        assert response.status_code == 200, response.text
        return response.json()

    answers = await asyncio.gather(*(ask(slug) for slug in slugs))
    assert all("errors" not in answer for answer in answers)
    by_slug = {slug: answer["data"]["organization"] for slug, answer in zip(slugs, answers, strict=True)}
    assert by_slug["vngoc"]["name"] == "Vienna NGO Committee on Drugs"
    assert by_slug["no-such-network"] is None
