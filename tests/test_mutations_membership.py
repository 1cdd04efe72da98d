"""membershipStart, membershipEnd, partnershipStart, partnershipEnd: who may, what is checked, what is recorded.

Mutations are sent once each (``post``): the differential helper ``gql``
would send them twice.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio

import models
from models.enums import KeyRole
from services.keys import create_key
from tests.conftest import TEST_KEY_SECRET
from tests.factories import Scratch, global_id, scratch

MEMBERSHIP = "membership { type since { edtf } until { edtf precision } source member { slug } network { slug } }"
ERRORS = "userErrors { field message code }"
START = f"mutation($input: MembershipStartInput!) {{ membershipStart(input: $input) {{ {MEMBERSHIP} {ERRORS} }} }}"
END = f"mutation($input: MembershipEndInput!) {{ membershipEnd(input: $input) {{ {MEMBERSHIP} {ERRORS} }} }}"
PARTNERSHIP = "partnership { kind since { edtf } until { edtf } office { slug } partner { ... on Organization { slug } ... on Office { slug } } }"
P_START = f"mutation($input: PartnershipStartInput!) {{ partnershipStart(input: $input) {{ {PARTNERSHIP} {ERRORS} }} }}"
P_END = f"mutation($input: PartnershipEndInput!) {{ partnershipEnd(input: $input) {{ {PARTNERSHIP} {ERRORS} }} }}"


@dataclass
class World:
    keys: dict[str, str | None]
    rows: Scratch
    ids: dict[str, str]
    """Global IDs by slug (fixture organizations and offices, and this module's own)."""


@pytest_asyncio.fixture(scope="module")
async def world(app: Any) -> AsyncIterator[World]:
    made = {
        "admin": await create_key(TEST_KEY_SECRET, "membership admin", KeyRole.ADMIN),
        "staff": await create_key(TEST_KEY_SECRET, "membership staff", KeyRole.STAFF),
        "uncac": await create_key(TEST_KEY_SECRET, "membership uncac", KeyRole.COALITION, "uncac-coalition"),
        "vngoc": await create_key(TEST_KEY_SECRET, "membership vngoc", KeyRole.COALITION, "vngoc"),
        "alliance": await create_key(TEST_KEY_SECRET, "membership alliance", KeyRole.COALITION, "alliance"),
    }
    keys: dict[str, str | None] = {"anonymous": None, **{role: new.key for role, new in made.items()}}
    try:
        async with scratch("ms") as rows:
            ids = {row.slug: global_id("Organization", row.id) for row in await models.Organization.all()}
            ids |= {f"office:{row.slug}": global_id("Office", row.id) for row in await models.Office.all()}
            for name in ("joiner", "leaver", "partner"):
                organization = await rows.organization(name, source="test")
                ids[name] = global_id("Organization", organization.id)
            yield World(keys, rows, ids)
    finally:
        key_ids = [new.record.id for new in made.values()]
        for model in (models.Membership, models.Partnership):
            created = await models.AuditEntry.filter(key_id__in=key_ids, object_type=model.__name__, before=None).values_list("object_id", flat=True)
            await model.filter(id__in=[pk for pk in created if pk is not None]).delete()
        await models.AuditEntry.filter(key_id__in=key_ids).delete()
        await models.ApiKey.filter(id__in=key_ids).delete()


async def post(client: httpx.AsyncClient, query: str, variables: dict[str, Any], key: str | None) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return dict(next(iter(body["data"].values())))


def codes(payload: dict[str, Any]) -> list[tuple[tuple[str, ...] | None, str]]:
    return sorted((tuple(error["field"]) if error["field"] else None, error["code"]) for error in payload["userErrors"])


async def memberships() -> int:
    return await models.Membership.all().count()


async def test_a_coalition_starts_and_ends_a_membership_of_its_network(client: httpx.AsyncClient, world: World) -> None:
    uncac, joiner = world.ids["uncac-coalition"], world.ids["joiner"]
    started = await post(client, START, {"input": {"member": joiner, "network": uncac, "since": "2024-05", "source": "https://e.org"}}, world.keys["uncac"])
    assert started["userErrors"] == []
    assert started["membership"] == {
        "type": "MEMBER", "since": {"edtf": "2024-05"}, "until": None, "source": "https://e.org",
        "member": {"slug": "ms-joiner"}, "network": {"slug": "uncac-coalition"},
    }  # fmt: skip
    again = await post(client, START, {"input": {"member": joiner, "network": uncac}}, world.keys["uncac"])
    assert codes(again) == [(("input", "member"), "TAKEN")]
    ended = await post(client, END, {"input": {"member": joiner, "network": uncac, "until": "2025"}}, world.keys["uncac"])
    assert ended["userErrors"] == [] and ended["membership"]["until"] == {"edtf": "2025", "precision": "YEAR"}
    twice = await post(client, END, {"input": {"member": joiner, "network": uncac, "until": "2025"}}, world.keys["uncac"])
    assert codes(twice) == [(("input",), "NOT_FOUND")]
    row = await models.Membership.get(member__slug="ms-joiner", network__slug="uncac-coalition")
    entries = await models.AuditEntry.filter(object_type="Membership", object_id=row.id).order_by("id")
    assert [(entry.operation, entry.role, entry.actor) for entry in entries] == [
        ("membershipStart", "COALITION", "membership uncac"), ("membershipEnd", "COALITION", "membership uncac"),
    ]  # fmt: skip
    assert (entries[1].before, entries[1].after) == ({"until_edtf": None}, {"until_edtf": "2025"})


@pytest.mark.parametrize("role", ["anonymous", "staff", "vngoc"])
async def test_only_the_network_s_coalition_or_an_administrator_starts_a_membership(
    client: httpx.AsyncClient, world: World, role: str
) -> None:
    before = await memberships()
    payload = await post(client, START, {"input": {"member": world.ids["leaver"], "network": world.ids["uncac-coalition"]}}, world.keys[role])
    assert codes(payload) == [(("input", "network"), "FORBIDDEN")] and payload["membership"] is None
    assert await memberships() == before


async def test_a_coalition_cannot_end_its_own_membership_of_its_parent(client: httpx.AsyncClient, world: World) -> None:
    variables = {"input": {"member": world.ids["alliance"], "network": world.ids["congo"], "until": "2024"}}
    payload = await post(client, END, variables, world.keys["alliance"])
    (error,) = payload["userErrors"]
    assert error["code"] == "FORBIDDEN" and "that network's to change" in error["message"]
    assert await models.Membership.filter(member__slug="alliance", network__slug="congo", until_edtf__isnull=True).exists()


async def test_a_network_must_be_a_network_and_cannot_contain_itself(client: httpx.AsyncClient, world: World) -> None:
    before = await memberships()
    not_a_network = await post(client, START, {"input": {"member": world.ids["leaver"], "network": world.ids["ti"]}}, world.keys["admin"])
    assert codes(not_a_network) == [(("input", "network"), "NOT_A_NETWORK")]
    # The Africa platform belongs to the UNCAC Coalition: the Coalition cannot belong to its platform.
    cycle = await post(client, START, {"input": {"member": world.ids["uncac-coalition"], "network": world.ids["uncac-africa-platform"]}}, world.keys["admin"])
    (error,) = cycle["userErrors"]
    assert error["code"] == "CYCLE" and "uncac-africa-platform -> uncac-coalition" in error["message"]
    itself = await post(client, START, {"input": {"member": world.ids["vngoc"], "network": world.ids["vngoc"]}}, world.keys["admin"])
    assert ("CYCLE" in {e["code"] for e in itself["userErrors"]})
    assert await memberships() == before


async def test_dates_are_checked_all_at_once(client: httpx.AsyncClient, world: World) -> None:
    bad = await post(client, START, {"input": {"member": world.ids["leaver"], "network": world.ids["vngoc"], "since": "2011-13", "source": "x" * 501}}, world.keys["vngoc"])
    assert codes(bad) == [(("input", "since"), "INVALID_DATE"), (("input", "source"), "INVALID")]
    good = await post(client, START, {"input": {"member": world.ids["leaver"], "network": world.ids["vngoc"], "since": "[2019..2020-03-04]"}}, world.keys["vngoc"])
    assert good["userErrors"] == []
    early = await post(client, END, {"input": {"member": world.ids["leaver"], "network": world.ids["vngoc"], "until": "2018"}}, world.keys["vngoc"])
    assert codes(early) == [(("input", "until"), "DATE_ORDER")]
    assert await models.Membership.filter(member__slug="ms-leaver", until_edtf__isnull=True).exists()


async def test_forged_ids_name_nothing_they_should_not(client: httpx.AsyncClient, world: World) -> None:
    office = world.ids["office:csu"]
    payload = await post(client, START, {"input": {"member": office, "network": world.ids["uncac-coalition"]}}, world.keys["uncac"])
    assert codes(payload) == [(("input", "member"), "INVALID")]
    junk = await post(client, START, {"input": {"member": "not-an-id", "network": "Zm9vOjE="}}, world.keys["admin"])
    assert codes(junk) == [(("input", "member"), "INVALID"), (("input", "network"), "INVALID")]
    missing = await post(client, START, {"input": {"member": global_id("Organization", 10**8), "network": world.ids["vngoc"]}}, world.keys["admin"])
    assert codes(missing) == [(("input", "member"), "NOT_FOUND")]


async def test_partnerships_are_for_administrators(client: httpx.AsyncClient, world: World) -> None:
    variables = {"input": {"office": world.ids["office:csu"], "partner": world.ids["partner"], "kind": "MOU", "since": "2024-02-01"}}
    for role in ("anonymous", "staff", "uncac"):
        assert codes(await post(client, P_START, variables, world.keys[role])) == [(None, "FORBIDDEN")]
    started = await post(client, P_START, variables, world.keys["admin"])
    assert started["userErrors"] == []
    assert started["partnership"] == {
        "kind": "MOU", "since": {"edtf": "2024-02-01"}, "until": None, "office": {"slug": "csu"}, "partner": {"slug": "ms-partner"},
    }  # fmt: skip
    assert codes(await post(client, P_START, variables, world.keys["admin"])) == [(("input", "partner"), "TAKEN")]
    end = {"input": {"office": world.ids["office:csu"], "partner": world.ids["partner"], "until": "2024-01"}}
    assert codes(await post(client, P_END, end, world.keys["admin"])) == [(("input", "until"), "DATE_ORDER")]
    end["input"]["until"] = "2025-06-30"
    ended = await post(client, P_END, end, world.keys["admin"])
    assert ended["userErrors"] == [] and ended["partnership"]["until"] == {"edtf": "2025-06-30"}
    itself = {"input": {"office": world.ids["office:csu"], "partner": world.ids["office:csu"]}}
    assert codes(await post(client, P_START, itself, world.keys["admin"])) == [(("input", "partner"), "INVALID")]

