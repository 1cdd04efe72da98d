"""``extensions.stats.dbMs``: the wall time during which the database worked for a request, never more than the request."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from tortoise import Tortoise

from db.meter import metering
from tests.conftest import RESOLVERS, GraphQLClient

COUNT_TO = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000) SELECT count(*) FROM c"
"""A statement that keeps the database busy for a few milliseconds."""


async def test_overlapping_statements_count_their_wall_time_once(app: Any) -> None:
    connection = Tortoise.get_connection("default")
    started = time.perf_counter()
    with metering() as meter:
        await asyncio.gather(*(connection.execute_query(COUNT_TO) for _ in range(8)))
    wall_ms = (time.perf_counter() - started) * 1000
    assert meter.statements == 8
    assert 0 < meter.milliseconds <= wall_ms


async def test_db_time_of_a_request_is_within_its_total_time(gql: GraphQLClient) -> None:
    aliases = " ".join(
        f'a{i}: organizations(filter: {{ search: "{word}" }}) {{ totalCount }}'
        for i, word in enumerate(["vienna", "drugs", "crime", "corruption", "network", "women", "justice", "human"] * 3)
    )
    response = await gql.http.post(
        "/graphql", json={"query": "{ " + aliases + " }"}, headers={"X-Directory-Stats": "1", **RESOLVERS}
    )
    stats = response.json()["extensions"]["stats"]
    assert stats["sqlStatements"] >= 24
    assert 0 < stats["dbMs"] <= stats["totalMs"]
