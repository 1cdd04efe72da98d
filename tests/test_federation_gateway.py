"""End to end through @apollo/gateway: this service, a second subgraph and the gateway, each a real process.

The directory runs as ``manage.py migrate``, ``load-data`` and ``serve`` on a temporary
SQLite file with the fixture data (one organization is then hidden); the reviews subgraph
(tests/federation/reviews-subgraph.mjs) and the gateway (tests/federation/gateway.mjs)
run on Node.js. Everything listens on 127.0.0.1 only. These tests always use SQLite:
they check the federation wiring, which does not depend on the database, so a
PostgreSQL run of the suite does not repeat them.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.factories import global_id
from tests.federation.nodejs import HERE, ROOT, node_env, require_node

pytestmark = pytest.mark.node

START_TIMEOUT = 180.0
"""Seconds a process may take to answer its first request."""
STOP_TIMEOUT = 10.0
REQUEST_TIMEOUT = 10.0
COALITION = "uncac-coalition"
UNKNOWN_ORGANIZATION = global_id("Organization", 987654321)
REVIEWS = [
    {"rating": 5, "comment": "Brings civil society to every review cycle.", "author": "reviewer-1"},
    {"rating": 4, "comment": "Useful guides for parallel reports.", "author": "reviewer-2"},
]
PROFILE = {"summary": "Side event on civil society participation.", "attendance": 120}


@dataclass
class Server:
    """A process of the test supergraph, with its log file."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path
    url: str

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- last lines of the {self.name} log ---\n" + "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()  # the Node.js servers exit when their stdin closes
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(STOP_TIMEOUT)


@dataclass
class Supergraph:
    """The running processes and what the directory said about the entities the tests use."""

    servers: list[Server] = field(default_factory=list)
    gateway_url: str = ""
    coalition: dict[str, Any] = field(default_factory=dict)
    other: dict[str, Any] = field(default_factory=dict)
    hidden_id: str = ""
    events: list[dict[str, Any]] = field(default_factory=list)

    def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The gateway's response body to a query."""
        response = httpx.post(
            self.gateway_url, json={"query": query, "variables": variables or {}}, timeout=REQUEST_TIMEOUT
        )
        assert response.status_code == 200, response.text
        assert "Traceback" not in response.text and "stacktrace" not in response.text, response.text
        return dict(response.json())

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The ``data`` of a response without errors."""
        body = self.post(query, variables)
        assert "errors" not in body, body["errors"]
        return dict(body["data"])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(
    supergraph: Supergraph,
    name: str,
    command: list[str],
    env: dict[str, str],
    logs: Path,
    url: str,
    ready: Callable[[str], bool],
) -> Server:
    """Starts a server and polls ``ready(url)`` until it answers, the process dies, or START_TIMEOUT passes."""
    log = logs / f"{name}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=output, stderr=subprocess.STDOUT
        )
    server = Server(name, process, log, url)
    supergraph.servers.append(server)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{name} exited with status {process.returncode} before answering\n{server.log_tail()}")
        try:
            if ready(url):
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    pytest.fail(f"{name} did not answer at {url} within {START_TIMEOUT} s\n{server.log_tail()}")


def _answers_graphql(url: str) -> bool:
    return httpx.post(url, json={"query": "{ __typename }"}, timeout=1.0).status_code == 200


def _healthy(url: str) -> bool:
    return httpx.get(url.replace("/graphql", "/healthz"), timeout=1.0).status_code == 200


def _manage(command: str, env: dict[str, str]) -> None:
    """Runs ``manage.py COMMAND`` to completion, within START_TIMEOUT."""
    result = subprocess.run(
        [sys.executable, "manage.py", command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, (
        f"manage.py {command} exited with status {result.returncode}\n{result.stderr[-3000:]}"
    )


def _hide_an_organization(database: Path) -> tuple[int, int]:
    """Primary keys of a visible organization and of one now hidden, neither of them the coalition."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT id FROM organization WHERE slug != ? AND hidden = 0 ORDER BY id LIMIT 2", (COALITION,)
        ).fetchall()
        assert len(rows) == 2, "the fixture data needs two organizations besides the coalition"
        connection.execute("UPDATE organization SET hidden = 1 WHERE id = ?", (rows[1][0],))
    connection.close()
    return int(rows[0][0]), int(rows[1][0])


def _directory_facts(supergraph: Supergraph, directory_url: str, other_pk: int) -> None:
    """What the directory itself answers, to compare the gateway's answers with."""
    query = """query($slug: String!, $other: ID!) {
      coalition: organization(slug: $slug) { id slug name country { name } }
      other: organization(id: $other) { id slug name country { name } }
      events(first: 2) { nodes { slug name } }
    }"""
    response = httpx.post(
        directory_url,
        json={"query": query, "variables": {"slug": COALITION, "other": global_id("Organization", other_pk)}},
        timeout=REQUEST_TIMEOUT,
    )
    data = response.json()["data"]
    assert data["coalition"] and data["other"] and len(data["events"]["nodes"]) == 2, data
    supergraph.coalition = data["coalition"]
    supergraph.other = data["other"]
    supergraph.events = data["events"]["nodes"]


@pytest.fixture(scope="module")
def supergraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Supergraph]:
    node = require_node()
    logs = tmp_path_factory.mktemp("supergraph")
    database = logs / "directory.sqlite3"
    directory_port, reviews_port, gateway_port = _free_port(), _free_port(), _free_port()
    python_env = {
        **os.environ,
        "DATABASE_URL": f"sqlite://{database}",
        "HOST": "127.0.0.1",
        "PORT": str(directory_port),
        "GRAPHIQL": "0",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    supergraph = Supergraph()
    try:
        _manage("migrate", python_env)
        _manage("load-data", python_env)
        other_pk, hidden_pk = _hide_an_organization(database)
        supergraph.hidden_id = global_id("Organization", hidden_pk)

        directory_url = f"http://127.0.0.1:{directory_port}/graphql"
        _start(
            supergraph, "directory", [sys.executable, "manage.py", "serve"], python_env, logs, directory_url, _healthy
        )
        _directory_facts(supergraph, directory_url, other_pk)

        event = supergraph.events[0]["slug"]
        reviews_data = {
            "reviews": {supergraph.coalition["id"]: REVIEWS},
            "featuredOrganizations": [
                supergraph.other["id"],
                supergraph.coalition["id"],
                supergraph.hidden_id,
                UNKNOWN_ORGANIZATION,
            ],
            "featuredEvent": event,
            "eventProfiles": {event: PROFILE},
        }
        reviews_env = node_env(PORT=str(reviews_port), REVIEWS_DATA=json.dumps(reviews_data), LIFETIME_SECONDS="120")
        reviews_url = f"http://127.0.0.1:{reviews_port}/"
        _start(
            supergraph,
            "reviews",
            [node, str(HERE / "reviews-subgraph.mjs")],
            reviews_env,
            logs,
            reviews_url,
            _answers_graphql,
        )

        subgraphs = [{"name": "directory", "url": directory_url}, {"name": "reviews", "url": reviews_url}]
        gateway_env = node_env(PORT=str(gateway_port), SUBGRAPHS=json.dumps(subgraphs), LIFETIME_SECONDS="120")
        supergraph.gateway_url = f"http://127.0.0.1:{gateway_port}/"
        _start(
            supergraph,
            "gateway",
            [node, str(HERE / "gateway.mjs")],
            gateway_env,
            logs,
            supergraph.gateway_url,
            _answers_graphql,
        )
        yield supergraph
    finally:
        for server in reversed(supergraph.servers):
            server.stop()


def test_reviews_subgraph_adds_fields_to_directory_organizations(supergraph: Supergraph) -> None:
    data = supergraph.data(
        """query($slug: String!) {
             organization(slug: $slug) { name country { name } averageRating reviews { rating comment author } }
           }""",
        {"slug": COALITION},
    )

    coalition = supergraph.coalition
    assert data == {
        "organization": {
            "name": coalition["name"],
            "country": coalition["country"],
            "averageRating": 4.5,
            "reviews": REVIEWS,
        }
    }


def test_directory_resolves_organizations_returned_by_the_reviews_subgraph(supergraph: Supergraph) -> None:
    body = supergraph.post("{ featuredOrganizations { id slug name country { name } averageRating } }")

    other, coalition = supergraph.other, supergraph.coalition
    assert body["data"]["featuredOrganizations"] == [
        {**other, "averageRating": None},
        {**coalition, "averageRating": 4.5},
        None,  # hidden: the directory's `_entities` applies the same visibility as its root fields
        None,  # unknown ID
    ]
    assert "errors" not in body, body["errors"]
    # The gateway explains the nulls in extensions.valueCompletion, for those two items only.
    explained = {tuple(note["path"][:2]) for note in body.get("extensions", {}).get("valueCompletion", ())}
    assert explained <= {("featuredOrganizations", 2), ("featuredOrganizations", 3)}, body["extensions"]


def test_entities_cross_both_ways_by_slug_for_events(supergraph: Supergraph) -> None:
    data = supergraph.data(
        """{
             featuredEvent { slug name profile { summary attendance } }
             events(first: 2) { nodes { slug name profile { summary } } }
           }"""
    )

    first, second = supergraph.events
    assert data["featuredEvent"] == {**first, "profile": PROFILE}
    assert data["events"]["nodes"] == [
        {**first, "profile": {"summary": PROFILE["summary"]}},
        {**second, "profile": None},
    ]
