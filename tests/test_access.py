"""Who sees what, by role and through every route: API keys, hidden organizations, personal data.

The published data holds no hidden organization and no personal data, so the
tests make their own: a hidden member of the UNCAC Coalition, a member of the
Coalition's Africa platform (two memberships deep) with a focal point and a
justified participation, and a member of VNGOC with a focal point. Then each
role asks through each route, through the read plans and the resolvers alike
(``gql`` compares them on every request).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio

import models
from models.enums import KeyRole, MembershipType
from services.keys import create_key, revoke_key
from services.search_index import reindex
from tests.conftest import TEST_KEY_SECRET, GraphQLClient
from tests.factories import Scratch, global_id, scratch

ROLES = ("anonymous", "uncac", "vngoc", "staff", "admin")


@dataclass
class World:
    """The private rows and the keys of one test module."""

    keys: dict[str, str | None]
    hidden: models.Organization
    deep: models.Organization
    outside: models.Organization
    event: models.Event


@pytest_asyncio.fixture(scope="module")
async def world(app: Any) -> AsyncIterator[World]:
    try:
        async with scratch("access") as rows:
            built = await _build(rows)
            await reindex()  # search sees the new organizations
            yield built
    finally:
        await reindex()


async def _build(rows: Scratch) -> World:
    uncac = await models.Organization.get(slug="uncac-coalition")
    platform = await models.Organization.get(slug="uncac-africa-platform")
    vngoc = await models.Organization.get(slug="vngoc")
    hidden = await rows.organization("reprisal risk", hidden=True)
    await rows.membership(hidden, uncac, type=MembershipType.MEMBER)
    deep = await rows.organization("platform member")
    await rows.membership(deep, platform, type=MembershipType.MEMBER)
    outside = await rows.organization("drugs member")
    await rows.membership(outside, vngoc, type=MembershipType.MEMBER)
    for organization in (deep, outside):
        rows.rows.append(
            await models.FocalPoint.create(
                organization=organization, name=f"Contact of {organization.name}", email=f"{organization.slug}@example.org"
            )
        )
    event = await models.Event.filter(slug="cnd-68").first() or await models.Event.all().order_by("id").first()
    assert event is not None
    rows.rows.append(
        await models.Participation.create(organization=deep, event=event, justification="We monitor the platform.")
    )
    keys: dict[str, str | None] = {"anonymous": None}
    for role, key_role, network in (
        ("uncac", KeyRole.COALITION, "uncac-coalition"),
        ("vngoc", KeyRole.COALITION, "vngoc"),
        ("staff", KeyRole.STAFF, None),
        ("admin", KeyRole.ADMIN, None),
    ):
        made = await create_key(TEST_KEY_SECRET, f"test {role}", key_role, network)
        rows.rows.insert(0, made.record)  # deleted last: the audit log points at keys
        keys[role] = made.key
    return World(keys, hidden, deep, outside, event)


def _codes(body: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    return sorted((tuple(error["path"]), error["extensions"]["code"]) for error in body.get("errors", []))


# ------- identities -------


@pytest.mark.parametrize("header", ["Bearer udk_nonsense", "Bearer " + "udk_" + "x" * 43, "Basic dXNlcjpwYXNz", "Bearer"])
async def test_a_key_that_opens_nothing_is_refused_without_a_hint(client: httpx.AsyncClient, world: World, header: str) -> None:
    response = await client.post("/graphql", json={"query": "{ __typename }"}, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    body = response.json()
    assert [error["extensions"]["code"] for error in body["errors"]] == ["UNAUTHENTICATED"]
    assert "data" not in body


async def test_a_revoked_key_is_refused_like_an_unknown_one(client: httpx.AsyncClient, world: World) -> None:
    made = await create_key(TEST_KEY_SECRET, "soon revoked", KeyRole.STAFF)
    try:
        headers = {"Authorization": f"Bearer {made.key}"}
        assert (await client.post("/graphql", json={"query": "{ __typename }"}, headers=headers)).status_code == 200
        await revoke_key(made.record.id)
        refused = await client.post("/graphql", json={"query": "{ __typename }"}, headers=headers)
        unknown = await client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"Authorization": "Bearer udk_" + "y" * 43}
        )
        assert (refused.status_code, refused.json()) == (unknown.status_code, unknown.json())
        assert (await models.ApiKey.get(id=made.record.id)).last_used_at is not None
    finally:
        await made.record.delete()


async def test_keys_are_stored_only_as_keyed_hashes(world: World) -> None:
    stored = await models.ApiKey.all().values_list("digest", "prefix")
    for key in filter(None, world.keys.values()):
        assert all(key not in (digest, prefix) for digest, prefix in stored)
        assert any(key.startswith(prefix) for _, prefix in stored)


# ------- personal data, through every route -------

FOCAL_POINT_ROUTES = {
    "lookup": ("query($slug: String!) { organization(slug: $slug) { focalPoints { nodes { name email } } } }", ("organization",)),
    "node": ("query($id: ID!) { node(id: $id) { ... on Organization { focalPoints { nodes { name email } } } } }", ("node",)),
    "entities": (
        'query($id: ID!) { _entities(representations: [{__typename: "Organization", id: $id}]) '
        "{ ... on Organization { focalPoints { nodes { name email } } } } }",
        ("_entities", 0),
    ),
    "list": (
        "query($slug: String!) { organizations(filter: { search: $slug }, first: 5) { nodes { focalPoints { nodes { name email } } } } }",
        ("organizations", "nodes", 0),
    ),
}

READERS = {
    # whose focal points -> the roles that may read them
    "deep": {"uncac", "staff", "admin"},
    "outside": {"vngoc", "staff", "admin"},
}


@pytest.mark.parametrize("route", sorted(FOCAL_POINT_ROUTES))
@pytest.mark.parametrize("whose", sorted(READERS))
@pytest.mark.parametrize("role", ROLES)
async def test_focal_points_by_role_and_route(gql: GraphQLClient, world: World, role: str, whose: str, route: str) -> None:
    organization: models.Organization = getattr(world, whose)
    query, path = FOCAL_POINT_ROUTES[route]
    variables = {"slug": organization.slug, "id": global_id("Organization", organization.id)}
    allowed = role in READERS[whose]
    body = await gql.with_key(world.keys[role])(query, variables, errors=not allowed)
    found: Any = body["data"]
    for step in path:
        found = found[step]
    if allowed:
        assert found["focalPoints"] == {
            "nodes": [{"name": f"Contact of {organization.name}", "email": f"{organization.slug}@example.org"}]
        }
    else:
        assert found["focalPoints"] is None
        assert _codes(body) == [((*path, "focalPoints"), "FORBIDDEN")]
        assert "example.org" not in str(body)


@pytest.mark.parametrize("role", ROLES)
async def test_a_coalition_reads_focal_points_of_its_members_at_any_depth(gql: GraphQLClient, world: World, role: str) -> None:
    query = """{ organization(slug: "uncac-coalition") {
        members(depth: 10, first: 100) { nodes { member { slug focalPoints { nodes { email } } } } } } }"""
    body = await gql.with_key(world.keys[role])(query, errors=role not in {"uncac", "staff", "admin"})
    members = {node["member"]["slug"]: node["member"] for node in body["data"]["organization"]["members"]["nodes"]}
    assert world.deep.slug in members
    if role in {"uncac", "staff", "admin"}:
        assert members[world.deep.slug]["focalPoints"] == {"nodes": [{"email": f"{world.deep.slug}@example.org"}]}
    else:
        assert all(member["focalPoints"] is None for member in members.values())
        assert {code for _, code in _codes(body)} == {"FORBIDDEN"}


@pytest.mark.parametrize("role", ROLES)
async def test_a_participation_justification_is_personal_data(gql: GraphQLClient, world: World, role: str) -> None:
    query = "query($slug: String!) { organization(slug: $slug) { participations { nodes { role justification } } } }"
    allowed = role in READERS["deep"]
    body = await gql.with_key(world.keys[role])(query, {"slug": world.deep.slug}, errors=not allowed)
    (participation,) = body["data"]["organization"]["participations"]["nodes"]
    assert participation["justification"] == ("We monitor the platform." if allowed else None)
    if not allowed:
        assert _codes(body) == [(("organization", "participations", "nodes", 0, "justification"), "FORBIDDEN")]


# ------- hidden organizations, through every route -------

HIDDEN_READERS = {"uncac", "staff", "admin"}


@pytest.mark.parametrize("role", ROLES)
async def test_a_hidden_member_is_seen_by_its_coalition_and_staff_only(gql: GraphQLClient, world: World, role: str) -> None:
    hidden = world.hidden
    query = """query($slug: String!, $id: ID!) {
        lookup: organization(slug: $slug) { slug }
        node(id: $id) { id }
        entities: _entities(representations: [{__typename: "Organization", slug: $slug}]) { ... on Organization { slug } }
        list: organizations(filter: { search: "reprisal" }, first: 10) { totalCount nodes { slug } }
        members: organization(slug: "uncac-coalition") { members(first: 100) { nodes { member { slug } } } }
        stats: organizationStats { total }
    }"""
    seen = role in HIDDEN_READERS
    data = (await gql.with_key(world.keys[role])(query, {"slug": hidden.slug, "id": global_id("Organization", hidden.id)}))["data"]
    assert (data["lookup"] is not None) is seen
    assert (data["node"] is not None) is seen
    assert (data["entities"] == [{"slug": hidden.slug}]) is seen
    assert (data["entities"] == [None]) is not seen
    assert ({"slug": hidden.slug} in data["list"]["nodes"]) is seen
    assert data["list"]["totalCount"] == (1 if seen else 0)
    assert ({"member": {"slug": hidden.slug}} in data["members"]["members"]["nodes"]) is seen
    anonymous = (await gql("{ organizationStats { total } }"))["data"]["organizationStats"]["total"]
    assert data["stats"]["total"] == anonymous + (1 if seen else 0)


@pytest.mark.parametrize("role", ROLES)
async def test_search_finds_a_hidden_member_only_for_those_who_see_it(client: httpx.AsyncClient, world: World, role: str) -> None:
    key = world.keys[role]
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    query = '{ search(query: "reprisal risk") { totalCount edges { node { ... on Organization { slug } } } } }'
    body = (await client.post("/graphql", json={"query": query}, headers=headers)).json()
    slugs = [edge["node"]["slug"] for edge in body["data"]["search"]["edges"]]
    assert (world.hidden.slug in slugs) is (role in HIDDEN_READERS)


@pytest.mark.parametrize("role", ROLES)
async def test_the_calendar_follows_the_caller(client: httpx.AsyncClient, world: World, role: str) -> None:
    key = world.keys[role]
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    response = await client.get("/calendar.ics", headers=headers)
    assert response.status_code == 200
    assert "reprisal" not in response.text  # hidden organizations never organize the published events
