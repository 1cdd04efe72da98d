"""networkMembersImport: the diff, all or nothing, dry runs, REPLACE, what is recorded, and its statement count.

The module's network is its own (``imp net``, with three members), with a
COALITION key for it, so the directory's published data stays as it is.
Mutations are sent once each (``post``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, cast

import httpx
import pytest_asyncio

import models
from models.dates import today
from models.enums import KeyRole, MembershipType, OrganizationKind
from services.keys import create_key
from services.search_index import reindex
from tests.conftest import TEST_KEY_SECRET
from tests.factories import Scratch, scratch

ROW = "index name slug organizationId matchedBy changes { field before after }"
DIFF = (
    f"diff {{ networkSlug mode dryRun applied created {{ {ROW} }} updated {{ {ROW} }} unchanged {{ {ROW} }} "
    "ended { slug name since until } rejected { index name reasons { field code } } }"
)
IMPORT = f"mutation($input: NetworkMembersImportInput!) {{ networkMembersImport(input: $input) {{ {DIFF} userErrors {{ field code message }} }} }}"


@dataclass
class World:
    keys: dict[str, str | None]
    rows: Scratch
    network: models.Organization
    members: dict[str, models.Organization]


@pytest_asyncio.fixture(scope="module")
async def world(app: Any) -> AsyncIterator[World]:
    before = cast(list[int], await models.Organization.all().values_list("id", flat=True))
    async with scratch("imp") as rows:
        network = await rows.organization("net", kind=OrganizationKind.UMBRELLA_NETWORK, source="test")
        alpha = await rows.organization("alpha", website="https://alpha.example.org", country="AT", source="test")
        beta = await rows.organization("beta", country="KE", source="test")
        gamma = await rows.organization("gamma", source="test")
        for member in (alpha, beta, gamma):
            await rows.membership(member, network, since="2019", type=MembershipType.MEMBER)
        outsider = await rows.organization("outsider", source="test")
        await rows.membership(outsider, await models.Organization.get(slug="vngoc"), type=MembershipType.MEMBER)
        made = {
            "admin": await create_key(TEST_KEY_SECRET, "import admin", KeyRole.ADMIN),
            "staff": await create_key(TEST_KEY_SECRET, "import staff", KeyRole.STAFF),
            "coalition": await create_key(TEST_KEY_SECRET, "imp net secretariat", KeyRole.COALITION, network.slug),
            "uncac": await create_key(TEST_KEY_SECRET, "import uncac", KeyRole.COALITION, "uncac-coalition"),
        }
        keys: dict[str, str | None] = {"anonymous": None, **{role: new.key for role, new in made.items()}}
        members = {"alpha": alpha, "beta": beta, "gamma": gamma, "outsider": outsider}
        try:
            yield World(keys, rows, network, members)
        finally:
            key_ids = [new.record.id for new in made.values()]
            await models.AuditEntry.filter(key_id__in=key_ids).delete()
            await models.ApiKey.filter(id__in=key_ids).delete()
            # Organizations the imports created go (their memberships and focal points with them), then the scratch rows.
            mine = [row.id for row in rows.rows if isinstance(row, models.Organization)]
            await models.Organization.filter(id__not_in=before).exclude(id__in=mine).delete()
    # Tortoise types a flat values_list as tuples; it is the values themselves.
    indexed = cast(list[int], await models.SearchDocument.filter(entity_type="Organization").values_list("entity_id", flat=True))
    await reindex("Organization", indexed)  # the documents of the deleted organizations go


async def post(client: httpx.AsyncClient, variables: dict[str, Any], key: str | None, headers: dict[str, str] | None = None) -> dict[str, Any]:
    response = await client.post(
        "/graphql", json={"query": IMPORT, "variables": variables}, headers=(headers or {}) | ({"Authorization": f"Bearer {key}"} if key else {})
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return dict(body["data"]["networkMembersImport"]) | {"extensions": body.get("extensions")}


def payload(network: str, members: list[dict[str, Any]], **options: Any) -> dict[str, Any]:
    return {"input": {"network": network, "members": members, **options}}


async def snapshot() -> tuple[Any, ...]:
    """Everything an import may change."""
    return (
        await models.Organization.all().order_by("id").values_list("id", "slug", "acronym", "website", "country", "city", "kind", "version"),
        await models.Membership.all().order_by("id").values_list("id", "member_id", "network_id", "type", "since_edtf", "until_edtf", "source", "origin"),
        await models.FocalPoint.all().order_by("id").values_list("id", "organization_id", "name", "email"),
        await models.AuditEntry.all().count(),
    )


NEW = {"name": "Brand New Watch", "country": "AT", "since": "2024-03", "focalPoint": {"name": "Ana Example", "email": "ana@example.org"}}
BAD = {"name": "Broken Row", "country": "XX", "since": "2024-13", "website": "nowhere"}


def rows_for(world: World) -> list[dict[str, Any]]:
    return [
        {"name": "Alpha, renamed by its coalition", "website": "https://www.alpha.example.org/about", "acronym": "ALF", "country": "AT"},
        {"name": "imp beta", "country": "KE"},
        NEW,
        BAD,
    ]


def shape(diff: dict[str, Any]) -> dict[str, Any]:
    """A diff without what differs between a dry run and the real import."""
    return {key: value for key, value in diff.items() if key not in ("dryRun", "applied", "created")} | {
        "created": [{k: v for k, v in row.items() if k != "organizationId"} for row in diff["created"]]
    }


async def test_one_bad_row_refuses_the_list_and_a_dry_run_changes_nothing(client: httpx.AsyncClient, world: World) -> None:
    before = await snapshot()
    refused = await post(client, payload(world.network.slug, rows_for(world)), world.keys["coalition"])
    assert sorted((tuple(error["field"]), error["code"]) for error in refused["userErrors"]) == [
        (("input", "members", "3", "country"), "INVALID_COUNTRY"),
        (("input", "members", "3", "since"), "INVALID_DATE"),
        (("input", "members", "3", "website"), "INVALID_URL"),
    ]
    assert refused["diff"]["applied"] is False and [row["name"] for row in refused["diff"]["created"]] == ["Brand New Watch"]
    dry = await post(client, payload(world.network.slug, rows_for(world), dryRun=True, skipInvalid=True), world.keys["coalition"])
    assert dry["userErrors"] == [] and dry["diff"]["dryRun"] is True and dry["diff"]["applied"] is False
    assert dry["diff"]["created"][0]["organizationId"] is None
    assert await snapshot() == before, "neither the refused import nor the dry run changed anything"
    real = await post(client, payload(world.network.slug, rows_for(world), skipInvalid=True), world.keys["coalition"])
    assert real["userErrors"] == [] and real["diff"]["applied"] is True
    assert shape(real["diff"]) == shape(dry["diff"]), "a dry run answers what the import does"
    diff = real["diff"]
    assert [(row["slug"], row["matchedBy"], row["changes"]) for row in diff["updated"]] == [
        ("imp-alpha", "website", [{"field": "acronym", "before": None, "after": "ALF"}]),
    ]
    assert [(row["slug"], row["matchedBy"]) for row in diff["unchanged"]] == [("imp-beta", "name")]
    (created,) = diff["created"]
    assert created["slug"] == "brand-new-watch" and created["organizationId"] is not None
    assert created["changes"] == [
        {"field": "membership.type", "before": None, "after": "MEMBER"},
        {"field": "focalPoint", "before": None, "after": "Ana Example"},
    ]
    assert diff["ended"] == []
    assert diff["rejected"] == [
        {"index": 3, "name": "Broken Row", "reasons": [
            {"field": ["members", "3", "country"], "code": "INVALID_COUNTRY"},
            {"field": ["members", "3", "website"], "code": "INVALID_URL"},
            {"field": ["members", "3", "since"], "code": "INVALID_DATE"},
        ]},
    ]  # fmt: skip


async def test_the_coalition_is_recorded_as_the_source_and_every_change_is_audited(world: World) -> None:
    tie = await models.Membership.get(member__slug="brand-new-watch", network_id=world.network.id)
    assert (tie.origin, tie.since_edtf, tie.type) == ("import:imp-net", "2024-03", MembershipType.MEMBER)
    assert tie.source == f"Member list submitted by imp net on {today().isoformat()}"
    new = await models.Organization.get(slug="brand-new-watch")
    assert (new.country, new.source) == ("AT", tie.source)
    entries = await models.AuditEntry.filter(operation="networkMembersImport", actor="imp net secretariat").order_by("id")
    assert {(entry.object_type, entry.personal) for entry in entries} == {
        ("Organization", False), ("Membership", False), ("FocalPoint", True),
    }  # fmt: skip
    alpha = next(e for e in entries if e.object_type == "Organization" and e.object_id == world.members["alpha"].id)
    assert (alpha.before, alpha.after, alpha.role) == ({"acronym": None, "version": 1}, {"acronym": "ALF", "version": 2}, "COALITION")
    assert all(entry.object_id is not None for entry in entries)


async def test_the_network_s_members_are_read_back(client: httpx.AsyncClient, world: World) -> None:
    query = {"query": f'{{ organization(slug: "{world.network.slug}") {{ members(first: 20) {{ nodes {{ since {{ edtf }} member {{ slug focalPoints {{ nodes {{ name }} }} }} }} }} }} }}'}
    answer = await client.post("/graphql", json=query, headers={"Authorization": f"Bearer {world.keys['coalition']}"})
    assert "errors" not in answer.json(), answer.json()
    members = {node["member"]["slug"]: node for node in answer.json()["data"]["organization"]["members"]["nodes"]}
    assert members["brand-new-watch"]["since"] == {"edtf": "2024-03"}
    assert members["brand-new-watch"]["member"]["focalPoints"] == {"nodes": [{"name": "Ana Example"}]}
    public = await client.post("/graphql", json=query)
    assert {node["member"]["slug"] for node in public.json()["data"]["organization"]["members"]["nodes"]} >= {"brand-new-watch"}
    assert "focalPoints" in str(public.json()["errors"][0]["path"])


async def test_replace_ends_the_members_the_list_no_longer_names(client: httpx.AsyncClient, world: World) -> None:
    rows = [{"name": "imp alpha", "website": "alpha.example.org"}, {"name": "Brand New Watch", "country": "AT", "since": "2024-03"}]
    answer = await post(client, payload(world.network.slug, rows, mode="REPLACE"), world.keys["coalition"])
    diff = answer["diff"]
    assert answer["userErrors"] == [] and len(diff["unchanged"]) == 2
    day = today().isoformat()
    assert diff["ended"] == [
        {"slug": "imp-beta", "name": "imp beta", "since": "2019", "until": day},
        {"slug": "imp-gamma", "name": "imp gamma", "since": "2019", "until": day},
    ]
    assert await models.Membership.filter(network_id=world.network.id, until_edtf=day).count() == 2
    again = await post(client, payload(world.network.slug, rows, mode="REPLACE"), world.keys["coalition"])
    assert again["diff"]["ended"] == [] and len(again["diff"]["unchanged"]) == 2


async def test_a_coalition_completes_only_its_own_members(client: httpx.AsyncClient, world: World) -> None:
    # The outsider belongs to VNGOC: joining this network is the coalition's to record, its website is not.
    rows = [{"name": "imp outsider", "slug": "imp-outsider", "website": "https://outsider.example.org"}]
    answer = await post(client, payload(world.network.slug, rows), world.keys["coalition"])
    (row,) = answer["diff"]["updated"]
    assert row["changes"] == [{"field": "membership.type", "before": None, "after": "MEMBER"}]
    assert (await models.Organization.get(slug="imp-outsider")).website is None


async def test_rows_that_name_the_same_organization_or_the_network_are_rejected(client: httpx.AsyncClient, world: World) -> None:
    rows = [
        {"name": "imp alpha", "website": "https://alpha.example.org"},
        {"name": "Alpha again", "website": "https://alpha.example.org/en"},
        {"name": "imp net"},
        {"name": "Nobody", "slug": "no-such-organization"},
    ]
    answer = await post(client, payload(world.network.slug, rows, dryRun=True), world.keys["admin"])
    assert sorted((tuple(e["field"]), e["code"]) for e in answer["userErrors"]) == [
        (("input", "members", "1"), "DUPLICATE"),
        (("input", "members", "2"), "CYCLE"),
        (("input", "members", "3", "slug"), "NOT_FOUND"),
    ]


async def test_two_thousand_rows_take_a_bounded_number_of_statements(client: httpx.AsyncClient, world: World) -> None:
    countries = ["AT", "KE", "BR", "IN", "FR"]
    rows = [
        {"name": f"Load Import Organization {n}", "country": countries[n % 5], "website": f"https://load{n}.example.org",
         "kind": "NGO", "since": "2020", "focalPoint": {"name": f"Person {n}", "email": f"p{n}@example.org"} if n % 4 == 0 else None}
        for n in range(2000)
    ]  # fmt: skip
    answer = await post(client, payload(world.network.slug, rows), world.keys["admin"], {"X-Directory-Stats": "1"})
    assert answer["userErrors"] == [] and len(answer["diff"]["created"]) == 2000
    statements = answer["extensions"]["stats"]["sqlStatements"]
    assert statements <= 90, f"{statements} statements for 2,000 rows: lookups and writes must be batched"
    again = await post(client, payload(world.network.slug, rows), world.keys["admin"], {"X-Directory-Stats": "1"})
    assert len(again["diff"]["unchanged"]) == 2000
    assert again["extensions"]["stats"]["sqlStatements"] <= 30


async def test_one_request_carries_at_most_ten_thousand_rows(client: httpx.AsyncClient, world: World) -> None:
    before = await snapshot()
    answer = await post(client, payload(world.network.slug, [{"name": "Too Many"}] * 10_001, dryRun=True), world.keys["coalition"])
    assert [(error["field"], error["code"]) for error in answer["userErrors"]] == [(["input", "members"], "TOO_MANY")]
    assert answer["diff"] is None and await snapshot() == before
