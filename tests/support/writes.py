"""What the mutation tests share: keys of every role, posting a mutation once, reading the rows back, cleaning up.

Mutations are sent once each (``post``): the differential helper would send them twice.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
from tortoise.models import Model

import models
from domain.text import ENTITY_TYPES
from models.enums import KeyRole
from services.keys import create_key
from services.search_index import reindex
from tests.conftest import TEST_KEY_SECRET

CREATED: list[tuple[str, type[Model]]] = [
    ("Participation", models.Participation),
    ("FocalPoint", models.FocalPoint),
    ("Event", models.Event),
    ("ApplicationCall", models.ApplicationCall),
    ("Office", models.Office),
]
"""What the tests create, in the order it is removed again (what points at a row goes first)."""


async def make_keys(prefix: str, network: str = "uncac-coalition") -> AsyncIterator[dict[str, str]]:
    """Keys for every role (yielded by role), and afterwards the removal of everything they wrote."""
    made = {
        "admin": await create_key(TEST_KEY_SECRET, f"{prefix} admin", KeyRole.ADMIN),
        "other admin": await create_key(TEST_KEY_SECRET, f"{prefix} other admin", KeyRole.ADMIN),
        "staff": await create_key(TEST_KEY_SECRET, f"{prefix} staff", KeyRole.STAFF),
        "coalition": await create_key(TEST_KEY_SECRET, f"{prefix} coalition", KeyRole.COALITION, network),
    }
    yield {role: new.key for role, new in made.items()}
    ids = [new.record.id for new in made.values()]
    for object_type, model in CREATED:
        created = await models.AuditEntry.filter(
            key_id__in=ids, object_type=object_type, operation__endswith="Create"
        ).values("object_id")
        object_ids: list[int] = sorted({row["object_id"] for row in created if row["object_id"] is not None}, reverse=True)
        for object_id in object_ids:
            await model.filter(id=object_id).delete()
        if object_type in ENTITY_TYPES and object_ids:
            await reindex(object_type, object_ids)  # their search documents go with them
    await models.AuditEntry.filter(key_id__in=ids).delete()
    await models.ApiKey.filter(id__in=ids).delete()


async def post(client: httpx.AsyncClient, query: str, variables: dict[str, Any], key: str | None) -> dict[str, Any]:
    """The data of a mutation sent once; fails on GraphQL errors."""
    body = await post_raw(client, query, variables, key)
    assert "errors" not in body, body
    return dict(body["data"])


async def post_raw(client: httpx.AsyncClient, query: str, variables: dict[str, Any], key: str | None) -> dict[str, Any]:
    """The whole answer of a request sent once (errors included)."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def codes(payload: dict[str, Any]) -> list[tuple[tuple[str, ...] | None, str]]:
    """The (field, code) of each user error of a payload, sorted."""
    found = [(tuple(error["field"]) if error["field"] else None, error["code"]) for error in payload["userErrors"]]
    return sorted(found, key=lambda item: (item[0] or (), item[1]))


async def snapshot(*tables: type[Model]) -> list[list[dict[str, Any]]]:
    """Every row of these tables, to show that a refused write changed nothing."""
    return [list(await table.all().order_by("id").values()) for table in tables]
