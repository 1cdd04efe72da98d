"""The three servers the benchmark loads, each one process (one worker) on a free loopback port.

Each runs in its own process group and is stopped (SIGTERM, then SIGKILL) by ``stop()``; the
harness stops every server it started, on failure and on Ctrl-C too, and a server whose harness
was killed outright gets SIGTERM from the kernel (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
START_TIMEOUT = 60.0


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the harness dies, even by SIGKILL (Linux prctl)."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """One started server: its process, port, log file, and where it answers."""

    side: str
    command: list[str]
    env: dict[str, str]
    port: int
    graphql_path: str
    cwd: Path = ROOT
    process: subprocess.Popen[bytes] | None = None
    log_path: Path = field(default_factory=lambda: Path(tempfile.mkstemp(prefix="bench-", suffix=".log")[1]))

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> None:
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            self.command, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=_die_with_parent,
        )
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.side} exited with {self.process.returncode} at start:\n{self.log_tail()}")
            try:
                if httpx.get(self.url("/healthz"), timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"{self.side} did not answer /healthz within {START_TIMEOUT:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        except ProcessLookupError:
            pass

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def wait_idle(self, timeout: float = 60.0) -> float:
        """Wait until the server has no work left (requests a stopped load left in flight); seconds waited.

        wrk abandons its in-flight requests when it stops, and the server still answers them: without
        this, a warm-up's leftovers would be counted against the timed run. Idle: the server's
        processes used at most 5% of a core over two 0.2 s samples in a row.
        """
        if self.process is None:
            return 0.0
        started = time.monotonic()
        quiet = 0
        before = _cpu_ticks(self.process.pid)
        while time.monotonic() - started < timeout and quiet < 2:
            time.sleep(0.2)
            after = _cpu_ticks(self.process.pid)
            quiet = quiet + 1 if after - before <= _TICKS_PER_SECOND * 0.2 * 0.05 else 0
            before = after
        return time.monotonic() - started

    def rss_mb(self) -> float | None:
        """VmRSS of the serving process: the worker processes' when there are any, else the process's own."""
        if self.process is None:
            return None
        pids = _children(self.process.pid) or [self.process.pid]
        total = sum(_rss_kb(pid) or 0 for pid in pids)
        return round(total / 1024, 1) if total else None


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in task.read_text().split()]
        except OSError:
            continue
    return found


_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def _cpu_ticks(pid: int) -> int:
    """User and system CPU ticks of a process and its children (the workers)."""
    total = 0
    for each in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total


def _rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def directory(database_url: str, project: Path = ROOT, *, cache: bool = False, workers: int = 1) -> Server:
    """The service (``project``: this repository unless told otherwise) with uvicorn on uvloop and httptools.

    ``workers`` uvicorn processes (``WORKERS``, BENCH_WORKERS); the response cache only when ``cache``
    (BENCH_CACHE=on), else ``RESPONSE_CACHE=off``, so that the figures are those of answering. Redis is
    never used (``REDIS_URL`` is removed from its environment): each worker caches for itself. Rate limits
    are off (the load generator is one client sending far more than any real one).
    """
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        DATABASE_URL=database_url, WORKERS=str(workers), HOST="127.0.0.1", PORT=str(port),
        RESPONSE_CACHE="on" if cache else "off", RATE_LIMIT_REQUESTS="0", RATE_LIMIT_COST="0",
    )  # fmt: skip
    command = [
        sys.executable, "-m", "uvicorn", "server:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log",
        "--workers", str(workers), "--loop", "uvloop", "--http", "httptools",
    ]  # fmt: skip
    return Server("directory", command, env, port, "/graphql", cwd=project)


def floor(database_url: str, project: Path = ROOT) -> Server:
    """bench/floor.py with uvicorn, one worker; it answers shape B1 at /b1 and so on."""
    port = free_port()
    env = {**os.environ, "FLOOR_DATABASE_URL": database_url}
    command = [
        sys.executable, "-m", "uvicorn", "--app-dir", str(BENCH), "floor:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    return Server("floor", command, env, port, "/{shape}")


def postgraphile(database_url: str, project: Path = ROOT) -> Server:
    """PostGraphile 4 (bench/postgraphile.js) on one Node.js process."""
    port = free_port()
    env = {**os.environ, "NODE_ENV": "production"}
    command = ["node", "--no-deprecation", str(BENCH / "postgraphile.js"), "--database-url", database_url, "--port", str(port)]
    return Server("postgraphile", command, env, port, "/graphql")


FACTORIES = {"directory": directory, "floor": floor, "postgraphile": postgraphile}
