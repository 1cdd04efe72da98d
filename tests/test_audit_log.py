"""auditLog: for staff and administrators only, newest first, filtered, paged with the directory's cursors;
key changes made on the command line are in it too."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio

import models
from datatools import keys as key_commands
from domain.ids import global_id
from tests.conftest import TEST_KEY_SECRET
from tests.factories import scratch
from tests.support.writes import make_keys, post, post_raw

LOG = """query($filter: AuditLogFilter, $first: Int, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { number operation objectType objectId objectNumber keyId role actor personal before after }
  }
}"""
OFFICE_CREATE = "mutation($input: OfficeInput!) { officeCreate(input: $input) { office { id } userErrors { code } } }"
OFFICE_UPDATE = (
    "mutation($id: ID!, $version: Int!, $input: OfficeInput!) "
    "{ officeUpdate(id: $id, version: $version, input: $input) { office { version } userErrors { code } } }"
)
FOCAL_POINT_CREATE = "mutation($input: FocalPointInput!) { focalPointCreate(input: $input) { focalPoint { id } userErrors { code } } }"


@dataclass
class History:
    keys: dict[str, str]
    admin_key_id: int
    office: str
    focal_point: str


@pytest_asyncio.fixture(scope="module")
async def history(client: httpx.AsyncClient) -> AsyncIterator[History]:
    async with scratch("audit") as rows:
        organization = await rows.organization("log subject")
        async for keys in make_keys("audit"):
            admin = keys["admin"]
            office = (await post(client, OFFICE_CREATE, {"input": {"name": "Logged Unit", "kind": "UNIT"}}, admin))["officeCreate"]
            office_id = office["office"]["id"]
            for version, city in enumerate(("Graz", "Linz"), start=1):
                await post(client, OFFICE_UPDATE, {"id": office_id, "version": version, "input": {"acronym": city}}, admin)
            made = await post(
                client,
                FOCAL_POINT_CREATE,
                {"input": {"organization": global_id("Organization", organization.id), "name": "Logged Person", "email": "lp@example.org"}},
                admin,
            )
            key_id = (await models.ApiKey.get(name="audit admin")).id
            yield History(keys, key_id, office_id, made["focalPointCreate"]["focalPoint"]["id"])


async def _log(client: httpx.AsyncClient, key: str | None, **variables: Any) -> dict[str, Any]:
    return await post_raw(client, LOG, variables, key)


@pytest.mark.parametrize("role", ["anonymous", "coalition"])
async def test_only_staff_and_administrators_read_the_log(client: httpx.AsyncClient, history: History, role: str) -> None:
    answer = await _log(client, history.keys.get(role))
    assert answer["data"] == {"auditLog": None}
    assert [(error["path"], error["extensions"]["code"]) for error in answer["errors"]] == [(["auditLog"], "FORBIDDEN")]


async def test_an_objects_history_newest_first_with_before_and_after(client: httpx.AsyncClient, history: History) -> None:
    answer = await _log(client, history.keys["staff"], filter={"object": history.office})
    assert "errors" not in answer
    log = answer["data"]["auditLog"]
    assert log["totalCount"] == 3
    assert [(n["operation"], n["before"], n["after"]) for n in log["nodes"]] == [
        ("officeUpdate", {"acronym": "Graz", "version": 2}, {"acronym": "Linz", "version": 3}),
        ("officeUpdate", {"acronym": None, "version": 1}, {"acronym": "Graz", "version": 2}),
        ("officeCreate", None, {"slug": "logged-unit", "name": "Logged Unit", "kind": "UNIT"}),
    ]
    newest = log["nodes"][0]
    assert (newest["objectType"], newest["objectId"], newest["keyId"], newest["role"], newest["actor"], newest["personal"]) == (
        "Office", history.office, history.admin_key_id, "ADMIN", "audit admin", False
    )


async def test_pages_follow_the_cursor(client: httpx.AsyncClient, history: History) -> None:
    seen: list[int] = []
    after = None
    for _ in range(4):
        log = (await _log(client, history.keys["admin"], filter={"key": history.admin_key_id}, first=2, after=after))["data"]["auditLog"]
        seen.extend(node["number"] for node in log["nodes"])
        if not log["pageInfo"]["hasNextPage"]:
            break
        after = log["pageInfo"]["endCursor"]
    assert len(seen) == 4 and seen == sorted(seen, reverse=True)
    bad = await _log(client, history.keys["admin"], after="not-a-cursor")
    assert [error["extensions"]["code"] for error in bad["errors"]] == ["INVALID_CURSOR"]


async def test_filters_by_operation_type_and_time(client: httpx.AsyncClient, history: History) -> None:
    staff = history.keys["staff"]
    updates = (await _log(client, staff, filter={"operation": "officeUpdate", "key": history.admin_key_id}))["data"]["auditLog"]
    assert [node["operation"] for node in updates["nodes"]] == ["officeUpdate", "officeUpdate"]
    future = (await _log(client, staff, filter={"since": "2999-01-01T00:00:00+00:00"}))["data"]["auditLog"]
    assert future["nodes"] == [] and future["totalCount"] == 0
    past = (await _log(client, staff, filter={"until": "2000-01-01T00:00:00+00:00"}))["data"]["auditLog"]
    assert past["nodes"] == []
    recent = (await _log(client, staff, filter={"since": "2000-01-01T00:00:00+00:00", "key": history.admin_key_id}))["data"]
    assert recent["auditLog"]["totalCount"] == 4
    naive = await _log(client, staff, filter={"since": "2026-01-01T00:00:00"})
    assert [error["extensions"]["code"] for error in naive["errors"]] == ["BAD_USER_INPUT"]
    forged = await _log(client, staff, filter={"object": "bm90IGFuIGlk"})
    assert [error["extensions"]["code"] for error in forged["errors"]] == ["INVALID_ID"]


async def test_personal_data_in_the_log_is_marked_and_shown_to_staff(client: httpx.AsyncClient, history: History) -> None:
    log = (await _log(client, history.keys["staff"], filter={"object": history.focal_point}))["data"]["auditLog"]
    (entry,) = log["nodes"]
    assert (entry["operation"], entry["objectType"], entry["personal"]) == ("focalPointCreate", "FocalPoint", True)
    assert entry["after"]["email"] == "lp@example.org"


async def test_the_privacy_rule_of_log_entries_is_the_rule_of_personal_data(history: History) -> None:
    """The log's personal values are shown exactly to those ``domain.access`` lets read the organization's
    personal data: a coalition reader of its own members' entries would see them, of others' not."""
    from domain.access import Role, Viewer
    from domain.errors import Forbidden
    from resolvers.audit import AuditRow, values_of

    entry = await models.AuditEntry.get(operation="focalPointCreate", actor="audit admin")
    owner = (await models.FocalPoint.get(id=entry.object_id)).organization_id

    class Info:
        def __init__(self, viewer: Viewer) -> None:
            self.context = type("Context", (), {"viewer": viewer})()

    row = AuditRow(entry, owner)
    assert values_of(row, Info(Viewer(Role.STAFF)), "after")["name"] == "Logged Person"  # type: ignore[arg-type]
    assert values_of(row, Info(Viewer(Role.COALITION, 1, frozenset({owner}))), "after") is not None  # type: ignore[arg-type]
    with pytest.raises(Forbidden):
        values_of(row, Info(Viewer(Role.COALITION, 1, frozenset({owner + 1}))), "after")  # type: ignore[arg-type]


async def test_key_changes_on_the_command_line_are_in_the_log(client: httpx.AsyncClient, history: History) -> None:
    printed = await key_commands.create(TEST_KEY_SECRET, "audited command key", "STAFF", None)
    match = re.search(r"key (\d+) made", printed)
    assert match is not None
    key_id = int(match.group(1))
    try:
        await key_commands.revoke(key_id)
        log = (await _log(client, history.keys["staff"], filter={"objectType": "ApiKey"}))["data"]["auditLog"]
        mine = [node for node in log["nodes"] if node["objectNumber"] == key_id]
        assert [(n["operation"], n["role"], n["actor"], n["keyId"], n["objectId"]) for n in mine] == [
            ("keys revoke", "ADMIN", "command line", None, None),
            ("keys create", "ADMIN", "command line", None, None),
        ]
        created = mine[1]["after"]
        assert created["name"] == "audited command key" and created["role"] == "STAFF"
        assert "digest" not in created and not any("udk_" in str(value) and len(str(value)) > 20 for value in created.values())
        assert mine[0]["before"] == {"revokedAt": None} and mine[0]["after"]["revokedAt"] is not None
    finally:
        await models.AuditEntry.filter(object_type="ApiKey", object_id=key_id).delete()
        await models.ApiKey.filter(id=key_id).delete()
