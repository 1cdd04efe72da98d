"""make bench: the directory against a hand-written SQL floor and PostGraphile 4, on PostgreSQL.

    make bench                                   # or: .venv/bin/python bench/harness.py
    BENCH_SECONDS=10 BENCH_SHAPES=B1,B3 BENCH_SIDES=directory,floor make bench

A benchmark, not a test (never part of ``make test``). It

1. creates the database if missing, migrates it, loads the data and adds the synthetic directory
   (``manage.py generate --organizations N --seed 1``) unless it already holds the N synthetic
   organizations the project's generator makes (bench/database.py: ``prepare``), then (re)creates
   the schema ``bench`` (bench/bench_schema.sql);
2. samples the values the requests draw from (slugs, ids, search words);
3. starts each side on a free loopback port, one process each: the directory (uvicorn, one worker),
   the floor (bench/floor.py: one hand-written SQL statement per request, JSON built by PostgreSQL)
   and PostGraphile 4 (bench/postgraphile.js);
4. checks that every side answers every shape (bench/shapes.py) without errors, with the same number
   of top-level items and the same data, and counts the SQL statements of one request;
5. per shape and side: a warm-up, then wrk with 16 connections for BENCH_SECONDS, then the server's RSS;
6. prints a table and writes BENCH_OUTPUT (bench/results/latest.json).

Every server it starts is stopped at the end, on failure and on Ctrl-C too. Only loopback traffic;
every load loop is bounded by BENCH_SECONDS.

Settings (environment):

    BENCH_DATABASE_URL   postgres://postgres@127.0.0.1:5432/bench
    BENCH_ORGANIZATIONS  20000   synthetic organizations
    BENCH_SECONDS        15      timed seconds per shape and side
    BENCH_WARMUP         3       untimed seconds before each
    BENCH_SHAPES         all     e.g. B1,B3
    BENCH_SIDES          directory,floor,postgraphile
    BENCH_OUTPUT         bench/results/latest.json
    BENCH_PROJECT_DIR    this repository: the service's code to run (manage.py, server.py), e.g. an
                         export of another revision (git archive REV | tar -x -C DIR); the floor and
                         PostGraphile always come from this repository's bench/ and node_modules/
    BENCH_NOTE           free text added to the results' notes
    BENCH_CACHE          off     on: the directory's response cache answers repeated requests (off:
                                 RESPONSE_CACHE=off, every request answered afresh)
    BENCH_WORKERS        1       uvicorn worker processes of the directory
    CACHE_FRESHNESS      strict  passed to the directory as it is: notify checks cached answers against the
                                 version PostgreSQL announced (db.version_listener) instead of reading it
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import database
import httpx
import load
import servers
from shapes import SHAPES, Request, Shape

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SIDES = ("directory", "floor", "postgraphile")
POOL_SEED = 1
CHECK_REQUESTS = 5
"""Requests per shape and side checked (and timed alone) before the load."""


@dataclass(frozen=True)
class Config:
    database_url: str
    organizations: int
    seconds: float
    warmup: float
    shapes: list[str]
    sides: list[str]
    output: Path
    project: Path
    note: str
    cache: bool = False
    workers: int = 1

    @classmethod
    def from_env(cls) -> Config:
        env = os.environ
        shapes = [s.strip().upper() for s in (env.get("BENCH_SHAPES") or ",".join(SHAPES)).split(",") if s.strip()]
        sides = [s.strip().lower() for s in (env.get("BENCH_SIDES") or ",".join(SIDES)).split(",") if s.strip()]
        if unknown := [s for s in shapes if s not in SHAPES]:
            raise SystemExit(f"BENCH_SHAPES: unknown shapes {unknown}; choose among {list(SHAPES)}")
        if unknown := [s for s in sides if s not in SIDES]:
            raise SystemExit(f"BENCH_SIDES: unknown sides {unknown}; choose among {list(SIDES)}")
        return cls(
            database_url=env.get("BENCH_DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/bench",
            organizations=int(env.get("BENCH_ORGANIZATIONS") or 20000),
            seconds=float(env.get("BENCH_SECONDS") or 15),
            warmup=float(env.get("BENCH_WARMUP") or 3),
            shapes=shapes,
            sides=[s for s in SIDES if s in sides],
            output=Path(env.get("BENCH_OUTPUT") or BENCH / "results" / "latest.json").resolve(),
            project=Path(env.get("BENCH_PROJECT_DIR") or ROOT).resolve(),
            note=env.get("BENCH_NOTE") or "",
            cache=_on_off("BENCH_CACHE", env.get("BENCH_CACHE") or "off"),
            workers=int(env.get("BENCH_WORKERS") or 1),
        )


def _on_off(name: str, value: str) -> bool:
    if value.strip().lower() not in {"on", "off"}:
        raise SystemExit(f"{name}: expected on or off, got {value!r}")
    return value.strip().lower() == "on"


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


# ------- the machine -------


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _command(*command: str) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=30, cwd=ROOT).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine() -> dict[str, Any]:
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines() if line.startswith("model name")), platform.processor())
    memory_kb = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines() if line.startswith("MemTotal:")), 0)
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu,
        "memory_mb": round(memory_kb / 1024),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "node": _command("node", "--version"),
        "wrk": _command("wrk", "--version").splitlines()[0] if _command("wrk", "--version") else "",
        "loadavg_start": _read("/proc/loadavg").split()[:3],
    }


def code_version(project: Path) -> dict[str, Any]:
    """The service's revision, when ``project`` is a git work tree."""
    if _command("git", "-C", str(project), "rev-parse", "--show-toplevel") != str(project):
        return {"project_dir": str(project), "commit": None, "uncommitted_changes": None}
    return {
        "project_dir": str(project),
        "commit": _command("git", "-C", str(project), "rev-parse", "HEAD"),
        "uncommitted_changes": bool(_command("git", "-C", str(project), "status", "--porcelain", "--untracked-files=no")),
    }


# ------- requests -------


def draw_variables(request: Request, pools: dict[str, list[dict[str, Any]]], rng: random.Random) -> dict[str, Any]:
    """One request's variables, drawn as the Lua script draws them (a value, or distinct values)."""
    variables: dict[str, Any] = {}
    for name, draw in request.variables.items():
        pool = pools[draw.pool]
        if draw.count is None:
            variables[name] = draw.value(rng.choice(pool))
        else:
            variables[name] = [draw.value(row) for row in rng.sample(pool, draw.count)]
    return variables


def side_request(side: str, shape: Shape) -> Request | None:
    """What ``side`` is sent for ``shape``: the floor takes the directory's request."""
    return shape.postgraphile if side == "postgraphile" else shape.directory


def side_path(server: servers.Server, shape: Shape) -> str:
    return server.graphql_path.format(shape=shape.key.lower())


@dataclass
class Check:
    ok: bool = True
    problem: str = ""
    items: list[int] | None = None
    same_data: bool | None = None
    sql_statements: int | None = None
    response_bytes: int | None = None
    single_ms: float | None = None


def _statements(server: servers.Server, client: httpx.Client) -> int | None:
    try:
        return int(client.get(server.url("/__bench/sql")).json()["statements"])
    except (httpx.HTTPError, KeyError, ValueError):
        return None


def check_side(
    server: servers.Server, shape: Shape, pools: dict[str, list[dict[str, Any]]], client: httpx.Client
) -> tuple[Check, list[Any]]:
    """Send CHECK_REQUESTS requests of ``shape``; the check and the answers read as the directory's data."""
    request = side_request(server.side, shape)
    assert request is not None
    rng = random.Random(f"check:{shape.key}")
    items: list[int] = []
    check = Check(items=items)
    timings: list[float] = []
    if empty := sorted({draw.pool for draw in request.variables.values() if not pools[draw.pool]}):
        return Check(ok=False, problem=f"no values sampled for {', '.join(empty)}"), []
    answers: list[Any] = []
    url = server.url(side_path(server, shape))
    for number in range(CHECK_REQUESTS):
        body = {"query": request.document, "variables": draw_variables(request, pools, rng)}
        headers = {"X-Directory-Stats": "1"} if server.side == "directory" and number == 0 else {}
        before = _statements(server, client) if number == 0 and server.side != "directory" else None
        started = time.perf_counter()
        response = client.post(url, json=body, headers=headers)
        if number:  # the first request of a shape fills the servers' caches (parsed query, plan)
            timings.append((time.perf_counter() - started) * 1000)
        try:
            payload = response.json()
        except ValueError:
            payload = {}
        if response.status_code != 200 or payload.get("errors") or payload.get("data") is None:
            check.ok = False
            check.problem = f"HTTP {response.status_code}: {response.text[:300]}"
            return check, answers
        if number == 0:
            check.response_bytes = len(response.content)
            if server.side == "directory":
                check.sql_statements = (payload.get("extensions") or {}).get("stats", {}).get("sqlStatements")
            elif before is not None:
                after = _statements(server, client)
                check.sql_statements = after - before if after is not None else None
        data = request.as_directory(payload["data"])
        answers.append(data)
        items.append(shape.items(data))
    check.single_ms = round(statistics.median(timings), 2) if timings else None
    return check, answers


def run_checks(
    running: dict[str, servers.Server], shapes: list[Shape], pools: dict[str, list[dict[str, Any]]]
) -> tuple[dict[str, dict[str, Check]], list[str]]:
    """Every side answers every shape without errors, with the same items and data as the reference side."""
    checks: dict[str, dict[str, Check]] = {}
    warnings: list[str] = []
    with httpx.Client(timeout=120) as client:
        for shape in shapes:
            checks[shape.key] = {}
            reference: tuple[str, list[Any]] | None = None
            for side, server in running.items():
                if side_request(side, shape) is None:
                    continue
                check, answers = check_side(server, shape, pools, client)
                checks[shape.key][side] = check
                if not check.ok:
                    warnings.append(f"{shape.key} {side}: errors, not timed: {check.problem}")
                    continue
                if reference is None:
                    reference = (side, answers)
                    continue
                ref_side, ref_answers = reference
                ref_items = checks[shape.key][ref_side].items
                if check.items != ref_items:
                    warnings.append(f"{shape.key} {side}: {check.items} top-level items, {ref_side} has {ref_items}")
                check.same_data = answers == ref_answers
                if not check.same_data:
                    warnings.append(f"{shape.key} {side}: data differs from {ref_side}'s ({_first_difference(ref_answers, answers)})")
            if reference is not None:
                checks[shape.key][reference[0]].same_data = True
    return checks, warnings


def _first_difference(left: Any, right: Any, path: str = "") -> str:
    if type(left) is not type(right):
        return f"at {path or '/'}: {str(left)[:80]} vs {str(right)[:80]}"
    if isinstance(left, dict):
        for key in list(dict.fromkeys([*left, *right])):
            if left.get(key) != right.get(key):
                return _first_difference(left.get(key), right.get(key), f"{path}/{key}")
    if isinstance(left, list):
        if len(left) != len(right):
            return f"at {path or '/'}: {len(left)} vs {len(right)} items"
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            if a != b:
                return _first_difference(a, b, f"{path}/{index}")
    return f"at {path or '/'}: {str(left)[:80]} vs {str(right)[:80]}"


# ------- load -------


def time_side(
    server: servers.Server, shape: Shape, pools: dict[str, list[dict[str, Any]]], config: Config, scripts: Path
) -> dict[str, Any]:
    request = side_request(server.side, shape)
    assert request is not None
    script = scripts / f"{shape.key}-{server.side}.lua"
    script.write_text(load.lua_script(request.document, request.variables, pools))
    url = server.url(side_path(server, shape))
    server.wait_idle()
    if config.warmup > 0:
        load.run_wrk(url, script, config.warmup)
        server.wait_idle()
    result = load.run_wrk(url, script, config.seconds)
    figures = asdict(result)
    figures["rss_mb"] = server.rss_mb()
    figures["drain_s"] = round(server.wait_idle(), 2)
    return figures


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a and b else None


# ------- output -------


def print_table(results: dict[str, Any], sides: list[str]) -> None:
    header = f"{'shape':<5} {'side':<13} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'sql':>4} {'rss MB':>7} {'1 req ms':>9}  {'dir/side':>8}  check"
    print()
    print(header)
    print("-" * len(header))
    for key, shape in results["shapes"].items():
        for side in sides:
            cell = shape.get(side)
            if cell is None:
                continue
            if "n/a" in cell:
                print(f"{key:<5} {side:<13} {'n/a':>9}  {cell['n/a']}")
                continue

            def number(name: str, digits: int = 1, cell: dict[str, Any] = cell) -> str:
                value = cell.get(name)
                return "-" if value is None else f"{value:.{digits}f}" if isinstance(value, float) else str(value)

            ratio = {"floor": shape.get("ratio_floor"), "postgraphile": shape.get("ratio_postgraphile")}.get(side)
            ratio_text = f"{ratio:.3f}" if ratio is not None else ""
            status = "ok" if cell.get("check_ok") and cell.get("same_data") is not False else "WARN"
            if cell.get("errors_during_load"):
                status += f" ({cell['errors_during_load']} errors under load)"
            print(
                f"{key:<5} {side:<13} {number('rps'):>9} {number('p50_ms', 2):>9} {number('p99_ms', 2):>9} "
                f"{number('sql_statements'):>4} {number('rss_mb'):>7} {number('single_ms', 1):>9}  {ratio_text:>8}  {status}"
            )
    print()
    print("dir/side: directory req/s divided by that side's (ratio_floor, ratio_postgraphile in the JSON).")


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    config = Config.from_env()
    shapes = [SHAPES[key] for key in config.shapes]
    log(f"database {database.public_url(config.database_url)}, {config.organizations} synthetic organizations, "
        f"{config.seconds:g} s per shape and side (+{config.warmup:g} s warm-up), shapes {','.join(config.shapes)}, "
        f"sides {','.join(config.sides)}, directory cache {'on' if config.cache else 'off'} "
        f"({os.environ.get('CACHE_FRESHNESS') or 'strict'}), "
        f"{config.workers} directory worker(s)")
    if config.project != ROOT:
        log(f"service code from {config.project}")
    load.ensure_wrk()
    started_at = datetime.now(UTC)
    database.prepare(config.database_url, config.organizations, config.project, log)
    sides = list(config.sides)
    try:
        asyncio.run(database.create_bench_schema(config.database_url))
    except Exception as error:
        if "directory" not in sides:
            raise
        log(f"WARNING the schema bench could not be created ({error}); timing the directory only: "
            "update bench/bench_schema.sql and bench/floor.py to the project's tables")
        sides = ["directory"]
    info = asyncio.run(database.describe(config.database_url))
    pools = asyncio.run(database.sample_pools(config.database_url, POOL_SEED, with_bench_schema=sides != ["directory"]))
    log("pools: " + ", ".join(f"{name} {len(values)}" for name, values in pools.items()))
    host = machine()

    running: dict[str, servers.Server] = {}
    results: dict[str, Any] = {}
    try:
        for side in sides:
            if side == "directory":
                server = servers.directory(config.database_url, config.project, cache=config.cache, workers=config.workers)
            else:
                server = servers.FACTORIES[side](config.database_url, config.project)
            running[side] = server
            log(f"starting {side} on port {server.port}")
            server.start()
        checks, warnings = run_checks(running, shapes, pools)
        for warning in warnings:
            log(f"WARNING {warning}")
        with tempfile.TemporaryDirectory(prefix="bench-lua-") as scripts:
            for shape in shapes:
                entry: dict[str, Any] = {"title": shape.title}
                if shape.postgraphile_note:
                    entry["postgraphile_note"] = shape.postgraphile_note
                for side, server in running.items():
                    check = checks[shape.key].get(side)
                    if side_request(side, shape) is None:
                        entry[side] = {"n/a": shape.postgraphile_note or "no equivalent"}
                        continue
                    assert check is not None
                    cell: dict[str, Any] = {
                        "check_ok": check.ok,
                        "items": check.items,
                        "same_data": check.same_data,
                        "sql_statements": check.sql_statements,
                        "response_bytes": check.response_bytes,
                        "single_ms": check.single_ms,
                    }
                    if check.ok:
                        log(f"{shape.key} {side}: warm-up {config.warmup:g} s, load {config.seconds:g} s")
                        figures = time_side(server, shape, pools, config, Path(scripts))
                        cell.update(figures)
                        if errors := sum(figures["errors"].values()):
                            cell["errors_during_load"] = errors
                            log(f"WARNING {shape.key} {side}: {errors} errors under load: {figures['errors']}")
                    else:
                        cell["problem"] = check.problem
                    entry[side] = cell
                directory_rps = (entry.get("directory") or {}).get("rps")
                entry["ratio_floor"] = _ratio(directory_rps, (entry.get("floor") or {}).get("rps"))
                entry["ratio_postgraphile"] = _ratio(directory_rps, (entry.get("postgraphile") or {}).get("rps"))
                results[shape.key] = entry
    finally:
        for server in running.values():
            server.stop()

    host["loadavg_end"] = _read("/proc/loadavg").split()[:3]
    output = {
        "date": started_at.isoformat(timespec="seconds"),
        "machine": host,
        "code": code_version(config.project),
        "database": {
            "url": database.public_url(config.database_url),
            "postgres": info.server_version,
            "organizations": info.organizations,
            "visible_organizations": info.visible_organizations,
            "synthetic_organizations": info.synthetic_organizations,
            "memberships": info.memberships,
            "networks": info.networks,
        },
        "settings": {
            "bench_seconds": config.seconds,
            "warmup_seconds": config.warmup,
            "bench_organizations": config.organizations,
            "connections": load.CONNECTIONS,
            "threads": load.THREADS,
            "shapes": config.shapes,
            "sides": sides,
            "directory_cache": config.cache,
            "directory_cache_freshness": os.environ.get("CACHE_FRESHNESS") or "strict",
            "directory_workers": config.workers,
        },
        "pools": {name: len(values) for name, values in pools.items()},
        "warnings": warnings,
        "notes": [
            *([config.note] if config.note else []),
            "Absolute numbers are noisy: wrk, the server and PostgreSQL share the machine's cores, and other work may run.",
            "rss_mb is the server process's VmRSS after its run (PostgreSQL backends not included).",
            "sql_statements: directory from extensions.stats.sqlStatements; floor and PostGraphile count the statements "
            "their database client sent for one request.",
            "single_ms: the median of the check requests sent one at a time before the load, the first of each "
            "shape left out (client-side wall time, each request with other random variables).",
        ],
        "shapes": results,
    }
    config.output.parent.mkdir(parents=True, exist_ok=True)
    config.output.write_text(json.dumps(output, indent=2, ensure_ascii=False) + "\n")
    print_table(output, sides)
    log(f"wrote {config.output.relative_to(ROOT) if config.output.is_relative_to(ROOT) else config.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
