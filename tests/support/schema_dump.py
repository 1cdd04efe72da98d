"""Print the database schema (tables, columns, indexes, constraints) as JSON.

    python -m tests.support.schema_dump migrate DATABASE_URL
    python -m tests.support.schema_dump models DATABASE_URL
    python -m tests.support.schema_dump pending DATABASE_URL

``migrate`` builds the schema with the migrations, ``models`` with Tortoise's
generate_schemas from the models; the migration test compares the two dumps.
Runs in its own process so it never touches the ORM state of the test session.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from tortoise import Tortoise

from db.lifecycle import migrate
from settings import normalize_database_url, tortoise_config

_SQLITE_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'tortoise_%'"
_POSTGRES_COLUMNS = """
SELECT table_name, column_name, data_type, is_nullable
FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE 'tortoise_%'
ORDER BY table_name, column_name
"""
_POSTGRES_CONSTRAINTS = """
SELECT conrelid::regclass::text AS table_name, contype::text AS contype, pg_get_constraintdef(oid) AS definition
FROM pg_constraint WHERE connamespace = 'public'::regnamespace
"""


async def _dump_sqlite(connection: Any) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for row in await connection.execute_query_dict(_SQLITE_TABLES):
        name = row["name"]
        columns = await connection.execute_query_dict(f'PRAGMA table_info("{name}")')
        sql = (await connection.execute_query_dict("SELECT sql FROM sqlite_master WHERE name = ?", [name]))[0]["sql"]
        indexes = await connection.execute_query_dict(f'PRAGMA index_list("{name}")')
        tables[name] = {
            "columns": sorted([c["name"], c["type"].upper(), bool(c["notnull"])] for c in columns),
            "checks": sql.upper().count("CHECK"),
            "indexes": sorted(i["name"] for i in indexes if i["name"].startswith("idx_")),
        }
    return tables


async def _dump_postgres(connection: Any) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for row in await connection.execute_query_dict(_POSTGRES_COLUMNS):
        table = tables.setdefault(row["table_name"], {"columns": [], "constraints": []})
        table["columns"].append([row["column_name"], row["data_type"], row["is_nullable"] == "NO"])
    for row in await connection.execute_query_dict(_POSTGRES_CONSTRAINTS):
        name = row["table_name"].strip('"')
        if name in tables:
            tables[name]["constraints"].append([row["contype"], row["definition"]])
    for table in tables.values():
        table["constraints"].sort()
    return tables


async def pending_migrations(url: str) -> list[str]:
    """Names of the migrations makemigrations would write (none when the models match the files)."""
    from tortoise.cli.cli import tortoise_cli_context
    from tortoise.migrations.autodetector import MigrationAutodetector

    config = tortoise_config(url)
    apps_config = config["apps"]
    assert isinstance(apps_config, dict)
    async with tortoise_cli_context(config) as context:
        assert context.apps is not None  # set by the context's init
        writers = await MigrationAutodetector(context.apps, apps_config).changes()
    return [f"{writer.app_label}.{writer.name}" for writer in writers]


async def main(mode: str, url: str) -> None:
    if mode == "pending":
        print(json.dumps(await pending_migrations(url)))
        return
    if mode == "migrate":
        await migrate(url)
        await Tortoise.init(config=tortoise_config(url))
    else:
        await Tortoise.init(config=tortoise_config(url))
        await Tortoise.generate_schemas()
    try:
        connection = Tortoise.get_connection("default")
        if normalize_database_url(url).startswith("sqlite"):
            dump = await _dump_sqlite(connection)
        else:
            dump = await _dump_postgres(connection)
    finally:
        await Tortoise.close_connections()
    print(json.dumps(dump, sort_keys=True))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
