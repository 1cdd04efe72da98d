"""eventCreate, eventUpdate, eventArchive: dates at their precision, languages, organizers; who may, what is recorded."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

import models
from domain.ids import global_id
from tests.support.writes import codes, make_keys, post, post_raw, snapshot

FIELDS = (
    "event { id slug name kind country { code } version archivedAt marginsOf { slug } languages "
    "dates { edtf exact startDate endDate startTime endTime } "
    "organizers { nodes { role organizer { __typename ... on Organization { slug } ... on Office { slug } } } } } "
    "userErrors { field message code }"
)
CREATE = f"mutation($input: EventInput!) {{ eventCreate(input: $input) {{ {FIELDS} }} }}"
UPDATE = (
    "mutation($id: ID!, $version: Int!, $input: EventInput!) "
    f"{{ eventUpdate(id: $id, version: $version, input: $input) {{ {FIELDS} }} }}"
)
ARCHIVE = f"mutation($id: ID!, $version: Int!) {{ eventArchive(id: $id, version: $version) {{ {FIELDS} }} }}"
TABLES = (models.Event, models.EventDate, models.EventLanguage, models.EventOrganizer, models.AuditEntry)


@pytest_asyncio.fixture(scope="module")
async def keys(app: Any) -> AsyncIterator[dict[str, str]]:
    async for made in make_keys("event"):
        yield made


async def _id(client: httpx.AsyncClient, field: str, slug: str) -> str:
    response = await client.post("/graphql", json={"query": f'{{ {field}(slug: "{slug}") {{ id }} }}'})
    return str(response.json()["data"][field]["id"])


async def _create(client: httpx.AsyncClient, key: str, **values: Any) -> dict[str, Any]:
    payload = (await post(client, CREATE, {"input": {"kind": "SIDE_EVENT", "source": "test", **values}}, key))["eventCreate"]
    assert payload["userErrors"] == [], payload
    return dict(payload["event"])


async def test_an_administrator_creates_an_event_with_its_dates_languages_and_organizers(
    client: httpx.AsyncClient, keys: dict[str, str]
) -> None:
    event = await _create(
        client,
        keys["admin"],
        name="Civil society and drug policy",
        country="AT",
        marginsOf=await _id(client, "event", "cnd-66"),
        dates=[
            {"edtf": "2023-03-14", "startTime": "13:10:00", "endTime": "14:00:00"},
            {"edtf": "2023-05"},
            {"edtf": "2023-03-20/2023-03-21"},
        ],
        languages=["EN", "sp", "EN"],
        organizers=[
            {"organizer": await _id(client, "office", "csu"), "role": "LEAD"},
            {"organizer": await _id(client, "organization", "vngoc"), "role": "CO_ORGANIZER"},
        ],
    )
    assert event["slug"] == "civil-society-and-drug-policy"
    assert (event["country"], event["marginsOf"], event["languages"], event["version"]) == (
        {"code": "AT"}, {"slug": "cnd-66"}, ["EN", "ES"], 1
    )
    assert event["dates"] == [
        {"edtf": "2023-03-14", "exact": True, "startDate": "2023-03-14", "endDate": "2023-03-14", "startTime": "13:10:00", "endTime": "14:00:00"},
        {"edtf": "2023-03-20/2023-03-21", "exact": True, "startDate": "2023-03-20", "endDate": "2023-03-21", "startTime": None, "endTime": None},
        {"edtf": "[2023-05-01..2023-05-31]", "exact": False, "startDate": "2023-05-01", "endDate": "2023-05-31", "startTime": None, "endTime": None},
    ]
    assert [(node["role"], node["organizer"]) for node in event["organizers"]["nodes"]] == [
        ("LEAD", {"__typename": "Office", "slug": "csu"}),
        ("CO_ORGANIZER", {"__typename": "Organization", "slug": "vngoc"}),
    ]
    public = await client.post("/graphql", json={"query": '{ events(filter: { marginsOf: "cnd-66" }, first: 100) { nodes { slug startDate } } }'})
    assert {"slug": event["slug"], "startDate": "2023-03-14"} in public.json()["data"]["events"]["nodes"]


@pytest.mark.parametrize("role", ["anonymous", "staff", "coalition"])
async def test_only_administrators_change_events(client: httpx.AsyncClient, keys: dict[str, str], role: str) -> None:
    before = await snapshot(*TABLES)
    cnd = await _id(client, "event", "cnd-66")
    created = await post(client, CREATE, {"input": {"name": "Refused", "kind": "SIDE_EVENT"}}, keys.get(role))
    assert codes(created["eventCreate"]) == [(None, "FORBIDDEN")] and created["eventCreate"]["event"] is None
    updated = await post(client, UPDATE, {"id": cnd, "version": 1, "input": {"dates": []}}, keys.get(role))
    assert codes(updated["eventUpdate"]) == [(None, "FORBIDDEN")]
    archived = await post(client, ARCHIVE, {"id": cnd, "version": 1}, keys.get(role))
    assert codes(archived["eventArchive"]) == [(None, "FORBIDDEN")]
    assert await snapshot(*TABLES) == before


async def test_every_problem_is_reported_at_once_and_nothing_is_written(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    before = await snapshot(*TABLES)
    bad = {
        "name": "",
        "slug": "cnd-66",
        "country": "XX",
        "sessionNumber": 0,
        "marginsOf": await _id(client, "office", "csu"),
        "governingBody": global_id("GoverningBody", 999_999),
        "dates": [
            {"edtf": "2023-13-01"},
            {"edtf": "2023-03-17/2023-03-13"},
            {"edtf": "2023-03-14", "startTime": "15:00:00", "endTime": "14:00:00"},
            {"edtf": "[..2023-03]"},
        ],
        "languages": ["EN", "XX"],
        "organizers": [{"organizer": await _id(client, "event", "cnd-66")}],
    }
    payload = (await post(client, CREATE, {"input": bad}, keys["admin"]))["eventCreate"]
    assert payload["event"] is None
    assert codes(payload) == [
        (("input", "country"), "INVALID_COUNTRY"),
        (("input", "dates", "0", "edtf"), "INVALID_DATE"),
        (("input", "dates", "1", "edtf"), "DATE_ORDER"),
        (("input", "dates", "2", "endTime"), "DATE_ORDER"),
        (("input", "dates", "3", "edtf"), "INVALID_DATE"),
        (("input", "governingBody"), "NOT_FOUND"),
        (("input", "kind"), "REQUIRED"),
        (("input", "languages", "1"), "INVALID_LANGUAGE"),
        (("input", "marginsOf"), "INVALID"),
        (("input", "name"), "REQUIRED"),
        (("input", "organizers", "0", "organizer"), "INVALID"),
        (("input", "sessionNumber"), "INVALID"),
        (("input", "slug"), "TAKEN"),
    ]
    assert await snapshot(*TABLES) == before


async def test_too_many_dates_are_refused(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    payload = (await post(client, CREATE, {"input": {"name": "Long", "kind": "TRAINING", "dates": [{"edtf": "2023"}] * 101}}, keys["admin"]))
    assert codes(payload["eventCreate"]) == [(("input", "dates"), "TOO_MANY")]


async def test_new_dates_raise_the_version_and_are_in_the_audit_log(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    event = await _create(client, keys["admin"], name="Rescheduled briefing", dates=[{"edtf": "2023-06"}], languages=["FR"])
    changed = (await post(client, UPDATE, {"id": event["id"], "version": 1, "input": {"dates": [{"edtf": "2023-06-12"}]}}, keys["admin"]))
    updated = changed["eventUpdate"]["event"]
    assert (updated["version"], [d["edtf"] for d in updated["dates"]], updated["languages"]) == (2, ["2023-06-12"], ["FR"])
    row = await models.Event.get(slug=event["slug"])
    assert row.first_date is not None and row.first_date.isoformat() == "2023-06-12"
    entry = await models.AuditEntry.filter(object_type="Event", object_id=row.id, operation="eventUpdate").get()
    assert entry.before == {"dates": [{"edtf": "[2023-06-01..2023-06-30]", "startTime": None, "endTime": None}], "version": 1}
    assert entry.after == {"dates": [{"edtf": "2023-06-12", "startTime": None, "endTime": None}], "version": 2}
    same = (await post(client, UPDATE, {"id": event["id"], "version": 2, "input": {"languages": ["FR"]}}, keys["admin"]))
    assert same["eventUpdate"]["event"]["version"] == 2
    assert await models.AuditEntry.filter(object_type="Event", object_id=row.id).count() == 2
    cleared = (await post(client, UPDATE, {"id": event["id"], "version": 2, "input": {"dates": None}}, keys["admin"]))
    assert (cleared["eventUpdate"]["event"]["dates"], cleared["eventUpdate"]["event"]["version"]) == ([], 3)
    assert (await models.Event.get(id=row.id)).first_date is None


async def test_a_stale_update_is_refused_saying_what_changed(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    event = await _create(client, keys["admin"], name="Contested workshop", kind="WORKSHOP")
    first = await post(client, UPDATE, {"id": event["id"], "version": 1, "input": {"languages": ["AR"], "city": "Vienna"}}, keys["other admin"])
    assert first["eventUpdate"]["userErrors"] == []
    stale = (await post(client, UPDATE, {"id": event["id"], "version": 1, "input": {"city": "Graz"}}, keys["admin"]))["eventUpdate"]
    (error,) = stale["userErrors"]
    assert error["code"] == "CONFLICT" and "languages" in error["message"] and "city" in error["message"]
    assert "event other admin" in error["message"]
    assert (await models.Event.get(slug=event["slug"])).city == "Vienna"


async def test_an_event_cannot_be_held_in_its_own_margins(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    host = await _create(client, keys["admin"], name="Host session", kind="SESSION")
    side = await _create(client, keys["admin"], name="Side of host", marginsOf=host["id"])
    payload = await post(client, UPDATE, {"id": host["id"], "version": 1, "input": {"marginsOf": side["id"]}}, keys["admin"])
    assert codes(payload["eventUpdate"]) == [(("input", "marginsOf"), "CYCLE")]


async def test_an_archived_event_leaves_public_reads_and_the_calendar(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    event = await _create(client, keys["admin"], name="Withdrawn dialogue", dates=[{"edtf": "2031-02-03"}])
    archived = (await post(client, ARCHIVE, {"id": event["id"], "version": 1}, keys["admin"]))["eventArchive"]
    assert archived["userErrors"] == [] and archived["event"]["archivedAt"] is not None
    lookup = {"query": f'{{ event(slug: "{event["slug"]}") {{ slug }} events(filter: {{ dateFrom: "2031-01-01" }}) {{ totalCount }} }}'}
    assert (await client.post("/graphql", json=lookup)).json()["data"] == {"event": None, "events": {"totalCount": 0}}
    calendar = await client.get("/calendar.ics?dateFrom=2031-01-01")
    assert calendar.status_code == 200 and "Withdrawn dialogue" not in calendar.text
    staff = await client.post("/graphql", json=lookup, headers={"Authorization": f"Bearer {keys['staff']}"})
    assert staff.json()["data"] == {"event": {"slug": event["slug"]}, "events": {"totalCount": 1}}


async def test_an_id_of_another_type_is_refused(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    before = await snapshot(*TABLES)
    office = await _id(client, "office", "csu")
    answer = await post_raw(client, ARCHIVE, {"id": office, "version": 1}, keys["admin"])
    assert answer["data"] is None and [error["extensions"]["code"] for error in answer["errors"]] == ["INVALID_ID"]
    assert await snapshot(*TABLES) == before


async def test_nothing_new_points_at_an_archived_event(client: httpx.AsyncClient, keys: dict[str, str]) -> None:
    host = await _create(client, keys["admin"], name="Closed host session", kind="SESSION")
    await post(client, ARCHIVE, {"id": host["id"], "version": 1}, keys["admin"])
    payload = await post(client, CREATE, {"input": {"name": "Late side event", "kind": "SIDE_EVENT", "marginsOf": host["id"]}}, keys["admin"])
    assert codes(payload["eventCreate"]) == [(("input", "marginsOf"), "ARCHIVED")]
    again = await post(client, ARCHIVE, {"id": host["id"], "version": 2}, keys["admin"])
    assert codes(again["eventArchive"]) == [(("id",), "ARCHIVED")]
