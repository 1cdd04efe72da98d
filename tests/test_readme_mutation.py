"""The mutation example of README's "Changing the directory" answers, for an administrator, exactly the JSON the
README shows under it, and writes nothing (tests/test_readme.py runs it anonymously: FORBIDDEN)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio

import models
from tests.support.writes import make_keys, post, snapshot
from tests.test_readme import README

SECTION = README.read_text(encoding="utf-8").split("## Changing the directory", 1)[1].split("\n## ", 1)[0]
EXAMPLE = re.search(r"```graphql\n(mutation.*?)```.*?```json\n(.*?)```", SECTION, flags=re.DOTALL)


@pytest_asyncio.fixture(scope="module")
async def keys(app: Any) -> AsyncIterator[dict[str, str]]:
    async for made in make_keys("readme"):
        yield made


async def test_the_readme_mutation_answers_what_the_readme_shows(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    assert EXAMPLE is not None, "the section shows a mutation and its answer"
    query, shown = EXAMPLE.groups()
    before = await snapshot(models.Event, models.EventDate, models.AuditEntry)
    assert await post(client, query, {}, keys["admin"]) == json.loads(shown)
    anonymous = await post(client, query, {}, None)
    assert [error["code"] for error in anonymous["eventCreate"]["userErrors"]] == ["FORBIDDEN"]
    assert await snapshot(models.Event, models.EventDate, models.AuditEntry) == before
