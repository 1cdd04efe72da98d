"""A coalition key writes its own network's membership data and nothing else, whichever route it takes.

The coalition here speaks for a network of this module (``scope net``); the
other network is VNGOC, with a member of this module that has a focal point.
Every route is tried: the membership mutations and the import on the other
network, forged global IDs (another type, the other network's member), two
aliased mutations in one document, batched requests, ``_entities`` and
``node``. After each, VNGOC's memberships, members and focal points are
exactly as they were.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, cast

import httpx
import pytest_asyncio

import models
from models.enums import KeyRole, MembershipType, OrganizationKind
from services.keys import create_key
from services.search_index import reindex
from tests.conftest import TEST_KEY_SECRET
from tests.factories import global_id, scratch

ERRORS = "userErrors { field code message }"
IMPORT = f"mutation($input: NetworkMembersImportInput!) {{ networkMembersImport(input: $input) {{ diff {{ applied }} {ERRORS} }} }}"
START = f"mutation($input: MembershipStartInput!) {{ membershipStart(input: $input) {{ membership {{ type }} {ERRORS} }} }}"
END = f"mutation($input: MembershipEndInput!) {{ membershipEnd(input: $input) {{ membership {{ type }} {ERRORS} }} }}"


@dataclass
class World:
    key: str
    other_key: str
    own: models.Organization
    own_member: models.Organization
    other: models.Organization
    victim: models.Organization


@pytest_asyncio.fixture(scope="module")
async def world(app: Any) -> AsyncIterator[World]:
    before = [pk for (pk,) in await models.Organization.all().values_list("id")]
    async with scratch("scope") as rows:
        own = await rows.organization("net", kind=OrganizationKind.UMBRELLA_NETWORK)
        own_member = await rows.organization("own member")
        await rows.membership(own_member, own, type=MembershipType.MEMBER)
        other = await models.Organization.get(slug="vngoc")
        victim = await rows.organization("victim")
        await rows.membership(victim, other, since="2015", type=MembershipType.MEMBER)
        rows.rows.append(await models.FocalPoint.create(organization=victim, name="Victim Contact", email="victim@example.org"))
        made = [
            await create_key(TEST_KEY_SECRET, "scope coalition", KeyRole.COALITION, own.slug),
            await create_key(TEST_KEY_SECRET, "scope vngoc", KeyRole.COALITION, "vngoc"),
        ]
        try:
            yield World(made[0].key, made[1].key, own, own_member, other, victim)
        finally:
            ids = [new.record.id for new in made]
            await models.AuditEntry.filter(key_id__in=ids).delete()
            await models.ApiKey.filter(id__in=ids).delete()
            mine = [row.id for row in rows.rows if isinstance(row, models.Organization)]
            await models.Organization.filter(id__not_in=before).exclude(id__in=mine).delete()
    # Tortoise types a flat values_list as tuples; it is the values themselves.
    indexed = cast(list[int], await models.SearchDocument.filter(entity_type="Organization").values_list("entity_id", flat=True))
    await reindex("Organization", indexed)  # the documents of the deleted organizations go


async def other_network(world: World) -> tuple[Any, ...]:
    """Everything of VNGOC a coalition must not change."""
    members = await models.Membership.filter(network_id=world.other.id).order_by("id").values_list(
        "id", "member_id", "type", "since_edtf", "until_edtf", "source"
    )
    ids = [row[1] for row in members]
    return (
        members,
        await models.Organization.filter(id__in=[*ids, world.other.id]).order_by("id").values_list("id", "name", "acronym", "website", "country", "version"),
        await models.FocalPoint.filter(organization_id__in=ids).order_by("id").values_list("id", "name", "email"),
    )


async def post(client: httpx.AsyncClient, query: str, variables: dict[str, Any], key: str) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables}, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.text
    return dict(response.json())


def codes(body: dict[str, Any]) -> list[str]:
    return [error["code"] for payload in body["data"].values() for error in payload["userErrors"]]


def forged(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


ROW = {"name": "Scope Newcomer", "country": "AT"}


async def test_the_other_network_s_list_cannot_be_imported_by_any_name(client: httpx.AsyncClient, world: World) -> None:
    before = await other_network(world)
    for network in ("vngoc", global_id("Organization", world.other.id), "no-such-network", global_id("Organization", 10**8)):
        for mode in ("MERGE", "REPLACE"):
            body = await post(client, IMPORT, {"input": {"network": network, "members": [ROW], "mode": mode}}, world.key)
            assert codes(body) == ["FORBIDDEN"], (network, body)
            assert body["data"]["networkMembersImport"]["diff"] is None
    # A forged ID of another type with the other network's key is no ID of a network.
    body = await post(client, IMPORT, {"input": {"network": forged("Office", world.other.id), "members": [ROW]}}, world.key)
    assert codes(body) == ["INVALID"]
    assert await other_network(world) == before
    assert not await models.Organization.filter(name="Scope Newcomer").exists()


async def test_the_other_network_s_memberships_cannot_be_started_or_ended(client: httpx.AsyncClient, world: World) -> None:
    before = await other_network(world)
    victim, other, own = (global_id("Organization", o.id) for o in (world.victim, world.other, world.own))
    attempts = [
        (START, {"member": global_id("Organization", world.own_member.id), "network": other}),
        (END, {"member": victim, "network": other, "until": "2024"}),
        (START, {"member": victim, "network": forged("Office", world.other.id)}),
        (END, {"member": victim, "network": forged("Event", world.other.id), "until": "2024"}),
    ]
    for query, variables in attempts:
        body = await post(client, query, {"input": variables}, world.key)
        assert codes(body) and set(codes(body)) <= {"FORBIDDEN", "INVALID"}, body
    # The other network's member named in the coalition's own network: there is no such membership to end.
    body = await post(client, END, {"input": {"member": victim, "network": own, "until": "2024"}}, world.key)
    assert codes(body) == ["NOT_FOUND"]
    assert await other_network(world) == before


async def test_aliases_and_batches_do_not_cross(client: httpx.AsyncClient, world: World) -> None:
    before = await other_network(world)
    document = (
        "mutation($own: NetworkMembersImportInput!, $other: NetworkMembersImportInput!) {"
        f" mine: networkMembersImport(input: $own) {{ diff {{ applied }} {ERRORS} }}"
        f" theirs: networkMembersImport(input: $other) {{ diff {{ applied }} {ERRORS} }} }}"
    )
    variables = {
        "own": {"network": world.own.slug, "members": [{"name": "Scope Aliased Member"}]},
        "other": {"network": "vngoc", "members": [{"name": "Scope Smuggled Member"}], "mode": "REPLACE"},
    }
    body = await post(client, document, variables, world.key)
    assert body["data"]["mine"] == {"diff": {"applied": True}, "userErrors": []}
    assert [error["code"] for error in body["data"]["theirs"]["userErrors"]] == ["FORBIDDEN"]
    batch = [
        {"query": IMPORT, "variables": {"input": {"network": world.own.slug, "members": [{"name": "Scope Batched Member"}]}}},
        {"query": IMPORT, "variables": {"input": {"network": "vngoc", "members": [{"name": "Scope Smuggled Member"}]}}},
    ]
    response = await client.post("/graphql", json=batch, headers={"Authorization": f"Bearer {world.key}"})
    assert response.status_code < 500 and "Traceback" not in response.text
    rows = [{"name": "Scope Smuggled Member"}] * 3
    many = await post(client, IMPORT, {"input": {"network": "vngoc", "members": rows, "skipInvalid": True}}, world.key)
    assert codes(many) == ["FORBIDDEN"]
    assert await other_network(world) == before
    assert not await models.Organization.filter(name="Scope Smuggled Member").exists()


async def test_personal_data_a_coalition_imported_stays_within_its_network(client: httpx.AsyncClient, world: World) -> None:
    row = {"name": "Scope Private Member", "focalPoint": {"name": "Private Person", "email": "private@example.org"}}
    body = await post(client, IMPORT, {"input": {"network": world.own.slug, "members": [row]}}, world.key)
    assert codes(body) == []
    member = await models.Organization.get(name="Scope Private Member")
    entities = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { slug focalPoints { nodes { name } } } } }"
    representations = {"r": [{"__typename": "Organization", "id": global_id("Organization", member.id)}]}
    mine = await post(client, entities, representations, world.key)
    assert mine["data"]["_entities"] == [{"slug": member.slug, "focalPoints": {"nodes": [{"name": "Private Person"}]}}]
    theirs = await post(client, entities, representations, world.other_key)
    assert theirs["data"]["_entities"] == [{"slug": member.slug, "focalPoints": None}]
    assert {error["extensions"]["code"] for error in theirs["errors"]} == {"FORBIDDEN"}
    node = "query($id: ID!) { node(id: $id) { ... on Organization { focalPoints { nodes { email } } } } }"
    victim = await post(client, node, {"id": global_id("Organization", world.victim.id)}, world.key)
    assert victim["data"]["node"] == {"focalPoints": None}
