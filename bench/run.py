"""Throughput and latency of typical queries, over HTTP on loopback.

    python bench/run.py [--requests 2000] [--concurrency 16] [--database-url URL]

Starts the service with uvicorn on a free 127.0.0.1 port against a database
that it migrates and loads (a temporary SQLite file unless --database-url is
given), sends a bounded number of requests per query shape, and prints
requests per second and p50/p95/p99 latency. It stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent

SHAPES = {
    "organization by slug": '{ organization(slug: "uncac-coalition") { name acronym country { name } } }',
    "list page (20)": "{ organizations(first: 20) { totalCount nodes { slug name kind country { code } } } }",
    "nested three levels": """{ organizations(first: 20) { nodes { name members { member { name
        networks { network { name } } organizedEvents { event { name } } } } } } }""",
    "events with dates": "{ events(first: 20) { nodes { name kind format languages dates { startDate endDate } } } }",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(database_url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": database_url, "HOST": "127.0.0.1", "PORT": str(port)}
    for command in ("migrate", "load-data"):
        subprocess.run([sys.executable, "manage.py", command], cwd=ROOT, env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "server:create_app", "--factory", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the service did not start within 30 s")


async def _measure(url: str, query: str, requests: int, concurrency: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    remaining = iter(range(requests))
    async with httpx.AsyncClient(timeout=30) as client:

        async def worker() -> None:
            for _ in remaining:
                started = time.perf_counter()
                response = await client.post(url, json={"query": query})
                latencies.append(time.perf_counter() - started)
                assert response.status_code == 200 and "errors" not in response.json(), response.text

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - started, latencies


def _percentile(values: list[float], fraction: float) -> float:
    return statistics.quantiles(values, n=100)[int(fraction * 100) - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        database_url = args.database_url or f"sqlite://{scratch}/bench.sqlite3"
        port = _free_port()
        server = _start(database_url, port)
        try:
            url = f"http://127.0.0.1:{port}/graphql"
            print(f"database: {database_url.split('@')[-1]}  requests/shape: {args.requests}  concurrency: {args.concurrency}")
            print(f"{'shape':<24} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
            for name, query in SHAPES.items():
                asyncio.run(_measure(url, query, min(100, args.requests), args.concurrency))  # warm-up
                elapsed, latencies = asyncio.run(_measure(url, query, args.requests, args.concurrency))
                print(
                    f"{name:<24} {args.requests / elapsed:>8.0f} {_percentile(latencies, 0.5):>8.1f} "
                    f"{_percentile(latencies, 0.95):>8.1f} {_percentile(latencies, 0.99):>8.1f}"
                )
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
