"""organizationCreate, organizationUpdate, organizationArchive: who may, what is checked, what is recorded.

Mutations are sent once each (``post``): the differential helper ``gql``
would send them twice.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

import models
from models.enums import KeyRole
from services.keys import create_key
from tests.conftest import TEST_KEY_SECRET

FIELDS = "organization { id slug name country { code } website founded { edtf } version archivedAt } userErrors { field message code }"
CREATE = f"mutation($input: OrganizationInput!) {{ organizationCreate(input: $input) {{ {FIELDS} }} }}"
UPDATE = f"mutation($id: ID!, $version: Int!, $input: OrganizationInput!) {{ organizationUpdate(id: $id, version: $version, input: $input) {{ {FIELDS} }} }}"
ARCHIVE = f"mutation($id: ID!, $version: Int!) {{ organizationArchive(id: $id, version: $version) {{ {FIELDS} }} }}"


@pytest_asyncio.fixture(scope="module")
async def keys(app: Any) -> AsyncIterator[dict[str, str]]:
    made = {
        "admin": await create_key(TEST_KEY_SECRET, "mutation admin", KeyRole.ADMIN),
        "other admin": await create_key(TEST_KEY_SECRET, "another admin", KeyRole.ADMIN),
        "staff": await create_key(TEST_KEY_SECRET, "mutation staff", KeyRole.STAFF),
        "coalition": await create_key(TEST_KEY_SECRET, "mutation coalition", KeyRole.COALITION, "uncac-coalition"),
    }
    yield {role: new.key for role, new in made.items()}
    ids = [new.record.id for new in made.values()]
    created = await models.AuditEntry.filter(key_id__in=ids, object_type="Organization").values_list("object_id", flat=True)
    await models.Organization.filter(id__in=[i for i in created if i is not None], source="test").delete()
    await models.AuditEntry.filter(key_id__in=ids).delete()
    await models.ApiKey.filter(id__in=ids).delete()


async def post(client: httpx.AsyncClient, query: str, variables: dict[str, Any], key: str | None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return dict(body["data"])


def _input(name: str, **values: Any) -> dict[str, Any]:
    return {"name": name, "source": "test", **values}


async def test_an_administrator_creates_an_organization_everyone_then_reads(
    client: httpx.AsyncClient, keys: dict[str, str]
) -> None:
    created = (await post(client, CREATE, {"input": _input("Civil Watch Kenya", country="KE", founded="2011-05")}, keys["admin"]))
    payload = created["organizationCreate"]
    assert payload["userErrors"] == []
    organization = payload["organization"]
    assert organization["slug"] == "civil-watch-kenya"
    assert (organization["founded"], organization["version"], organization["archivedAt"]) == ({"edtf": "2011-05"}, 1, None)
    read = await client.post("/graphql", json={"query": '{ organization(slug: "civil-watch-kenya") { name country { code } } }'})
    assert read.json()["data"]["organization"] == {"name": "Civil Watch Kenya", "country": {"code": "KE"}}


@pytest.mark.parametrize("role", ["anonymous", "staff", "coalition"])
async def test_only_administrators_change_organizations(client: httpx.AsyncClient, keys: dict[str, str], role: str) -> None:
    before = await models.Organization.all().count()
    payload = (await post(client, CREATE, {"input": _input(f"Refused {role}")}, keys.get(role)))["organizationCreate"]
    assert payload["organization"] is None
    assert [error["code"] for error in payload["userErrors"]] == ["FORBIDDEN"]
    assert await models.Organization.all().count() == before


async def test_every_problem_is_reported_at_once_and_nothing_is_written(
    client: httpx.AsyncClient, keys: dict[str, str]
) -> None:
    before = await models.Organization.all().count()
    bad = {"name": "  ", "country": "XX", "website": "not a url", "founded": "2011-13", "slug": "Bad Slug", "source": "test"}
    payload = (await post(client, CREATE, {"input": bad}, keys["admin"]))["organizationCreate"]
    assert payload["organization"] is None
    assert sorted((tuple(error["field"]), error["code"]) for error in payload["userErrors"]) == [
        (("input", "country"), "INVALID_COUNTRY"),
        (("input", "founded"), "INVALID_DATE"),
        (("input", "name"), "REQUIRED"),
        (("input", "slug"), "INVALID"),
        (("input", "website"), "INVALID_URL"),
    ]
    assert await models.Organization.all().count() == before


async def test_a_slug_is_unique(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    payload = (await post(client, CREATE, {"input": _input("Another VNGOC", slug="vngoc")}, keys["admin"]))["organizationCreate"]
    assert [(error["field"], error["code"]) for error in payload["userErrors"]] == [(["input", "slug"], "TAKEN")]


async def test_an_update_cannot_overwrite_a_newer_change(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    created = (await post(client, CREATE, {"input": _input("Conflict Watch")}, keys["admin"]))["organizationCreate"]["organization"]
    first = await post(client, UPDATE, {"id": created["id"], "version": 1, "input": {"website": "https://conflict.example.org"}}, keys["other admin"])
    assert first["organizationUpdate"]["organization"]["version"] == 2
    stale = await post(client, UPDATE, {"id": created["id"], "version": 1, "input": {"city": "Nairobi"}}, keys["admin"])
    (error,) = stale["organizationUpdate"]["userErrors"]
    assert error["code"] == "CONFLICT" and error["field"] == ["version"]
    assert "website" in error["message"] and "another admin" in error["message"] and "version 2" in error["message"]
    row = await models.Organization.get(slug=created["slug"])
    assert (row.city, row.website, row.version) == (None, "https://conflict.example.org", 2)


async def test_each_change_is_in_the_audit_log(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    created = (await post(client, CREATE, {"input": _input("Audited Trust", city="Vienna")}, keys["admin"]))["organizationCreate"]["organization"]
    await post(client, UPDATE, {"id": created["id"], "version": 1, "input": {"city": "Graz", "name": "Audited Trust"}}, keys["admin"])
    row = await models.Organization.get(slug=created["slug"])
    entries = await models.AuditEntry.filter(object_type="Organization", object_id=row.id).order_by("id")
    assert [entry.operation for entry in entries] == ["organizationCreate", "organizationUpdate"]
    update = entries[1]
    assert (update.before, update.after) == ({"city": "Vienna", "version": 1}, {"city": "Graz", "version": 2})
    assert (update.role, update.actor) == ("ADMIN", "mutation admin") and update.key_id is not None


async def test_an_archived_organization_leaves_public_reads(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    created = (await post(client, CREATE, {"input": _input("Closing Forum")}, keys["admin"]))["organizationCreate"]["organization"]
    archived = (await post(client, ARCHIVE, {"id": created["id"], "version": 1}, keys["admin"]))["organizationArchive"]
    assert archived["userErrors"] == [] and archived["organization"]["archivedAt"] is not None
    query = {"query": f'{{ organization(slug: "{created["slug"]}") {{ slug archivedAt }} }}'}
    assert (await client.post("/graphql", json=query)).json()["data"]["organization"] is None
    staff = await client.post("/graphql", json=query, headers={"Authorization": f"Bearer {keys['staff']}"})
    assert staff.json()["data"]["organization"]["archivedAt"] is not None
    again = (await post(client, ARCHIVE, {"id": created["id"], "version": 2}, keys["admin"]))["organizationArchive"]
    assert [error["code"] for error in again["userErrors"]] == ["ARCHIVED"]
