"""The data version moves with every change to the data, in the database itself, and with nothing else."""

from __future__ import annotations

from typing import Any

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
