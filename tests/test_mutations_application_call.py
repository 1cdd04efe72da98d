"""applicationCallCreate, applicationCallUpdate, applicationCallArchive: instants with offsets, in order; who may."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

import models
from tests.support.writes import codes, make_keys, post, snapshot

FIELDS = (
    "applicationCall { id slug name opensAt closesAt ecosocStatusRequired version archivedAt "
    'isOpen(at: "2030-02-01T12:00:00+01:00") } userErrors { field message code }'
)
CREATE = f"mutation($input: ApplicationCallInput!) {{ applicationCallCreate(input: $input) {{ {FIELDS} }} }}"
UPDATE = (
    "mutation($id: ID!, $version: Int!, $input: ApplicationCallInput!) "
    f"{{ applicationCallUpdate(id: $id, version: $version, input: $input) {{ {FIELDS} }} }}"
)
ARCHIVE = f"mutation($id: ID!, $version: Int!) {{ applicationCallArchive(id: $id, version: $version) {{ {FIELDS} }} }}"
WINDOW = {"opensAt": "2030-01-09T00:00:00+01:00", "closesAt": "2030-02-12T23:59:00+01:00"}


@pytest_asyncio.fixture(scope="module")
async def keys(app: Any) -> AsyncIterator[dict[str, str]]:
    async for made in make_keys("call"):
        yield made


async def _create(client: httpx.AsyncClient, key: str, **values: Any) -> dict[str, Any]:
    payload = (await post(client, CREATE, {"input": {"source": "test", **values}}, key))["applicationCallCreate"]
    assert payload["userErrors"] == [], payload
    return dict(payload["applicationCall"])


async def test_an_administrator_opens_a_call(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    call = await _create(client, keys["admin"], name="CND 73 side events", ecosocStatusRequired=True, **WINDOW)
    assert (call["slug"], call["opensAt"], call["closesAt"], call["isOpen"], call["version"]) == (
        "cnd-73-side-events", "2030-01-09T00:00:00+01:00", "2030-02-12T23:59:00+01:00", True, 1
    )
    stored = await models.ApplicationCall.get(slug=call["slug"])
    assert stored.closes_at is not None and stored.closes_at.isoformat().startswith("2030-02-12T22:59:00")


@pytest.mark.parametrize("role", ["anonymous", "staff", "coalition"])
async def test_only_administrators_change_calls(client: httpx.AsyncClient, keys: dict[str, str], role: str) -> None:
    before = await snapshot(models.ApplicationCall, models.AuditEntry)
    payload = (await post(client, CREATE, {"input": {"name": "Refused call"}}, keys.get(role)))["applicationCallCreate"]
    assert codes(payload) == [(None, "FORBIDDEN")] and payload["applicationCall"] is None
    assert await snapshot(models.ApplicationCall, models.AuditEntry) == before


async def test_every_problem_is_reported_and_nothing_is_written(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    before = await snapshot(models.ApplicationCall, models.AuditEntry)
    bad = {"name": "x" * 256, "slug": "-bad-", "opensAt": "2030-01-09T00:00:00", "reviewedBy": "y" * 201}
    payload = (await post(client, CREATE, {"input": bad}, keys["admin"]))["applicationCallCreate"]
    assert codes(payload) == [
        (("input", "name"), "INVALID"),
        (("input", "opensAt"), "INVALID_DATE"),
        (("input", "reviewedBy"), "INVALID"),
        (("input", "slug"), "INVALID"),
    ]
    backwards = {"name": "Backwards", "opensAt": WINDOW["closesAt"], "closesAt": WINDOW["opensAt"]}
    payload = (await post(client, CREATE, {"input": backwards}, keys["admin"]))["applicationCallCreate"]
    assert codes(payload) == [(("input", "closesAt"), "DATE_ORDER")]
    assert await snapshot(models.ApplicationCall, models.AuditEntry) == before


async def test_a_deadline_is_checked_against_the_stored_opening(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    call = await _create(client, keys["admin"], name="Ordered call", **WINDOW)
    early = {"closesAt": "2030-01-01T00:00:00+01:00"}
    payload = (await post(client, UPDATE, {"id": call["id"], "version": 1, "input": early}, keys["admin"]))["applicationCallUpdate"]
    assert codes(payload) == [(("input", "closesAt"), "DATE_ORDER")]


async def test_a_stale_update_is_refused_and_the_change_audited(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    call = await _create(client, keys["admin"], name="Audited call", **WINDOW)
    later = {"closesAt": "2030-02-19T23:59:00+01:00"}
    done = (await post(client, UPDATE, {"id": call["id"], "version": 1, "input": later}, keys["other admin"]))["applicationCallUpdate"]
    assert done["userErrors"] == [] and done["applicationCall"]["version"] == 2
    stale = (await post(client, UPDATE, {"id": call["id"], "version": 1, "input": {"name": "Renamed"}}, keys["admin"]))
    (error,) = stale["applicationCallUpdate"]["userErrors"]
    assert error["code"] == "CONFLICT" and "closesAt" in error["message"]
    row = await models.ApplicationCall.get(slug=call["slug"])
    entry = await models.AuditEntry.filter(object_type="ApplicationCall", object_id=row.id, operation="applicationCallUpdate").get()
    assert entry.before == {"closes_at": "2030-02-12T22:59:00+00:00", "version": 1}
    assert entry.after == {"closes_at": "2030-02-19T22:59:00+00:00", "version": 2}
    assert row.name == "Audited call"


async def test_an_archived_call_leaves_public_reads(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    call = await _create(client, keys["admin"], name="Withdrawn call", **WINDOW)
    archived = (await post(client, ARCHIVE, {"id": call["id"], "version": 1}, keys["admin"]))["applicationCallArchive"]
    assert archived["userErrors"] == [] and archived["applicationCall"]["archivedAt"] is not None
    lookup = {"query": f'{{ applicationCall(slug: "{call["slug"]}") {{ slug }} }}'}
    assert (await client.post("/graphql", json=lookup)).json()["data"] == {"applicationCall": None}
    staff = await client.post("/graphql", json=lookup, headers={"Authorization": f"Bearer {keys['staff']}"})
    assert staff.json()["data"] == {"applicationCall": {"slug": call["slug"]}}


async def test_a_calls_slug_is_unique(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    call = await _create(client, keys["admin"], name="Unique call")
    payload = (await post(client, CREATE, {"input": {"name": "Other call", "slug": call["slug"]}}, keys["admin"]))
    assert codes(payload["applicationCallCreate"]) == [(("input", "slug"), "TAKEN")]
