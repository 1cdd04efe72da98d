"""Focal points and participations: personal data, written by administrators and, for focal points, by the
coalition whose network the organization belongs to (at any depth), never by anyone else.

The published data holds no personal data, so the module makes its own: a member of the UNCAC Coalition's
Africa platform (two memberships deep, in the Coalition's scope), a member of VNGOC (outside it) and a hidden
member of VNGOC (outside it, and invisible to the Coalition).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio

import models
from domain.ids import global_id
from models.enums import MembershipType
from tests.factories import scratch
from tests.support.writes import codes, make_keys, post, post_raw, snapshot

FP_FIELDS = "focalPoint { id name title email phone version archivedAt } userErrors { field message code }"
FP_CREATE = f"mutation($input: FocalPointInput!) {{ focalPointCreate(input: $input) {{ {FP_FIELDS} }} }}"
FP_UPDATE = (
    "mutation($id: ID!, $version: Int!, $input: FocalPointInput!) "
    f"{{ focalPointUpdate(id: $id, version: $version, input: $input) {{ {FP_FIELDS} }} }}"
)
FP_ARCHIVE = f"mutation($id: ID!, $version: Int!) {{ focalPointArchive(id: $id, version: $version) {{ {FP_FIELDS} }} }}"
P_FIELDS = (
    "participation { id role justification version archivedAt organization { slug } event { slug } } "
    "userErrors { field message code }"
)
P_CREATE = f"mutation($input: ParticipationInput!) {{ participationCreate(input: $input) {{ {P_FIELDS} }} }}"
P_UPDATE = (
    "mutation($id: ID!, $version: Int!, $input: ParticipationInput!) "
    f"{{ participationUpdate(id: $id, version: $version, input: $input) {{ {P_FIELDS} }} }}"
)
P_ARCHIVE = f"mutation($id: ID!, $version: Int!) {{ participationArchive(id: $id, version: $version) {{ {P_FIELDS} }} }}"
READ_FOCAL_POINTS = "query($slug: String!) { organization(slug: $slug) { focalPoints { nodes { id name email version } } } }"


@dataclass
class World:
    keys: dict[str, str]
    deep: str
    outside: str
    hidden: str
    event: str


@pytest_asyncio.fixture(scope="module")
async def world(app: Any) -> AsyncIterator[World]:
    async with scratch("personal") as rows:
        platform = await models.Organization.get(slug="uncac-africa-platform")
        vngoc = await models.Organization.get(slug="vngoc")
        deep = await rows.organization("platform member")
        await rows.membership(deep, platform, type=MembershipType.MEMBER)
        outside = await rows.organization("drugs member")
        await rows.membership(outside, vngoc, type=MembershipType.MEMBER)
        hidden = await rows.organization("hidden drugs member", hidden=True)
        await rows.membership(hidden, vngoc, type=MembershipType.MEMBER)
        event = await models.Event.get(slug="cnd-66")
        async for keys in make_keys("personal"):
            yield World(
                keys,
                global_id("Organization", deep.id),
                global_id("Organization", outside.id),
                global_id("Organization", hidden.id),
                global_id("Event", event.id),
            )


async def _read_focal_points(client: httpx.AsyncClient, slug: str, key: str) -> Any:
    response = await client.post(
        "/graphql", json={"query": READ_FOCAL_POINTS, "variables": {"slug": slug}}, headers={"Authorization": f"Bearer {key}"}
    )
    return response.json()["data"]["organization"]["focalPoints"]


# ------- focal points -------


async def test_a_coalition_adds_and_changes_a_focal_point_of_its_members_member(client: httpx.AsyncClient, world: World) -> None:
    coalition = world.keys["coalition"]
    made = (await post(client, FP_CREATE, {"input": {"organization": world.deep, "name": "Amina Diallo", "email": "amina@example.org"}}, coalition))
    payload = made["focalPointCreate"]
    assert payload["userErrors"] == [] and payload["focalPoint"]["version"] == 1
    focal_point = payload["focalPoint"]
    changed = await post(client, FP_UPDATE, {"id": focal_point["id"], "version": 1, "input": {"phone": "+221 33 800 00 00"}}, coalition)
    assert changed["focalPointUpdate"]["focalPoint"]["phone"] == "+221 33 800 00 00"
    read = await _read_focal_points(client, "personal-platform-member", coalition)
    assert read == {"nodes": [{"id": focal_point["id"], "name": "Amina Diallo", "email": "amina@example.org", "version": 2}]}
    entries = await models.AuditEntry.filter(object_type="FocalPoint", object_id=int(_pk(focal_point["id"]))).order_by("id")
    assert [(entry.operation, entry.role, entry.personal) for entry in entries] == [
        ("focalPointCreate", "COALITION", True), ("focalPointUpdate", "COALITION", True)
    ]
    assert (entries[1].before, entries[1].after) == ({"phone": None, "version": 1}, {"phone": "+221 33 800 00 00", "version": 2})


def _pk(value: str) -> str:
    import base64

    return base64.b64decode(value).decode().split(":")[1]


async def test_a_coalition_changes_no_focal_point_outside_its_network(client: httpx.AsyncClient, world: World) -> None:
    admin, coalition = world.keys["admin"], world.keys["coalition"]
    theirs = (await post(client, FP_CREATE, {"input": {"organization": world.outside, "name": "Jonas Berg"}}, admin))["focalPointCreate"]
    assert theirs["userErrors"] == []
    before = await snapshot(models.FocalPoint, models.AuditEntry)
    outside = await post(client, FP_CREATE, {"input": {"organization": world.outside, "name": "Intruder"}}, coalition)
    assert codes(outside["focalPointCreate"]) == [(None, "FORBIDDEN")]
    hidden = await post(client, FP_CREATE, {"input": {"organization": world.hidden, "name": "Intruder"}}, coalition)
    assert codes(hidden["focalPointCreate"]) == [(("input", "organization"), "NOT_FOUND")]
    update = await post(client, FP_UPDATE, {"id": theirs["focalPoint"]["id"], "version": 1, "input": {"name": "X"}}, coalition)
    assert codes(update["focalPointUpdate"]) == [(None, "FORBIDDEN")]
    archive = await post(client, FP_ARCHIVE, {"id": theirs["focalPoint"]["id"], "version": 1}, coalition)
    assert codes(archive["focalPointArchive"]) == [(None, "FORBIDDEN")]
    assert await snapshot(models.FocalPoint, models.AuditEntry) == before


@pytest.mark.parametrize("role", ["anonymous", "staff"])
async def test_anonymous_callers_and_staff_change_no_focal_point(client: httpx.AsyncClient, world: World, role: str) -> None:
    before = await snapshot(models.FocalPoint, models.AuditEntry)
    payload = (await post(client, FP_CREATE, {"input": {"organization": world.deep, "name": "Nobody"}}, world.keys.get(role)))
    assert codes(payload["focalPointCreate"]) == [(None, "FORBIDDEN")]
    assert await snapshot(models.FocalPoint, models.AuditEntry) == before


async def test_every_problem_with_a_focal_point_is_reported(client: httpx.AsyncClient, world: World) -> None:
    before = await snapshot(models.FocalPoint, models.AuditEntry)
    office = await client.post("/graphql", json={"query": '{ office(slug: "csu") { id } }'})
    bad = {"organization": office.json()["data"]["office"]["id"], "name": "", "email": "not-an-address", "phone": "call me"}
    payload = (await post(client, FP_CREATE, {"input": bad}, world.keys["admin"]))["focalPointCreate"]
    assert codes(payload) == [
        (("input", "email"), "INVALID_EMAIL"),
        (("input", "name"), "REQUIRED"),
        (("input", "organization"), "INVALID"),
        (("input", "phone"), "INVALID"),
    ]
    missing = (await post(client, FP_CREATE, {"input": {"name": "No organization"}}, world.keys["admin"]))["focalPointCreate"]
    assert codes(missing) == [(("input", "organization"), "REQUIRED")]
    assert await snapshot(models.FocalPoint, models.AuditEntry) == before


async def test_a_stale_focal_point_update_is_refused_and_an_archived_one_leaves_the_coalitions_reads(
    client: httpx.AsyncClient, world: World
) -> None:
    admin, coalition = world.keys["admin"], world.keys["coalition"]
    made = (await post(client, FP_CREATE, {"input": {"organization": world.deep, "name": "Old Contact"}}, admin))["focalPointCreate"]
    id = made["focalPoint"]["id"]
    assert (await post(client, FP_UPDATE, {"id": id, "version": 1, "input": {"title": "Director"}}, coalition))["focalPointUpdate"]["userErrors"] == []
    stale = (await post(client, FP_UPDATE, {"id": id, "version": 1, "input": {"title": "Chair"}}, admin))["focalPointUpdate"]
    (error,) = stale["userErrors"]
    assert error["code"] == "CONFLICT" and "title" in error["message"] and "personal coalition" in error["message"]
    archived = (await post(client, FP_ARCHIVE, {"id": id, "version": 2}, coalition))["focalPointArchive"]
    assert archived["userErrors"] == [] and archived["focalPoint"]["archivedAt"] is not None
    after = (await post(client, FP_UPDATE, {"id": id, "version": 3, "input": {"title": "Chair"}}, coalition))["focalPointUpdate"]
    assert codes(after) == [(("id",), "ARCHIVED")]
    names = [node["name"] for node in (await _read_focal_points(client, "personal-platform-member", coalition))["nodes"]]
    assert "Old Contact" not in names
    staff = [node["name"] for node in (await _read_focal_points(client, "personal-platform-member", world.keys["staff"]))["nodes"]]
    assert "Old Contact" in staff


async def test_an_id_of_another_type_names_no_focal_point(client: httpx.AsyncClient, world: World) -> None:
    before = await snapshot(models.FocalPoint, models.Organization)
    for forged in (world.deep, global_id("Participation", 1)):
        answer = await post_raw(client, FP_UPDATE, {"id": forged, "version": 1, "input": {"name": "X"}}, world.keys["coalition"])
        assert answer["data"] is None and [error["extensions"]["code"] for error in answer["errors"]] == ["INVALID_ID"]
    node = await post_raw(client, "query($id: ID!) { node(id: $id) { id } }", {"id": global_id("FocalPoint", 1)}, world.keys["admin"])
    assert node["data"] == {"node": None} and [error["extensions"]["code"] for error in node["errors"]] == ["INVALID_ID"]
    assert await snapshot(models.FocalPoint, models.Organization) == before


# ------- participations -------


async def test_an_administrator_records_a_justified_participation(client: httpx.AsyncClient, world: World) -> None:
    made = await post(
        client, P_CREATE, {"input": {"organization": world.deep, "event": world.event, "role": "SPEAKER", "justification": "We run the platform."}},
        world.keys["admin"],
    )
    payload = made["participationCreate"]
    assert payload["userErrors"] == []
    participation = payload["participation"]
    assert (participation["role"], participation["justification"], participation["event"], participation["version"]) == (
        "SPEAKER", "We run the platform.", {"slug": "cnd-66"}, 1
    )
    entry = await models.AuditEntry.get(object_type="Participation", object_id=int(_pk(participation["id"])))
    assert entry.personal and entry.after is not None and entry.after["justification"] == "We run the platform."
    again = await post(client, P_CREATE, {"input": {"organization": world.deep, "event": world.event, "role": "SPEAKER"}}, world.keys["admin"])
    assert codes(again["participationCreate"]) == [(("input", "role"), "TAKEN")]


@pytest.mark.parametrize("role", ["anonymous", "staff", "coalition"])
async def test_only_administrators_change_participations(client: httpx.AsyncClient, world: World, role: str) -> None:
    before = await snapshot(models.Participation, models.AuditEntry)
    payload = await post(client, P_CREATE, {"input": {"organization": world.deep, "event": world.event}}, world.keys.get(role))
    assert codes(payload["participationCreate"]) == [(None, "FORBIDDEN")]
    assert await snapshot(models.Participation, models.AuditEntry) == before


async def test_every_problem_with_a_participation_is_reported(client: httpx.AsyncClient, world: World) -> None:
    before = await snapshot(models.Participation, models.AuditEntry)
    bad = {"event": world.deep, "justification": "x" * 5001}
    payload = (await post(client, P_CREATE, {"input": bad}, world.keys["admin"]))["participationCreate"]
    assert codes(payload) == [
        (("input", "event"), "INVALID"),
        (("input", "justification"), "INVALID"),
        (("input", "organization"), "REQUIRED"),
    ]
    unknown = {"organization": world.deep, "event": global_id("Event", 999_999)}
    assert codes((await post(client, P_CREATE, {"input": unknown}, world.keys["admin"]))["participationCreate"]) == [
        (("input", "event"), "NOT_FOUND")
    ]
    assert await snapshot(models.Participation, models.AuditEntry) == before


async def test_a_participation_changes_its_role_once_and_leaves_public_reads_when_archived(
    client: httpx.AsyncClient, world: World
) -> None:
    admin = world.keys["admin"]
    made = (await post(client, P_CREATE, {"input": {"organization": world.outside, "event": world.event}}, admin))["participationCreate"]
    id = made["participation"]["id"]
    moved = await post(client, P_UPDATE, {"id": id, "version": 1, "input": {"role": "PANELLIST", "event": world.event}}, admin)
    assert codes(moved["participationUpdate"]) == [(("input", "event"), "INVALID")]
    first = await post(client, P_UPDATE, {"id": id, "version": 1, "input": {"role": "PANELLIST"}}, world.keys["other admin"])
    assert first["participationUpdate"]["participation"]["role"] == "PANELLIST"
    stale = (await post(client, P_UPDATE, {"id": id, "version": 1, "input": {"role": "OBSERVER"}}, admin))["participationUpdate"]
    assert [error["code"] for error in stale["userErrors"]] == ["CONFLICT"]
    archived = (await post(client, P_ARCHIVE, {"id": id, "version": 2}, admin))["participationArchive"]
    assert archived["userErrors"] == []
    again = (await post(client, P_CREATE, {"input": {"organization": world.outside, "event": world.event, "role": "PANELLIST"}}, admin))
    (taken,) = again["participationCreate"]["userErrors"]
    assert taken["code"] == "TAKEN" and "archived" in taken["message"]
    query = '{ organization(slug: "personal-drugs-member") { participations { nodes { role } } } }'
    public = await client.post("/graphql", json={"query": query})
    assert public.json()["data"]["organization"]["participations"] == {"nodes": []}
    staff = await client.post("/graphql", json={"query": query}, headers={"Authorization": f"Bearer {world.keys['staff']}"})
    assert staff.json()["data"]["organization"]["participations"] == {"nodes": [{"role": "PANELLIST"}]}


async def test_aliases_in_one_document_are_each_held_to_the_coalitions_scope(client: httpx.AsyncClient, world: World) -> None:
    document = f"""mutation($mine: FocalPointInput!, $theirs: FocalPointInput!) {{
      mine: focalPointCreate(input: $mine) {{ {FP_FIELDS} }}
      theirs: focalPointCreate(input: $theirs) {{ {FP_FIELDS} }}
    }}"""
    variables = {
        "mine": {"organization": world.deep, "name": "Aliased Member Contact"},
        "theirs": {"organization": world.outside, "name": "Aliased Intruder"},
    }
    answer = await post(client, document, variables, world.keys["coalition"])
    assert answer["mine"]["userErrors"] == [] and answer["mine"]["focalPoint"]["name"] == "Aliased Member Contact"
    assert codes(answer["theirs"]) == [(None, "FORBIDDEN")] and answer["theirs"]["focalPoint"] is None
    assert await models.FocalPoint.filter(name="Aliased Intruder").count() == 0
