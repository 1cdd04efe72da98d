"""Migrate a database to 0004, write dates the old way, migrate on, and print the new columns as JSON.

    python -m tests.support.date_migration DATABASE_URL

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

OLD_ROWS = [
    "INSERT INTO organization (id, slug, name, kind, aliases, verified, hidden, year_founded, created_at, updated_at)"
    " VALUES (1, 'a', 'A', 'NGO', '[]', FALSE, FALSE, 1983, '2020-01-01 00:00:00', '2020-01-01 00:00:00')",
    "INSERT INTO organization (id, slug, name, kind, aliases, verified, hidden, created_at, updated_at)"
    " VALUES (2, 'b', 'B', 'UMBRELLA_NETWORK', '[]', FALSE, FALSE, '2020-01-01 00:00:00', '2020-01-01 00:00:00')",
    "INSERT INTO membership (id, member_id, network_id, type, since, until)"
    " VALUES (1, 1, 2, 'ORDINARY', '2001-02-03', '2010-12-31')",
]
NEW_COLUMNS = [
    "SELECT founded_edtf, founded_earliest, founded_latest FROM organization WHERE id = 1",
    "SELECT since_edtf, since_earliest, since_latest, until_edtf, until_earliest, until_latest FROM membership WHERE id = 1",
]


async def main(url: str) -> dict[str, Any]:
    config = tortoise_config(normalize_database_url(url))
    await migrate(url, target="models.0004_former_names")
    await Tortoise.init(config=config)
    connection = Tortoise.get_connection("default")
    for statement in OLD_ROWS:
        await connection.execute_script(statement)
    await Tortoise.close_connections()
    await migrate(url)
    await Tortoise.init(config=config)
    try:
        connection = Tortoise.get_connection("default")
        found = [dict((await connection.execute_query_dict(query))[0]) for query in NEW_COLUMNS]
    finally:
        await Tortoise.close_connections()
    return {"organization": {k: str(v) for k, v in found[0].items()}, "membership": {k: str(v) for k, v in found[1].items()}}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1]))))
