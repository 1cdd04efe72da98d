"""The service as uvicorn serves it (``manage.py serve``, a real process on 127.0.0.1): GraphQL over HTTP and slow clients.

The graphql-http audit (npm ``graphql-http``, ``tests/node/audit_server.mjs``)
must pass every MUST and every SHOULD. Clients that send their headers or
their body a byte a second are cut off after ``HEADER_TIMEOUT`` and
``BODY_TIMEOUT`` (set to one second here). These tests use SQLite: the
transport does not depend on the database.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 30.0
SLOW_TIMEOUT = 1.0
"""HEADER_TIMEOUT and BODY_TIMEOUT of the server under test, in seconds."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def served(backend: str, database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a running ``manage.py serve`` on the test session's migrated SQLite database."""
    if backend != "sqlite":
        pytest.skip("the transport does not depend on the database: SQLite only")
    folder = tmp_path_factory.mktemp("served")
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "HEADER_TIMEOUT": str(SLOW_TIMEOUT),
        "BODY_TIMEOUT": str(SLOW_TIMEOUT),
        "KEEP_ALIVE_TIMEOUT": str(SLOW_TIMEOUT),
    }
    log = folder / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "serve"], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the server did not start:\n{log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{url}/healthz", timeout=1.0).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def _node() -> str:
    node = shutil.which("node")
    if node is not None and (ROOT / "node_modules" / "graphql-http" / "package.json").is_file():
        return node
    reason = "needs Node.js and the npm package graphql-http (run `npm ci`)"
    if os.environ.get("REQUIRE_NODE") == "1":
        pytest.fail(f"REQUIRE_NODE=1 but the test {reason}")
    pytest.skip(reason)


@pytest.mark.node
def test_graphql_over_http_audit_passes(served: str) -> None:
    """Every MUST and SHOULD of the graphql-http audit; the MAYs are the server's choice."""
    audit = subprocess.run(
        [_node(), str(ROOT / "tests" / "node" / "audit_server.mjs"), f"{served}/graphql"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert audit.returncode == 0, audit.stderr
    results = json.loads(audit.stdout)
    failures = [
        f"{result['name']}: {result.get('reason')} {result.get('response', '')}"
        for result in results
        if result["status"] != "ok" and not result["name"].startswith("MAY")
    ]
    assert not failures, "\n".join(failures)
    assert sum(result["name"].startswith("MUST") for result in results) >= 10


def _cut_within(connection: socket.socket, seconds: float, drip: bytes) -> tuple[float, bytes]:
    """Sends ``drip`` a byte a second until the server closes; (seconds until then, what it answered)."""
    connection.settimeout(0.2)
    started = time.monotonic()
    received = b""
    for byte in drip:
        try:
            connection.sendall(bytes([byte]))
        except OSError:
            return time.monotonic() - started, received
        step = time.monotonic()
        while time.monotonic() - step < 1.0:
            try:
                chunk = connection.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return time.monotonic() - started, received
            if not chunk:
                return time.monotonic() - started, received
            received += chunk
        if time.monotonic() - started > seconds:
            break
    return time.monotonic() - started, received


def test_slow_headers_are_cut_off(served: str) -> None:
    port = int(served.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(b"GET /healthz HTTP/1.1\r\n")
        elapsed, answer = _cut_within(connection, SLOW_TIMEOUT + 4, b"Host: 127.0.0.1\r\nX-Slow: " + b"a" * 20)
    assert elapsed < SLOW_TIMEOUT + 3, "a connection dripping its headers stayed open"
    assert answer == b""


def test_a_silent_connection_is_closed(served: str) -> None:
    port = int(served.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.settimeout(SLOW_TIMEOUT + 3)
        assert connection.recv(1024) == b""


def test_a_slow_body_gets_408_and_is_cut_off(served: str) -> None:
    port = int(served.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(
            b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n"
        )
        elapsed, answer = _cut_within(connection, SLOW_TIMEOUT + 4, b'{"query": "{ __typename }"}' + b" " * 13)
    assert elapsed < SLOW_TIMEOUT + 3, "a connection dripping its body stayed open"
    assert answer.startswith(b"HTTP/1.1 408"), answer
    assert b'"code":"BODY_TIMEOUT"' in answer
