"""The benchmark's PostgreSQL database: created, migrated, loaded, filled, and sampled for variables.

The synthetic directory (``manage.py generate``) is added only when the database does not already
hold the one asked for, so a second run reuses it: exactly the number of synthetic organizations
asked for, with their memberships, made by the same generator (a fingerprint of the generator's
source and its M49 file, the size and the seed, kept in ``bench_state.synthetic``). A directory
made by another generator is generated again: migrations keep rows (0005 copies the old dates at
day precision), but the rows are then not the ones the project's generator makes today (it states
some dates only to the month or the year), and the references would be checked on other data than
a fresh database holds.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import os
import random
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

ROOT = Path(__file__).resolve().parent.parent
BENCH_SCHEMA_SQL = Path(__file__).resolve().parent / "bench_schema.sql"
M49_FILE = ROOT / "data" / "m49.csv"

SEED = 1
"""``manage.py generate --seed``."""
STATE_SCHEMA = "bench_state"
"""Kept across runs (unlike the schema ``bench``): which generator made the synthetic directory."""
GENERATOR_FILES = ("datatools/synthetic.py", "services/synthetic.py")
"""Where the project's generator lives (the first found), now and in older revisions."""

ORGANIZATION_POOL = 2000
"""Visible synthetic organizations sampled for B1 (slugs) and B6 (ids)."""
LARGE_NETWORKS = 20
"""B3 and B5 draw among this many largest networks (by current visible members)."""
SEARCH_QUERIES = 200
"""Search queries (two words of an organization's name) kept for B4..."""
SEARCH_MINIMUM_HITS = 20
"""...each matching at least this many visible organizations."""
_SKIPPED_WORDS = {"synthetic", "for", "and", "of", "on", "the", "in"}


def admin_url(url: str) -> str:
    """The same server's ``postgres`` database."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, parts.fragment))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def public_url(url: str) -> str:
    """The URL without a password, for the results file."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        credentials, host = netloc.rsplit("@", 1)
        netloc = f"{credentials.split(':', 1)[0]}@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _asyncpg_url(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1] if url.startswith("postgres://") else url


async def connect(url: str) -> asyncpg.Connection:
    return await asyncpg.connect(_asyncpg_url(url))


async def ensure_database(url: str) -> bool:
    """Create the database when missing; True when it was created."""
    name = database_name(url)
    admin = await connect(admin_url(url))
    try:
        if await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            return False
        await admin.execute(f'CREATE DATABASE "{name}"')
        return True
    finally:
        await admin.close()


def manage(url: str, project: Path, *arguments: str) -> str:
    """Run ``project``'s ``manage.py`` on the database; its output, or SystemExit with it on failure."""
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run([sys.executable, "manage.py", *arguments], cwd=project, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"manage.py {' '.join(arguments)} failed (exit {done.returncode})")
    return done.stdout


async def drop_bench_schema(url: str) -> None:
    connection = await connect(url)
    try:
        await connection.execute("DROP SCHEMA IF EXISTS bench CASCADE")
    finally:
        await connection.close()


async def synthetic_rows(url: str) -> tuple[int, int]:
    """(synthetic organizations, synthetic memberships) the database holds."""
    connection = await connect(url)
    try:
        row = await connection.fetchrow(
            """SELECT (SELECT count(*) FROM organization WHERE source = 'synthetic') AS organizations,
                      (SELECT count(*) FROM membership WHERE source = 'synthetic') AS memberships"""
        )
        return int(row["organizations"]), int(row["memberships"])
    finally:
        await connection.close()


def generator_fingerprint(project: Path, organizations: int, seed: int = SEED) -> str:
    """What identifies a synthetic directory: the generator's source and M49 file, the size and the seed."""
    digest = hashlib.sha256(f"organizations={organizations} seed={seed}\n".encode())
    generator = next((project / name for name in GENERATOR_FILES if (project / name).is_file()), None)
    for path in (generator, project / "data" / "m49.csv"):
        if path is not None and path.is_file():
            digest.update(path.relative_to(project).as_posix().encode() + b"\n" + path.read_bytes())
    return digest.hexdigest()


async def stored_fingerprint(url: str) -> str | None:
    """The fingerprint of the synthetic directory the database holds; None when unknown."""
    connection = await connect(url)
    try:
        if not await connection.fetchval("SELECT to_regclass($1)", f"{STATE_SCHEMA}.synthetic"):
            return None
        value = await connection.fetchval(f"SELECT fingerprint FROM {STATE_SCHEMA}.synthetic LIMIT 1")
        return str(value) if value is not None else None
    finally:
        await connection.close()


async def store_fingerprint(url: str, fingerprint: str | None, organizations: int = 0, seed: int = SEED) -> None:
    """Record which generator made the synthetic directory (None: forget it, before generating)."""
    connection = await connect(url)
    try:
        async with connection.transaction():
            await connection.execute(f"CREATE SCHEMA IF NOT EXISTS {STATE_SCHEMA}")
            await connection.execute(
                f"""CREATE TABLE IF NOT EXISTS {STATE_SCHEMA}.synthetic (
                        fingerprint text NOT NULL, organizations integer NOT NULL, seed integer NOT NULL,
                        generated_at timestamptz NOT NULL DEFAULT now())"""
            )
            await connection.execute(f"DELETE FROM {STATE_SCHEMA}.synthetic")
            if fingerprint is not None:
                await connection.execute(
                    f"INSERT INTO {STATE_SCHEMA}.synthetic (fingerprint, organizations, seed) VALUES ($1, $2, $3)",
                    fingerprint, organizations, seed,
                )
    finally:
        await connection.close()


async def create_bench_schema(url: str) -> None:
    """(Re-)create the schema ``bench`` (bench/bench_schema.sql) and load ``bench.m49``."""
    with M49_FILE.open(newline="", encoding="utf-8") as handle:
        m49 = [(row["country"], row["region_code"], row["region"]) for row in csv.DictReader(handle)]
    connection = await connect(url)
    try:
        async with connection.transaction():
            await connection.execute("DROP SCHEMA IF EXISTS bench CASCADE")
            await connection.execute(BENCH_SCHEMA_SQL.read_text())
            await connection.copy_records_to_table("m49", schema_name="bench", records=m49)
    finally:
        await connection.close()


@dataclass(frozen=True)
class DatabaseInfo:
    organizations: int
    visible_organizations: int
    synthetic_organizations: int
    memberships: int
    networks: int
    server_version: str


async def describe(url: str) -> DatabaseInfo:
    connection = await connect(url)
    try:
        row = await connection.fetchrow(
            """SELECT count(*) AS organizations,
                      count(*) FILTER (WHERE NOT hidden) AS visible,
                      count(*) FILTER (WHERE source = 'synthetic') AS synthetic,
                      count(*) FILTER (WHERE kind = 'UMBRELLA_NETWORK' AND NOT hidden) AS networks,
                      (SELECT count(*) FROM membership) AS memberships
               FROM organization"""
        )
        version = await connection.fetchval("SHOW server_version")
    finally:
        await connection.close()
    return DatabaseInfo(row["organizations"], row["visible"], row["synthetic"], row["memberships"], row["networks"], version)


def prepare(url: str, organizations: int, project: Path = ROOT, log: Any = print) -> bool:
    """Create, migrate, load and fill the database with ``project``'s manage.py; True when the synthetic
    directory was (re)generated. The schema ``bench`` is dropped first; ``create_bench_schema`` adds it back.

    ``load-data`` runs only before ``generate``: it reconciles the file's lists of memberships and
    partnerships with the tables, so over a synthetic directory it would delete every synthetic
    membership and partnership. A directory that lost them (someone ran ``load-data`` on it), or
    that another generator made (``generator_fingerprint``), is generated again (``--replace``).
    """
    if asyncio.run(ensure_database(url)):
        log(f"created database {database_name(url)}")
    asyncio.run(drop_bench_schema(url))  # its views must not hold a migration up
    log("migrate")
    manage(url, project, "migrate")
    found, memberships = asyncio.run(synthetic_rows(url))
    fingerprint = generator_fingerprint(project, organizations)
    stored = asyncio.run(stored_fingerprint(url))
    if found == organizations and memberships and stored == fingerprint:
        log(f"reusing the {found} synthetic organizations ({memberships} memberships) already there; "
            "load-data skipped (it would delete the synthetic memberships)")
        return False
    if found == organizations and memberships:
        log(f"the {found} synthetic organizations there were made by "
            f"{'an unrecorded' if stored is None else 'another'} generator: generating them again")
    asyncio.run(store_fingerprint(url, None))  # a generation that fails half-way is not reused
    log("load-data")
    manage(url, project, "load-data")
    replace = ["--replace"] if found else []
    log(f"generate --organizations {organizations} --seed {SEED}{''.join(' ' + r for r in replace)} "
        f"(found {found} synthetic organizations, {memberships} synthetic memberships)")
    manage(url, project, "generate", "--organizations", str(organizations), "--seed", str(SEED), *replace)
    asyncio.run(store_fingerprint(url, fingerprint, organizations))
    return True


# ------- pools of values the requests draw from -------


def _tsquery(words: str) -> str:
    return " & ".join(f"'{word}':*" for word in words.split())


_CURRENT_MEMBERS = {
    True: "bench.current_membership m",
    # Without the schema bench: every membership (an approximation, only to choose large networks).
    False: "membership m",
}


async def sample_pools(url: str, seed: int, with_bench_schema: bool = True) -> dict[str, list[dict[str, Any]]]:
    """Values each shape's variables are drawn from, sampled with ``seed`` (same seed, same pools)."""
    rng = random.Random(seed)
    connection = await connect(url)
    try:
        organizations = [
            dict(row)
            for row in await connection.fetch(
                "SELECT id, slug, name FROM organization WHERE source = 'synthetic' AND NOT hidden ORDER BY id"
            )
        ]
        networks = [
            dict(row)
            for row in await connection.fetch(
                """SELECT id, slug FROM organization
                   WHERE source = 'synthetic' AND kind = 'UMBRELLA_NETWORK' AND NOT hidden ORDER BY id"""
            )
        ]
        large = [
            dict(row)
            for row in await connection.fetch(
                f"""SELECT n.id, n.slug, count(*) AS members
                   FROM {_CURRENT_MEMBERS[with_bench_schema]} JOIN organization n ON n.id = m.network_id
                   WHERE n.source = 'synthetic' AND NOT n.hidden
                   GROUP BY n.id, n.slug ORDER BY count(*) DESC, n.id LIMIT $1""",
                LARGE_NETWORKS,
            )
        ]
        searches: list[dict[str, Any]] = []
        seen: set[str] = set()
        candidates = rng.sample(organizations, min(len(organizations), SEARCH_QUERIES * 10))
        for organization in candidates:
            if len(searches) >= SEARCH_QUERIES:
                break
            eligible = [w for w in re.findall(r"[a-z]+", organization["name"].lower()) if w not in _SKIPPED_WORDS]
            if not eligible:
                continue
            words = " ".join(rng.sample(eligible, min(2, len(eligible))))
            if words in seen:
                continue
            seen.add(words)
            hits = await connection.fetchval(
                """SELECT count(*) FROM organization o WHERE NOT o.hidden AND o.id IN (
                       SELECT entity_id FROM search_document
                       WHERE entity_type = 'Organization' AND tsv @@ to_tsquery('simple', $1))""",
                _tsquery(words),
            )
            if hits >= SEARCH_MINIMUM_HITS:
                searches.append({"words": words, "hits": int(hits)})
    finally:
        await connection.close()
    return {
        "organization": rng.sample(organizations, min(ORGANIZATION_POOL, len(organizations))),
        "network": networks,
        "large_network": large,
        "search": searches,
    }
