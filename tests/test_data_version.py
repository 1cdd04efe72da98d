"""The data version moves with every change to the data, in the database itself, and with nothing else."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from tortoise import Tortoise

import models
from db.data_version import UNVERSIONED, VERSION_TABLE, current_version
from models.enums import KeyRole
from services.keys import create_key
from tests.conftest import TEST_KEY_SECRET


def _model_tables() -> set[str]:
    return {model._meta.db_table for model in Tortoise.apps["models"].values()}


async def _triggered_tables() -> set[str]:
    connection = Tortoise.get_connection("default")
    if connection.capabilities.dialect == "sqlite":
        sql = f"SELECT tbl_name AS t FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%{VERSION_TABLE}%'"
        rows = await connection.execute_query_dict(sql)
        tables = [row["t"] for row in rows]
        # three triggers (insert, update, delete) per table
        return {table for table in tables if tables.count(table) == 3}
    sql = (
        "SELECT c.relname AS t FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid "
        "JOIN pg_proc p ON p.oid = g.tgfoid WHERE p.proname = 'directory_bump_data_version' "
        "AND NOT g.tgisinternal"
    )
    return {row["t"] for row in await connection.execute_query_dict(sql)}


async def test_every_data_table_has_the_trigger_and_keys_do_not(app: Any) -> None:
    tables = _model_tables()
    assert "organization" in tables and "audit_entry" in tables
    assert await _triggered_tables() == tables - UNVERSIONED


async def test_any_write_bumps_the_version_in_its_statement(app: Any) -> None:
    before = await current_version(None)
    thematic_area = await models.ThematicArea.create(slug="version-test", name="Version test")
    created = await current_version(None)
    await models.ThematicArea.filter(id=thematic_area.id).update(name="Version test, renamed")
    updated = await current_version(None)
    await models.ThematicArea.filter(id=thematic_area.id).delete()
    deleted = await current_version(None)
    assert before < created < updated < deleted


async def test_a_rolled_back_write_leaves_the_version(app: Any) -> None:
    from tortoise.transactions import in_transaction

    before = await current_version(None)
    try:
        async with in_transaction():
            await models.ThematicArea.create(slug="rolled-back", name="Rolled back")
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    assert await current_version(None) == before
    assert not await models.ThematicArea.filter(slug="rolled-back").exists()


async def test_keys_change_without_bumping_the_version(app: Any) -> None:
    before = await current_version(None)
    made = await create_key(TEST_KEY_SECRET, "version test staff", KeyRole.STAFF)
    await models.ApiKey.filter(id=made.record.id).delete()
    assert await current_version(None) == before


async def test_writers_crossing_each_other_do_not_deadlock_on_the_version(backend: str, database_url: str, app: Any) -> None:
    """Two transactions write two rows in opposite orders: one waits for the other, neither is aborted."""
    if backend != "postgres":
        pytest.skip("concurrent writers: PostgreSQL only")
    import asyncpg

    first = await models.ThematicArea.create(slug="crossing-a", name="Crossing A")
    second = await models.ThematicArea.create(slug="crossing-b", name="Crossing B")
    dsn = database_url.replace("postgres://", "postgresql://", 1)
    one, other = await asyncpg.connect(dsn), await asyncpg.connect(dsn)
    try:
        before = await current_version(None)
        rename = "UPDATE thematic_area SET name = name || $2 WHERE id = $1"
        one_tx, other_tx = one.transaction(), other.transaction()
        await one_tx.start()
        await other_tx.start()
        await one.execute(rename, first.id, " 1")
        await asyncio.wait_for(other.execute(rename, second.id, " 2"), 10)  # a row of its own: no waiting
        crossing = asyncio.ensure_future(one.execute(rename, second.id, " 1"))  # waits for the other's row
        await asyncio.sleep(0.3)
        assert not crossing.done()
        await other_tx.commit()
        await asyncio.wait_for(crossing, 10)
        await one_tx.commit()
        assert await current_version(None) == before + 2
        names = await models.ThematicArea.filter(id__in=[first.id, second.id]).order_by("id").values_list("name", flat=True)
        assert list(names) == ["Crossing A 1", "Crossing B 2 1"]
    finally:
        await one.close()
        await other.close()
        await models.ThematicArea.filter(id__in=[first.id, second.id]).delete()


async def test_concurrent_requests_share_a_version_read_but_never_one_from_before_they_arrived(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read that ran its statement before a change is not handed to a request that arrived after the change."""
    import db.data_version as data_version

    held = asyncio.Event()
    release = asyncio.Event()
    statements: list[int] = []

    async def held_read(read_pool: Any) -> int:
        value = await current_version(read_pool)  # the real statement
        statements.append(value)
        if len(statements) == 1:
            held.set()
            await release.wait()  # the first read has its value and is held on its way back
        return value

    monkeypatch.setattr(data_version, "current_version", held_read)
    reads = data_version.SharedVersionReads()
    first = asyncio.create_task(reads.current(None))
    await held.wait()
    thematic_area = await models.ThematicArea.create(slug="shared-read", name="Shared read")  # a change, then...
    later = [asyncio.create_task(reads.current(None)) for _ in range(5)]  # ...five requests arrive
    await asyncio.sleep(0)
    release.set()
    try:
        before, after = await first, await asyncio.gather(*later)
        assert before == statements[0]
        assert set(after) == {statements[1]} and statements[1] > before
        assert len(statements) == 2  # one statement for the five
    finally:
        await models.ThematicArea.filter(id=thematic_area.id).delete()
