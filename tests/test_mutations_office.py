"""officeCreate, officeUpdate, officeArchive: who may, what is checked, what is recorded, what readers see after."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

import models
from tests.support.writes import codes, make_keys, post, post_raw, snapshot

FIELDS = (
    "office { id slug name kind parent { slug } projectCodes established { edtf precision } version archivedAt } "
    "userErrors { field message code }"
)
CREATE = f"mutation($input: OfficeInput!) {{ officeCreate(input: $input) {{ {FIELDS} }} }}"
UPDATE = (
    "mutation($id: ID!, $version: Int!, $input: OfficeInput!) "
    f"{{ officeUpdate(id: $id, version: $version, input: $input) {{ {FIELDS} }} }}"
)
ARCHIVE = f"mutation($id: ID!, $version: Int!) {{ officeArchive(id: $id, version: $version) {{ {FIELDS} }} }}"


@pytest_asyncio.fixture(scope="module")
async def keys(app: Any) -> AsyncIterator[dict[str, str]]:
    async for made in make_keys("office"):
        yield made


async def _id(client: httpx.AsyncClient, field: str, slug: str) -> str:
    response = await client.post("/graphql", json={"query": f'{{ {field}(slug: "{slug}") {{ id }} }}'})
    return str(response.json()["data"][field]["id"])


async def _create(client: httpx.AsyncClient, key: str, **values: Any) -> dict[str, Any]:
    payload = (await post(client, CREATE, {"input": {"kind": "UNIT", "source": "test", **values}}, key))["officeCreate"]
    assert payload["userErrors"] == [], payload
    return dict(payload["office"])


async def test_an_administrator_creates_an_office_everyone_then_reads(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    csu = await _id(client, "office", "csu")
    office = await _create(
        client, keys["admin"], name="Civil Society Outreach Unit", parent=csu, established="2010-06", projectCodes=["GLOZ99"]
    )
    assert office["slug"] == "civil-society-outreach-unit"
    assert (office["parent"], office["established"], office["version"]) == (
        {"slug": "csu"}, {"edtf": "2010-06", "precision": "MONTH"}, 1
    )
    read = await client.post("/graphql", json={"query": f'{{ office(slug: "{office["slug"]}") {{ name kind projectCodes }} }}'})
    assert read.json()["data"]["office"] == {"name": "Civil Society Outreach Unit", "kind": "UNIT", "projectCodes": ["GLOZ99"]}


@pytest.mark.parametrize("role", ["anonymous", "staff", "coalition"])
async def test_only_administrators_change_offices(client: httpx.AsyncClient, keys: dict[str, str], role: str) -> None:
    before = await snapshot(models.Office, models.AuditEntry)
    csu = await _id(client, "office", "csu")
    created = (await post(client, CREATE, {"input": {"name": f"Refused {role}", "kind": "UNIT"}}, keys.get(role)))
    assert created["officeCreate"]["office"] is None
    assert codes(created["officeCreate"]) == [(None, "FORBIDDEN")]
    updated = await post(client, UPDATE, {"id": csu, "version": 1, "input": {"name": "Renamed"}}, keys.get(role))
    assert codes(updated["officeUpdate"]) == [(None, "FORBIDDEN")]
    archived = await post(client, ARCHIVE, {"id": csu, "version": 1}, keys.get(role))
    assert codes(archived["officeArchive"]) == [(None, "FORBIDDEN")]
    assert await snapshot(models.Office, models.AuditEntry) == before


async def test_every_problem_is_reported_at_once_and_nothing_is_written(
    client: httpx.AsyncClient, keys: dict[str, str]
) -> None:
    before = await snapshot(models.Office, models.AuditEntry)
    organization = await _id(client, "organization", "vngoc")
    bad = {
        "name": " ",
        "slug": "Bad Slug",
        "established": "2010-13",
        "parent": organization,
        "aliases": ["fine", ""],
        "projectCodes": ["X" * 41],
        "source": "test",
    }
    payload = (await post(client, CREATE, {"input": bad}, keys["admin"]))["officeCreate"]
    assert payload["office"] is None
    assert codes(payload) == [
        (("input", "aliases", "1"), "REQUIRED"),
        (("input", "established"), "INVALID_DATE"),
        (("input", "kind"), "REQUIRED"),
        (("input", "name"), "REQUIRED"),
        (("input", "parent"), "INVALID"),
        (("input", "projectCodes", "0"), "INVALID"),
        (("input", "slug"), "INVALID"),
    ]
    parent_error = next(error for error in payload["userErrors"] if error["field"] == ["input", "parent"])
    assert "Organization" in parent_error["message"] and "Office" in parent_error["message"]
    assert await snapshot(models.Office, models.AuditEntry) == before


async def test_a_slug_is_unique_a_parent_exists_and_lists_have_a_limit(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    from domain.ids import global_id

    bad = {"name": "Second CSU", "kind": "UNIT", "slug": "csu", "parent": global_id("Office", 999_999), "aliases": ["a"] * 101}
    payload = (await post(client, CREATE, {"input": bad}, keys["admin"]))["officeCreate"]
    assert codes(payload) == [
        (("input", "aliases"), "TOO_MANY"),
        (("input", "parent"), "NOT_FOUND"),
        (("input", "slug"), "TAKEN"),
    ]


async def test_an_office_cannot_sit_under_its_own_unit(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    top = await _create(client, keys["admin"], name="Cycle Division", kind="DIVISION")
    unit = await _create(client, keys["admin"], name="Cycle Unit", parent=top["id"])
    payload = (await post(client, UPDATE, {"id": top["id"], "version": 1, "input": {"parent": unit["id"]}}, keys["admin"]))
    assert codes(payload["officeUpdate"]) == [(("input", "parent"), "CYCLE")]
    itself = (await post(client, UPDATE, {"id": top["id"], "version": 1, "input": {"parent": top["id"]}}, keys["admin"]))
    assert codes(itself["officeUpdate"]) == [(("input", "parent"), "CYCLE")]
    assert (await models.Office.get(slug=top["slug"])).parent_id is None


async def test_concurrent_updates_cannot_overwrite_each_other(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    office = await _create(client, keys["admin"], name="Race Unit")
    first, second = await asyncio.gather(
        post(client, UPDATE, {"id": office["id"], "version": 1, "input": {"acronym": "RU1"}}, keys["admin"]),
        post(client, UPDATE, {"id": office["id"], "version": 1, "input": {"acronym": "RU2"}}, keys["other admin"]),
    )
    payloads = [first["officeUpdate"], second["officeUpdate"]]
    won = [payload for payload in payloads if payload["office"] is not None]
    lost = [payload for payload in payloads if payload["office"] is None]
    assert len(won) == 1 and len(lost) == 1
    (error,) = lost[0]["userErrors"]
    assert error["code"] == "CONFLICT" and error["field"] == ["version"]
    assert "acronym" in error["message"] and "version 2" in error["message"]
    row = await models.Office.get(slug=office["slug"])
    assert (row.acronym, row.version) == ("RU1" if won[0] is payloads[0] else "RU2", 2)


async def test_each_change_is_in_the_audit_log_with_its_before_and_after(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    office = await _create(client, keys["admin"], name="Audited Unit", established="2011")
    changed = await post(
        client, UPDATE, {"id": office["id"], "version": 1, "input": {"established": "[2010..2011]", "name": "Audited Unit"}}, keys["admin"]
    )
    assert changed["officeUpdate"]["office"]["established"] == {"edtf": "[2010..2011]", "precision": "YEAR"}
    row = await models.Office.get(slug=office["slug"])
    entries = await models.AuditEntry.filter(object_type="Office", object_id=row.id).order_by("id")
    assert [entry.operation for entry in entries] == ["officeCreate", "officeUpdate"]
    assert entries[0].before is None and entries[0].after is not None and entries[0].after["name"] == "Audited Unit"
    update = entries[1]
    assert update.before == {"established_edtf": "2011", "established_earliest": "2011-01-01", "version": 1}
    assert update.after == {"established_edtf": "[2010..2011]", "established_earliest": "2010-01-01", "version": 2}
    assert (update.role, update.actor, update.personal) == ("ADMIN", "office admin", False)


async def test_an_archived_office_leaves_public_reads(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    office = await _create(client, keys["admin"], name="Closing Liaison Office", kind="LIAISON_OFFICE")
    search = {"query": '{ search(query: "Closing Liaison") { totalCount nodes { ... on Office { slug } } } }'}
    found = (await client.post("/graphql", json=search)).json()["data"]["search"]
    assert found == {"totalCount": 1, "nodes": [{"slug": office["slug"]}]}
    archived = (await post(client, ARCHIVE, {"id": office["id"], "version": 1}, keys["admin"]))["officeArchive"]
    assert archived["userErrors"] == [] and archived["office"]["archivedAt"] is not None
    lookup = {"query": f'{{ office(slug: "{office["slug"]}") {{ slug archivedAt }} node(id: "{office["id"]}") {{ id }} }}'}
    public = (await client.post("/graphql", json=lookup)).json()["data"]
    assert public == {"office": None, "node": None}
    listing = {"query": '{ offices(first: 100) { nodes { slug } } search(query: "Closing Liaison") { nodes { __typename } } }'}
    public_list = (await client.post("/graphql", json=listing)).json()["data"]
    assert office["slug"] not in [node["slug"] for node in public_list["offices"]["nodes"]]
    assert public_list["search"]["nodes"] == []
    assert (await client.post("/graphql", json=search)).json()["data"]["search"] == {"totalCount": 0, "nodes": []}
    staff_search = await client.post("/graphql", json=search, headers={"Authorization": f"Bearer {keys['staff']}"})
    assert staff_search.json()["data"]["search"] == found
    staff = (await client.post("/graphql", json=lookup, headers={"Authorization": f"Bearer {keys['staff']}"})).json()
    assert staff["data"]["office"]["archivedAt"] is not None
    again = (await post(client, ARCHIVE, {"id": office["id"], "version": 2}, keys["admin"]))["officeArchive"]
    assert codes(again) == [(("id",), "ARCHIVED")]
    changed = (await post(client, UPDATE, {"id": office["id"], "version": 2, "input": {"name": "X"}}, keys["admin"]))
    assert codes(changed["officeUpdate"]) == [(("id",), "ARCHIVED")]


async def test_an_id_of_another_type_is_refused(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    before = await snapshot(models.Office, models.Organization)
    organization = await _id(client, "organization", "vngoc")
    answer = await post_raw(client, UPDATE, {"id": organization, "version": 1, "input": {"name": "Forged"}}, keys["admin"])
    assert answer["data"] is None
    assert [error["extensions"]["code"] for error in answer["errors"]] == ["INVALID_ID"]
    assert await snapshot(models.Office, models.Organization) == before


async def test_a_field_that_always_has_a_value_cannot_be_cleared(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    office = await _create(client, keys["admin"], name="Uncleared Unit")
    before = await snapshot(models.Office, models.AuditEntry)
    cleared = {"verified": None, "aliases": None, "projectCodes": None, "kind": None, "name": None}
    payload = (await post(client, UPDATE, {"id": office["id"], "version": 1, "input": cleared}, keys["admin"]))["officeUpdate"]
    assert codes(payload) == [
        (("input", "aliases"), "REQUIRED"),
        (("input", "kind"), "REQUIRED"),
        (("input", "name"), "REQUIRED"),
        (("input", "projectCodes"), "REQUIRED"),
        (("input", "verified"), "REQUIRED"),
    ]
    assert await snapshot(models.Office, models.AuditEntry) == before


async def test_two_creations_of_one_slug_at_once_make_one_office(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    variables = {"input": {"name": "Twin Unit", "slug": "twin-unit", "kind": "UNIT", "source": "test"}}
    first, second = await asyncio.gather(
        post(client, CREATE, variables, keys["admin"]), post(client, CREATE, variables, keys["other admin"])
    )
    payloads = [first["officeCreate"], second["officeCreate"]]
    assert sorted(payload["office"] is None for payload in payloads) == [False, True]
    (refused,) = [payload for payload in payloads if payload["office"] is None]
    assert [error["code"] for error in refused["userErrors"]] in (["TAKEN"], ["CONFLICT"])
    assert await models.Office.filter(slug="twin-unit").count() == 1


async def test_an_office_moves_its_locations_are_checked_and_audited(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    office = await _create(
        client, keys["admin"], name="Moving Field Office", kind="COUNTRY_OFFICE",
        locations=[{"country": "KE", "city": "Nairobi", "validFrom": "2015"}],
    )  # fmt: skip
    moves = [
        {"country": "KE", "city": "Nairobi", "validFrom": "2015", "validTo": "[2021..2022]"},
        {"country": "ET", "city": "Addis Ababa", "validFrom": "[2021..2022]"},
    ]
    moved = (await post(client, UPDATE, {"id": office["id"], "version": 1, "input": {"locations": moves}}, keys["admin"]))
    assert moved["officeUpdate"]["office"]["version"] == 2
    where = f'{{ office(slug: "{office["slug"]}") {{ in2018: location(asOf: "2018-06-01") {{ city certainty }} '
    where += 'in2021: location(asOf: "2021-06-01") { city certainty } now: location { city country { code } } } }'
    read = (await client.post("/graphql", json={"query": where})).json()["data"]["office"]
    assert read["in2018"] == {"city": "Nairobi", "certainty": "CERTAIN"}
    assert read["in2021"]["certainty"] == "UNCERTAIN"
    assert read["now"] == {"city": "Addis Ababa", "country": {"code": "ET"}}
    row = await models.Office.get(slug=office["slug"])
    entry = await models.AuditEntry.filter(object_type="Office", object_id=row.id, operation="officeUpdate").get()
    assert entry.before is not None and entry.after is not None
    assert [place["city"] for place in entry.before["locations"]] == ["Nairobi"]
    assert [(place["city"], place["valid_to"]) for place in entry.after["locations"]] == [("Nairobi", "[2021..2022]"), ("Addis Ababa", None)]
    before = await snapshot(models.Office, models.OfficeLocation, models.AuditEntry)
    bad = [
        {"country": "XX", "validFrom": "2015-13"},
        {"country": "ET", "validFrom": "2020", "validTo": "2019"},
    ]
    refused = (await post(client, UPDATE, {"id": office["id"], "version": 2, "input": {"locations": bad}}, keys["admin"]))
    assert codes(refused["officeUpdate"]) == [
        (("input", "locations", "0", "country"), "INVALID_COUNTRY"),
        (("input", "locations", "0", "validFrom"), "INVALID_DATE"),
        (("input", "locations", "1", "validTo"), "DATE_ORDER"),
    ]
    assert await snapshot(models.Office, models.OfficeLocation, models.AuditEntry) == before
