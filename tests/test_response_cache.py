"""Repeated reads are answered from the cache: with one SQL statement, never across callers who see differently,
never after a change, within their byte budget, and not at all when the cache is off."""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from tortoise.models import Model

import models
from db.meter import metering
from models.enums import KeyRole, MembershipType
from services.keys import create_key
from settings import CacheSettings, Settings
from tests.conftest import TEST_KEY_SECRET
from tests.factories import scratch
from web.cached_reads import CachedReads
from web.redis_store import RedisStore
from web.response_cache import LocalStore, TieredStore, document_hash

VNGOC = '{ organization(slug: "vngoc") { name acronym members(first: 5) { nodes { member { name } } } } }'
MEMBERS = 'query Members($slug: String!) { organization(slug: $slug) { members(first: 100) { nodes { member { slug } } } } }'


async def _post(client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None, key: str | None = None) -> tuple[dict[str, Any], int]:
    """The answer and the SQL statements it cost."""
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    with metering() as meter:
        response = await client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json(), meter.statements


@pytest.fixture
def front(app: Any) -> Iterator[CachedReads]:
    """The application's cached reads (``web.cached_reads``), put back as it was after the test."""
    application = app.application
    original = application.cached_reads
    yield original
    application.cached_reads = original


def _replace_front(app: Any, **cache: Any) -> CachedReads:
    application = app.application
    settings = Settings(database_url=application.settings.database_url, cache=CacheSettings(**cache))
    replacement = CachedReads(settings, application.cached_reads.namespace)
    application.cached_reads = replacement
    return replacement


async def test_a_repeated_read_is_answered_with_one_statement_the_version_check(
    client: httpx.AsyncClient, front: CachedReads, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, cost = await _post(client, VNGOC)
    assert cost > 1
    made: list[type] = []
    original = Model._init_from_db.__func__  # type: ignore[attr-defined]

    def counted(cls: type[Model], **values: Any) -> Model:
        made.append(cls)
        return original(cls, **values)

    monkeypatch.setattr(Model, "_init_from_db", classmethod(counted))
    await models.Organization.get(slug="vngoc")
    assert made == [models.Organization]  # the count works
    again, cost_again = await _post(client, VNGOC)
    assert again == first
    assert cost_again == 1
    assert made == [models.Organization]  # the hit made no ORM object


async def test_variables_are_part_of_the_key_in_any_order(client: httpx.AsyncClient, front: CachedReads) -> None:
    query = 'query Two($a: String!, $b: String!) { a: organization(slug: $a) { slug } b: organization(slug: $b) { slug } }'
    one, _ = await _post(client, query, {"a": "vngoc", "b": "congo"})
    assert one["data"] == {"a": {"slug": "vngoc"}, "b": {"slug": "congo"}}
    same, cost = await _post(client, query, {"b": "congo", "a": "vngoc"})
    assert (same, cost) == (one, 1)
    other, _ = await _post(client, query, {"a": "congo", "b": "vngoc"})
    assert other["data"] == {"a": {"slug": "congo"}, "b": {"slug": "vngoc"}}


async def test_a_change_is_seen_by_the_very_next_read(client: httpx.AsyncClient, front: CachedReads) -> None:
    query = '{ organization(slug: "vngoc") { name } }'
    before, _ = await _post(client, query)
    await _post(client, query)
    organization = await models.Organization.get(slug="vngoc")
    try:
        await models.Organization.filter(id=organization.id).update(name="Renamed for the cache test")
        after, cost = await _post(client, query)
        assert after["data"]["organization"]["name"] == "Renamed for the cache test"
        assert cost > 1
    finally:
        await models.Organization.filter(id=organization.id).update(name=organization.name)
    restored, _ = await _post(client, query)
    assert restored == before


async def test_mutations_and_errors_are_never_cached(client: httpx.AsyncClient, front: CachedReads) -> None:
    wrong = '{ organization(slug: "vngoc") { noSuchField } }'
    store = front.answers
    assert isinstance(store, LocalStore)
    for _ in range(2):
        response = await client.post("/graphql", json={"query": wrong})
        assert response.json()["errors"]
    stored = len(store)
    mutation = 'mutation { organizationArchive(id: "T3JnYW5pemF0aW9uOjE=", version: 1) { userErrors { code } } }'
    for _ in range(2):
        response = await client.post("/graphql", json={"query": mutation})
        assert response.json()["data"]["organizationArchive"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert len(store) == stored


async def test_the_clock_is_never_cached(client: httpx.AsyncClient, front: CachedReads) -> None:
    query = "{ applicationCalls(first: 1) { nodes { isOpen } } }"
    _, first = await _post(client, query)
    _, cost = await _post(client, query)
    assert cost == first >= 1, "run again each time, with no version check either"


@pytest_asyncio.fixture(scope="module")
async def viewers(app: Any) -> AsyncIterator[dict[str, Any]]:
    """A hidden member of the UNCAC Coalition, and keys of each kind."""
    async with scratch("cache") as rows:
        uncac = await models.Organization.get(slug="uncac-coalition")
        hidden = await rows.organization("hidden member", hidden=True)
        await rows.membership(hidden, uncac, type=MembershipType.MEMBER)
        keys: dict[str, str | None] = {"anonymous": None}
        for role, key_role, network in (
            ("uncac", KeyRole.COALITION, "uncac-coalition"),
            ("vngoc", KeyRole.COALITION, "vngoc"),
            ("staff", KeyRole.STAFF, None),
        ):
            made = await create_key(TEST_KEY_SECRET, f"cache {role}", key_role, network)
            rows.rows.insert(0, made.record)
            keys[role] = made.key
        yield {"keys": keys, "hidden": hidden.slug}


@pytest.mark.parametrize("order", [("anonymous", "staff", "uncac", "vngoc"), ("staff", "uncac", "vngoc", "anonymous")])
async def test_callers_who_see_differently_never_share_an_answer(
    client: httpx.AsyncClient, front: CachedReads, viewers: dict[str, Any], order: tuple[str, ...]
) -> None:
    sees_hidden = {"anonymous": False, "staff": True, "uncac": True, "vngoc": False}
    for _ in range(2):  # the second round is answered from the cache
        for role in order:
            body, _ = await _post(client, MEMBERS, {"slug": "uncac-coalition"}, viewers["keys"][role])
            slugs = {node["member"]["slug"] for node in body["data"]["organization"]["members"]["nodes"]}
            assert (viewers["hidden"] in slugs) is sees_hidden[role], role


async def test_the_cache_keeps_within_its_bytes_least_recently_used_first_out(app: Any, client: httpx.AsyncClient, front: CachedReads) -> None:
    replacement = _replace_front(app, max_bytes=4000, max_answer_bytes=1500)
    store = replacement.answers
    assert isinstance(store, LocalStore)
    small = [f'{{ organization(slug: "{slug}") {{ slug }} }}' for slug in ("vngoc", "congo", "uncac-coalition", "ti")]
    for query in small:
        await _post(client, query)
    assert store.size <= 4000 and len(store) == len(small)
    large = "{ organizations(first: 100) { nodes { name slug acronym website } } }"
    await _post(client, large)
    assert len(store) == len(small)  # over the answer limit: not kept
    _, first_again = await _post(client, small[0])  # used again: the most recent
    assert first_again == 1
    for n in range(40):
        await _post(client, f'{{ organizations(first: {n + 1}) {{ nodes {{ slug }} }} }}')
        assert store.size <= 4000
    _, evicted = await _post(client, small[1])
    assert evicted > 1


async def test_response_cache_off_answers_every_read_afresh(app: Any, client: httpx.AsyncClient, front: CachedReads) -> None:
    settings = CacheSettings.from_env({"RESPONSE_CACHE": "off"})
    assert not settings.response_cache
    replacement = _replace_front(app, response_cache=False)
    assert replacement.answers is None
    await _post(client, VNGOC)
    _, cost = await _post(client, VNGOC)
    assert cost > 1


async def test_redis_down_means_uncached_never_failed(app: Any, client: httpx.AsyncClient, front: CachedReads) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]  # nothing listens there once the probe is closed
    replacement = _replace_front(app, redis_url=f"redis://127.0.0.1:{closed}/0")
    first, _ = await _post(client, VNGOC)
    again, cost = await _post(client, VNGOC)
    assert again == first
    assert cost == 1  # the worker's own copy still answers
    persisted = {"persistedQuery": {"version": 1, "sha256Hash": document_hash(VNGOC)}}
    response = await client.post("/graphql", json={"query": VNGOC, "extensions": persisted})
    assert response.status_code == 200 and response.json()["data"] == first["data"]
    await replacement.close()


async def test_with_redis_a_fresh_worker_answers_from_what_another_cached(app: Any, client: httpx.AsyncClient, front: CachedReads) -> None:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    one = _replace_front(app, redis_url=url)
    query = '{ organization(slug: "congo") { name acronym } }'
    first, _ = await _post(client, query)
    other = _replace_front(app, redis_url=url)  # a worker with an empty memory of its own
    assert isinstance(other.answers, TieredStore) and isinstance(other.answers.shared, RedisStore)
    again, cost = await _post(client, query)
    assert again == first
    if not other.answers.shared.available:
        await one.close()
        await other.close()
        pytest.skip(f"Redis at {url} does not answer")
    assert cost == 1  # taken from Redis, not computed
    await one.close()
    await other.close()


# ------- root fields' answers, kept one by one -------

CARD = "name acronym members(first: 3) { nodes { member { slug country { code } } } }"


def _fresh(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> Any:
    """The answer computed afresh: a request asking for statistics is never answered from the cache."""
    return client.post("/graphql", json={"query": query, "variables": variables}, headers={"X-Directory-Stats": "1"})


async def test_another_operation_asking_the_same_root_fields_is_answered_from_their_kept_answers(
    client: httpx.AsyncClient, front: CachedReads
) -> None:
    first_query = f"query A($p: String!, $q: String!) {{ p: organization(slug: $p) {{ {CARD} }} q: organization(slug: $q) {{ {CARD} }} }}"
    first, cost = await _post(client, first_query, {"p": "vngoc", "q": "congo"})
    assert cost > 1
    # Other aliases, other variable names, the fields the other way round: the same two answers.
    other_query = f"query B($x: String!, $y: String!) {{ one: organization(slug: $y) {{ {CARD} }} two: organization(slug: $x) {{ {CARD} }} }}"
    other, other_cost = await _post(client, other_query, {"x": "vngoc", "y": "congo"})
    assert other_cost == 1  # the version check alone
    assert other["data"] == {"one": first["data"]["q"], "two": first["data"]["p"]}
    fresh = (await _fresh(client, other_query, {"x": "vngoc", "y": "congo"})).json()
    assert fresh["data"] == other["data"]
    # Fragments are written out in the key, whatever their names.
    with_fragment = "query C($s: String!) {{ a: organization(slug: $s) {{ ...{0} }} b: organization(slug: \"ti\") {{ ...{0} }} }}"
    fragment = " fragment {0} on Organization {{ {1} }}"
    await _post(client, with_fragment.format("Card") + fragment.format("Card", CARD), {"s": "vngoc"})
    renamed = with_fragment.format("Entry") + fragment.format("Entry", CARD)
    kept, kept_cost = await _post(client, renamed, {"s": "vngoc"})
    assert kept_cost == 1
    assert kept["data"]["a"] == first["data"]["p"]
    assert kept["data"] == (await _fresh(client, renamed, {"s": "vngoc"})).json()["data"]
    # One field kept, one new: only the new one runs, and the answer is whole.
    mixed, mixed_cost = await _post(client, first_query, {"p": "uncac-coalition", "q": "congo"})
    assert 1 < mixed_cost < cost + 1
    assert mixed["data"]["q"] == first["data"]["q"]
    assert mixed["data"] == (await _fresh(client, first_query, {"p": "uncac-coalition", "q": "congo"})).json()["data"]


async def test_a_root_fields_kept_answer_depends_on_all_of_its_text_and_variables(
    client: httpx.AsyncClient, front: CachedReads
) -> None:
    query = (
        "query C($a: String!, $b: String!, $n: Int) { a: organization(slug: $a) { name members(first: $n) { nodes { member { slug } } } }"
        " b: organization(slug: $b) { name } }"
    )
    nested_alias = (
        "query D($a: String!, $b: String!, $n: Int) { a: organization(slug: $a) { name members(first: $n) { nodes { who: member { slug } } } }"
        " b: organization(slug: $b) { name } }"
    )
    seen: list[Any] = []
    for text, variables in (
        (query, {"a": "uncac-coalition", "b": "vngoc", "n": 1}),
        (query, {"a": "uncac-coalition", "b": "vngoc", "n": 2}),  # a variable of a nested field
        (query, {"a": "uncac-coalition", "b": "vngoc"}),  # left out: the field's default page
        (query, {"a": "uncac-coalition", "b": "vngoc", "n": None}),  # null: the same default, its own key
        (nested_alias, {"a": "uncac-coalition", "b": "vngoc", "n": 1}),  # an alias inside the field
    ):
        await _post(client, text, variables)  # keeps the answers
        answer, _ = await _post(client, text, variables)
        assert answer["data"] == (await _fresh(client, text, variables)).json()["data"]
        seen.append(answer["data"]["a"])
    sizes = [len(answer["members"]["nodes"]) for answer in seen]
    assert sizes[:2] == [1, 2] and sizes[2] == sizes[3] > 2
    assert "who" in seen[4]["members"]["nodes"][0] and "member" in seen[0]["members"]["nodes"][0]


async def test_a_change_is_seen_in_kept_root_field_answers(client: httpx.AsyncClient, front: CachedReads) -> None:
    query = 'query E($a: String!) { a: organization(slug: $a) { name } b: organization(slug: "congo") { name } }'
    other = 'query F($s: String!) { x: organization(slug: "congo") { name } y: organization(slug: $s) { name } }'
    await _post(client, query, {"a": "vngoc"})
    organization = await models.Organization.get(slug="vngoc")
    try:
        await models.Organization.filter(id=organization.id).update(name="Renamed for the field cache test")
        after, cost = await _post(client, other, {"s": "vngoc"})
        assert after["data"]["y"]["name"] == "Renamed for the field cache test"
        assert cost > 1
    finally:
        await models.Organization.filter(id=organization.id).update(name=organization.name)


async def test_callers_who_see_differently_never_share_a_root_fields_answer(
    client: httpx.AsyncClient, front: CachedReads, viewers: dict[str, Any]
) -> None:
    two = (
        "query G($slug: String!) { a: organization(slug: $slug) { members(first: 100) { nodes { member { slug } } } }"
        ' b: organization(slug: "vngoc") { name } }'
    )
    other = (
        "query H($slug: String!) { b: organization(slug: $slug) { members(first: 100) { nodes { member { slug } } } }"
        ' c: organization(slug: "congo") { name } }'
    )
    sees_hidden = {"anonymous": False, "staff": True, "uncac": True, "vngoc": False}
    for role in ("staff", "anonymous", "uncac", "vngoc"):
        await _post(client, two, {"slug": "uncac-coalition"}, viewers["keys"][role])
    for role in ("anonymous", "vngoc", "staff", "uncac"):
        body, _ = await _post(client, other, {"slug": "uncac-coalition"}, viewers["keys"][role])
        slugs = {node["member"]["slug"] for node in body["data"]["b"]["members"]["nodes"]}
        assert (viewers["hidden"] in slugs) is sees_hidden[role], role
