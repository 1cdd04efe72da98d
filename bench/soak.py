"""Soak test: the service under mixed reads while its PostgreSQL connections are cut twice (``make soak``).

Serves the directory with uvicorn (``WORKERS`` processes, 2 by default) on a
free loopback port, on ``DATABASE_URL`` (PostgreSQL, with the directory's
data loaded), drives ``SOAK_CONCURRENCY`` clients (8) of mixed reads for
``SOAK_SECONDS`` (60), and at one third and two thirds of the run terminates
every backend the service holds (``pg_terminate_backend``). It prints, per
cut, the failed requests by status and code (they must be 503 with a code,
never a 500), how long until requests succeeded again, and the p50/p99 of
the whole run. Exit status 1 when a request got a 500 or an answer without a
code, or the service did not recover within ``SOAK_RECOVERY`` seconds (10).

Loopback only, bounded, and not part of ``make test``.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent

READS: list[tuple[str, dict[str, object]]] = [
    ('{ organization(slug: "congo") { name members(first: 20) { nodes { member { name country { name } } } } } }', {}),
    ("{ organizations(first: 20) { totalCount nodes { name acronym } } }", {}),
    ("{ events(first: 10) { nodes { name dates { startDate } } } }", {}),
    ('{ office(slug: "rosee") { name location(asOf: "2023-03-15") { city } } }', {}),
    ("{ organizationStats { total byKind { kind count } } }", {}),
    ('{ organizations(filter: { search: "vienna" }) { totalCount } }', {}),
    ("{ __typename }", {}),
]


@dataclass
class Outcome:
    at: float
    status: int
    code: str
    seconds: float


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(database_url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    launcher = (
        "import uvicorn\n"
        "from settings import Settings\n"
        "from web.serving import uvicorn_options\n"
        "settings = Settings.from_env()\n"
        f"uvicorn.run('server:create_app', factory=True, host='127.0.0.1', port={port}, workers={workers},"
        " log_level='warning', **uvicorn_options(settings))\n"
    )
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.Popen([sys.executable, "-c", launcher], cwd=ROOT, env=env, start_new_session=True)


async def _wait_ready(url: str, deadline: float) -> None:
    async with httpx.AsyncClient() as http:
        while time.monotonic() < deadline:
            try:
                if (await http.get(f"{url}/healthz", timeout=1)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit("the service did not start")


async def _client(url: str, index: int, until: float, started: float, outcomes: list[Outcome]) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        turn = index
        while time.monotonic() < until:
            query, variables = READS[turn % len(READS)]
            turn += 1
            sent = time.monotonic()
            try:
                response = await http.post(f"{url}/graphql", json={"query": query, "variables": variables})
                status = response.status_code
                body = response.json()
                errors = body.get("errors") or []
                code = ",".join(sorted({str(e.get("extensions", {}).get("code")) for e in errors})) if errors else ""
            except (httpx.HTTPError, ValueError) as error:
                status, code = 0, type(error).__name__
            outcomes.append(Outcome(sent - started, status, code, time.monotonic() - sent))


async def _cut(database_url: str) -> int:
    """Terminates every other backend of the service's database; how many."""
    connection = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        rows = await connection.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
    finally:
        await connection.close()
    return len(rows)


def _report(outcomes: list[Outcome], cuts: list[tuple[float, int]], recovery_limit: float) -> bool:
    ok = True
    bad = [o for o in outcomes if o.status == 500 or (o.status != 200 and not o.code)]
    if bad:
        ok = False
        print(f"FAIL: {len(bad)} answers were a 500 or had no code: {Counter((o.status, o.code) for o in bad)}")
    for number, (at, killed) in enumerate(cuts, 1):
        until = cuts[number][0] if number < len(cuts) else float("inf")
        window = sorted((o for o in outcomes if at <= o.at < until), key=lambda o: o.at)
        failed = [o for o in window if o.status != 200 or o.code]
        last_failure = max((o.at for o in failed), default=at)
        recovered = next((o.at for o in window if o.at > last_failure and o.status == 200 and not o.code), None)
        recovery = (recovered - at) if recovered is not None else None
        print(f"cut {number} at {at:.1f} s: {killed} backends terminated")
        print(f"  failed requests: {len(failed)} {dict(Counter((o.status, o.code) for o in failed))}")
        print(f"  recovered after: {'never' if recovery is None else f'{recovery:.2f} s'}")
        if recovery is None or recovery > recovery_limit:
            ok = False
    latencies = sorted(o.seconds * 1000 for o in outcomes if o.status == 200)
    if latencies:
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        print(
            f"requests: {len(outcomes)}, succeeded: {len(latencies)}, p50 {statistics.median(latencies):.1f} ms, "
            f"p99 {p99:.1f} ms, worst {latencies[-1]:.1f} ms"
        )
    print("PASS" if ok else "FAIL")
    return ok


async def main() -> int:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("make soak needs DATABASE_URL=postgres://… (with the directory's data loaded)")
    seconds = float(os.environ.get("SOAK_SECONDS", "60"))
    workers = int(os.environ.get("WORKERS", "2"))
    concurrency = int(os.environ.get("SOAK_CONCURRENCY", "8"))
    recovery_limit = float(os.environ.get("SOAK_RECOVERY", "10"))
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = _serve(database_url, port, workers)
    try:
        await _wait_ready(url, time.monotonic() + 60)
        print(f"soak: {workers} workers on {url}, {concurrency} clients for {seconds:g} s, backends cut twice")
        outcomes: list[Outcome] = []
        started = time.monotonic()
        until = started + seconds
        clients = [asyncio.create_task(_client(url, i, until, started, outcomes)) for i in range(concurrency)]
        cuts = []
        for fraction in (1 / 3, 2 / 3):
            await asyncio.sleep(max(0.0, started + seconds * fraction - time.monotonic()))
            cuts.append((time.monotonic() - started, await _cut(database_url)))
        await asyncio.gather(*clients)
        return 0 if _report(outcomes, cuts, recovery_limit) else 1
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(5)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
