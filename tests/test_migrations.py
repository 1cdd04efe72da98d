"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from db.data_version import VERSION_TABLE

ROOT = Path(__file__).resolve().parent.parent


def _dump(mode: str, url: str) -> dict[str, dict[str, Any]]:
    result = subprocess.run(
        [sys.executable, "-m", "tests.support.schema_dump", mode, url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


async def _recreate_postgres(url: str, name: str) -> str:
    import asyncpg

    admin = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return url.rsplit("/", 1)[0] + "/" + name


def test_sqlite_migrations_match_models(tmp_path: Path) -> None:
    migrated = _dump("migrate", f"sqlite://{tmp_path / 'migrated.sqlite3'}")
    generated = _dump("models", f"sqlite://{tmp_path / 'generated.sqlite3'}")
    assert generated.keys() <= migrated.keys()
    unmodelled = migrated.keys() - generated.keys()
    assert all(t.startswith("search_") or t == VERSION_TABLE for t in unmodelled), "only search tables and the data version are not models"
    for table, shape in generated.items():
        assert migrated[table]["columns"] == shape["columns"], table
        assert set(shape["indexes"]) <= set(migrated[table]["indexes"]), f"indexes of {table} missing after migrating"
    for table, checks in _declared_checks().items():
        assert migrated[table]["checks"] == checks, f"check constraints of {table} missing from the migrated schema"


def _declared_checks() -> dict[str, int]:
    """How many check constraints each model declares, by table."""
    from tortoise.migrations.constraints import CheckConstraint

    import models

    counts: dict[str, int] = {}
    for name in models.__all__:
        model = getattr(models, name)
        declared = [c for c in getattr(model.Meta, "constraints", ()) if isinstance(c, CheckConstraint)]
        if declared:
            counts[model._meta.db_table] = len(declared)
    return counts


@pytest.mark.skipif(not os.environ.get("TEST_POSTGRES_URL"), reason="TEST_POSTGRES_URL is not set")
async def test_postgres_migrations_match_models() -> None:
    base = os.environ["TEST_POSTGRES_URL"]
    migrated = _dump("migrate", await _recreate_postgres(base, "directory_migrated"))
    generated = _dump("models", await _recreate_postgres(base, "directory_generated"))
    assert generated.keys() <= migrated.keys()
    for table, shape in generated.items():
        columns = [c for c in migrated[table]["columns"] if not (table == "search_document" and c[0] == "tsv")]
        assert columns == shape["columns"], table
    membership = {definition for _, definition in migrated["membership"]["constraints"]}
    assert "CHECK ((member_id <> network_id))" in membership
    assert any(d.startswith("UNIQUE (member_id, network_id, since_edtf)") for d in membership)


def test_migrations_are_up_to_date(tmp_path: Path) -> None:
    """The autodetector finds nothing to add: the models and the migration files agree."""
    assert _dump("pending", f"sqlite://{tmp_path / 'pending.sqlite3'}") == []


EXPECTED_COPY = {
    "organization": {"founded_edtf": "1983", "founded_earliest": "1983-01-01", "founded_latest": "1983-12-31"},
    "membership": {
        "since_edtf": "2001-02-03",
        "since_earliest": "2001-02-03",
        "since_latest": "2001-02-03",
        "until_edtf": "2010-12-31",
        "until_earliest": "2010-12-31",
        "until_latest": "2010-12-31",
    },
}


def _copy(url: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-m", "tests.support.date_migration", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_sqlite_migration_keeps_existing_dates_at_their_stored_precision(tmp_path: Path) -> None:
    """A stored day stays a day, a stored year becomes that year: no precision is invented or lost."""
    assert _copy(f"sqlite://{tmp_path / 'dates.sqlite3'}") == EXPECTED_COPY


@pytest.mark.skipif(not os.environ.get("TEST_POSTGRES_URL"), reason="TEST_POSTGRES_URL is not set")
async def test_postgres_migration_keeps_existing_dates_at_their_stored_precision() -> None:
    url = await _recreate_postgres(os.environ["TEST_POSTGRES_URL"], "directory_dates")
    assert _copy(url) == EXPECTED_COPY
