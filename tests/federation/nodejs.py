"""Finding Node.js and the Apollo packages of package.json for the federation tests.

Tests that need them skip with the reason when they are missing, unless
REQUIRE_NODE=1, which makes them fail instead (set it in CI).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent
PACKAGES = ("@apollo/composition", "@apollo/gateway", "@apollo/server", "@apollo/subgraph", "graphql")


def require_node() -> str:
    """The path of ``node``; skips (or fails with REQUIRE_NODE=1) when it or a package is missing."""
    node = shutil.which("node")
    missing = [name for name in PACKAGES if not (ROOT / "node_modules" / name / "package.json").is_file()]
    if node is None:
        reason = "needs Node.js: `node` is not on PATH"
    elif missing:
        reason = f"needs the npm packages of package.json (run `npm ci`); missing: {', '.join(missing)}"
    else:
        return node
    if os.environ.get("REQUIRE_NODE") == "1":
        pytest.fail(f"REQUIRE_NODE=1 but the test {reason}")
    pytest.skip(reason)


def node_env(**values: str) -> dict[str, str]:
    """The environment for a Node.js process: no Apollo GraphOS credentials, so nothing leaves the machine."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("APOLLO_")}
    env.update(values)
    return env


def compose(*subgraphs: tuple[str, Path], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Runs compose.mjs on (name, SDL file) pairs; its stdout is the JSON report."""
    args = [f"{name}={path}" for name, path in subgraphs]
    return subprocess.run(
        [require_node(), str(HERE / "compose.mjs"), *args],
        cwd=ROOT,
        env=node_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
