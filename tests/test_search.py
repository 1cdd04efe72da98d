"""search(query, types, first, after): accent-insensitive, prefix, ranked, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import pytest_asyncio

import models
from domain.access import Role, Viewer
from domain.text import normalize
from queries.search import search, search_filter
from services.search_index import reindex
from tests.factories import scratch

SEARCH = """
query Search($query: String!, $types: [SearchType!], $first: Int, $after: String) {
  search(query: $query, types: $types, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges {
      cursor
      rank
      node {
        __typename
        ... on Organization { slug name }
        ... on Office { slug name }
        ... on Event { slug name }
        ... on GoverningBody { slug name }
        ... on Instrument { slug name }
        ... on Programme { slug name }
      }
    }
  }
}
"""


@pytest_asyncio.fixture(scope="module", autouse=True)
async def search_index(app: Any) -> None:
    """The index built from the loaded data (the loader builds it too; rebuilding is idempotent)."""
    await reindex()


async def _search(gql: Any, query: str, **variables: Any) -> dict[str, Any]:
    data: dict[str, Any] = await gql.data(SEARCH, {"query": query, **variables})
    return data["search"]


def _hits(result: dict[str, Any]) -> list[str]:
    return [f"{edge['node']['__typename']}:{edge['node']['slug']}" for edge in result["edges"]]


def _tiers(result: dict[str, Any]) -> list[tuple[int, str]]:
    """Hits as (tier, hit), in the order returned: the tier is the whole part of the rank."""
    return [(int(edge["rank"]), hit) for edge, hit in zip(result["edges"], _hits(result), strict=True)]


# Accents, case, prefixes, aliases, acronyms -----------------------------------


async def test_accents_and_case_do_not_matter(gql: Any) -> None:
    results = [await _search(gql, spelling) for spelling in ("Türkiye", "turkiye", "TURKIYE", "türkiye", "TÜRKİYE")]
    assert _hits(results[0]) == ["Office:rosee"]
    assert all(_hits(result) == _hits(results[0]) for result in results)


async def test_a_country_finds_offices_located_there(gql: Any) -> None:
    """ROSEE moved to Istanbul in 2023: its current location is indexed as its place."""
    assert _hits(await _search(gql, "istanbul")) == ["Office:rosee"]


async def test_an_acronym_finds_its_organization_first(gql: Any) -> None:
    result = await _search(gql, "vngoc")
    assert _hits(result)[0] == "Organization:vngoc"
    assert result["edges"][0]["node"]["name"] == "Vienna NGO Committee on Drugs"
    assert int(result["edges"][0]["rank"]) == 4


async def test_an_alias_finds_its_office_first(gql: Any) -> None:
    result = await _search(gql, "Crime and Economic Branch")
    assert _hits(result)[0] == "Office:ceb"
    assert result["edges"][0]["node"]["name"] == "Corruption and Economic Crime Branch"


async def test_words_match_as_prefixes(gql: Any) -> None:
    result = await _search(gql, "corrup")
    assert _hits(result)[0] == "Office:ceb"
    assert {"Instrument:uncac", "GoverningBody:cosp-uncac"} <= set(_hits(result))


async def test_every_word_must_match(gql: Any) -> None:
    assert _hits(await _search(gql, "vngoc istanbul")) == []


async def test_names_rank_above_descriptions(gql: Any) -> None:
    result = await _search(gql, "unodc", first=50)
    ranks = [edge["rank"] for edge in result["edges"]]
    assert ranks == sorted(ranks, reverse=True)
    assert _hits(result)[0] == "Office:unodc"
    description_only = [hit for tier, hit in _tiers(result) if tier == 0]
    assert description_only and _hits(result)[-len(description_only) :] == description_only


async def test_a_misspelt_word_is_corrected_when_nothing_matches(gql: Any) -> None:
    assert _hits(await _search(gql, "corupption")) == _hits(await _search(gql, "corruption"))
    assert _hits(await _search(gql, "corupption"))[0] == "Office:ceb"


LIST_SEARCH = """query ($words: String!) {
  organizations(filter: { search: $words }, first: 5) { totalCount nodes { slug } }
  offices(filter: { search: $words }, first: 5) { totalCount nodes { slug } }
}"""


async def test_a_list_corrects_its_search_only_when_nothing_matched(gql: Any) -> None:
    """A list's search is corrected when its page comes back empty, so a search that matches costs no correction."""
    right = await gql.data(LIST_SEARCH, {"words": "corruption"})
    misspelt = await gql.data(LIST_SEARCH, {"words": "corupption"})
    assert right["organizations"]["nodes"] and right["offices"]["nodes"]
    assert misspelt == right
    spent = await gql.statements(LIST_SEARCH, {"words": "corruption"})
    # each list: the page and its count, then for the misspelling, the empty page and the corrections first
    assert spent == 2 + 2
    assert await gql.statements(LIST_SEARCH, {"words": "corupption"}) == spent + 2 * 2
    assert await gql.data(LIST_SEARCH, {"words": "zzyqxw"}) == {
        "organizations": {"totalCount": 0, "nodes": []},
        "offices": {"totalCount": 0, "nodes": []},
    }


async def test_a_list_of_no_rows_counts_the_corrected_search(gql: Any) -> None:
    query = "query ($words: String!) { organizations(filter: { search: $words }, first: 0) { totalCount } }"
    assert (await gql.data(query, {"words": "corupption"})) == (await gql.data(query, {"words": "corruption"}))
    assert (await gql.data(query, {"words": "corruption"}))["organizations"]["totalCount"] > 0


# Hostile and odd input ----------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "'); DROP TABLE organization; --",
        'NEAR(a b) * "',
        '"unbalanced',
        "a:* & b | !c <-> d",
        "title_text : vngoc",
        "{title_text} : x",
        "vngoc OR NOT cnd AND -x ^y +z",
        "% _ \\ ' ; --",
        "\x00\t\n",
    ],
)
async def test_query_syntax_is_plain_text(gql: Any, query: str) -> None:
    result = await _search(gql, query)
    assert result["totalCount"] >= len(result["edges"])
    assert (await gql.data("{ organizations(first: 1) { totalCount } }"))["organizations"]["totalCount"] > 0


async def test_operators_are_words_to_look_for(gql: Any) -> None:
    """ "NEAR", "OR" and "-" do not turn into operators: "vngoc -vienna" still needs vienna."""
    assert _hits(await _search(gql, "vngoc OR istanbul")) == []
    assert _hits(await _search(gql, "vngoc -vienna"))[0] == "Organization:vngoc"


async def test_a_query_without_letters_or_digits_finds_nothing(gql: Any) -> None:
    for query in ("", "   ", "***", "'\"()"):
        result = await _search(gql, query)
        assert result == {
            "totalCount": 0,
            "pageInfo": {"hasNextPage": False, "hasPreviousPage": False, "startCursor": None, "endCursor": None},
            "edges": [],
        }


async def test_a_too_long_query_is_refused(gql: Any) -> None:
    body = await gql(SEARCH, {"query": "a " * 200}, errors=True)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "256 characters" in body["errors"][0]["message"]


# Types, pagination -----------------------------------------------------------------


async def test_types_restrict_the_kinds_returned(gql: Any) -> None:
    everything = await _search(gql, "vienna", first=100)
    offices = await _search(gql, "vienna", types=["OFFICE"], first=100)
    assert {hit.split(":")[0] for hit in _hits(everything)} > {"Office"}
    assert _hits(offices) and all(hit.startswith("Office:") for hit in _hits(offices))
    assert _hits(offices) == [hit for hit in _hits(everything) if hit.startswith("Office:")]
    assert (await _search(gql, "vienna", types=[]))["totalCount"] == 0


async def test_pages_follow_each_other(gql: Any) -> None:
    whole = await _search(gql, "vienna", first=12)
    first = await _search(gql, "vienna", first=5)
    second = await _search(gql, "vienna", first=5, after=first["pageInfo"]["endCursor"])
    third = await _search(gql, "vienna", first=2, after=second["pageInfo"]["endCursor"])
    assert _hits(first) + _hits(second) + _hits(third) == _hits(whole)
    assert first["pageInfo"]["hasPreviousPage"] is False and first["pageInfo"]["hasNextPage"] is True
    assert second["pageInfo"]["hasPreviousPage"] is True
    assert first["totalCount"] == second["totalCount"] == whole["totalCount"] > 12
    last = await _search(gql, "vienna", first=100)
    assert last["pageInfo"]["hasNextPage"] is False and len(last["edges"]) == last["totalCount"]
    beyond = await _search(gql, "vienna", first=5, after=last["pageInfo"]["endCursor"])
    assert beyond["edges"] == [] and beyond["totalCount"] == whole["totalCount"]


async def test_first_zero_still_counts(gql: Any) -> None:
    result = await _search(gql, "vienna", first=0)
    assert result["edges"] == [] and result["totalCount"] > 0 and result["pageInfo"]["hasNextPage"] is True


@pytest.mark.parametrize("cursor", ["nope", "eyJhIjoxfQ", "WyJzZWFyY2giLCJ4IiwtMV0"])
async def test_a_foreign_cursor_is_refused(gql: Any, cursor: str) -> None:
    body = await gql(SEARCH, {"query": "vienna", "after": cursor}, errors=True)
    assert body["errors"][0]["extensions"]["code"] == "INVALID_CURSOR"


async def test_a_cursor_only_works_for_its_own_search(gql: Any) -> None:
    cursor = (await _search(gql, "vienna", first=1))["pageInfo"]["endCursor"]
    assert (await _search(gql, "VIENNA", first=1, after=cursor))["edges"]  # same search once folded
    for other in ({"query": "drugs"}, {"query": "vienna", "types": ["EVENT"]}):
        body = await gql(SEARCH, {**other, "after": cursor}, errors=True)
        assert body["errors"][0]["extensions"]["code"] == "INVALID_CURSOR"


@pytest.mark.parametrize("first", [-1, 101])
async def test_page_size_is_bounded(gql: Any, first: int) -> None:
    body = await gql(SEARCH, {"query": "vienna", "first": first}, errors=True)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


# Same answers on both databases ------------------------------------------------------

EXPECTED_TOP = {
    "turkiye": ["Office:rosee"],
    "vngoc": ["Organization:vngoc"],
    "Crime and Economic Branch": ["Office:ceb"],
    "cnd": ["GoverningBody:cnd"],
    "unodc": ["Office:unodc"],
    "corrup": ["Office:ceb"],
}
"""Top hits asserted on every database the suite runs on, so SQLite and PostgreSQL agree on them."""


@pytest.mark.parametrize("query", sorted(EXPECTED_TOP))
async def test_top_hits_are_the_same_on_every_database(gql: Any, query: str) -> None:
    expected = EXPECTED_TOP[query]
    assert _hits(await _search(gql, query))[: len(expected)] == expected


_TIERS_SEEN: dict[str, dict[str, list[tuple[int, frozenset[str]]]]] = {}


@pytest.mark.parametrize("query", ["vienna", "convention", "drugs", "ngo", "corrup"])
async def test_tiers_are_the_same_on_every_database(gql: Any, backend: str, query: str) -> None:
    """Hits fall into the same tiers everywhere; only the order inside a tier may differ."""
    result = await _search(gql, query, first=100)
    grouped: dict[int, set[str]] = {}
    for tier, hit in _tiers(result):
        grouped.setdefault(tier, set()).add(hit)
    shape = [(tier, frozenset(hits)) for tier, hits in sorted(grouped.items(), reverse=True)]
    seen = _TIERS_SEEN.setdefault(query, {})
    seen[backend] = shape
    assert len(set(map(tuple, seen.values()))) == 1, seen


# Cost ------------------------------------------------------------------------------


async def test_a_mixed_search_costs_one_statement_plus_one_per_type(gql: Any) -> None:
    result = await _search(gql, "vienna", first=20)
    types = {hit.split(":")[0] for hit in _hits(result)}
    assert len(types) >= 3
    statements = await gql.statements(SEARCH, {"query": "vienna", "first": 20})
    assert statements == 1 + len(types)


# Visibility and keeping the index in step --------------------------------------------


async def test_hidden_organizations_are_not_found_by_the_public(gql: Any) -> None:
    async with scratch("search-hidden") as rows:
        secret = await rows.organization("Zyxwvut Society", hidden=True)
        try:
            await reindex("Organization", [secret.id])
            result = await _search(gql, "zyxwvut")
            staff = await search("zyxwvut", viewer=Viewer(Role.STAFF))
            public = await search("zyxwvut")
        finally:
            await secret.delete()
            await reindex("Organization", [secret.id])
    assert result["totalCount"] == 0 and result["edges"] == []
    assert public.total == 0
    assert [(hit.entity_type, hit.entity_id) for hit in staff.hits] == [("Organization", secret.id)]


async def test_reindex_follows_changes_and_deletions(gql: Any) -> None:
    async with scratch("search-sync") as rows:
        event = await rows.event("Qwertzuiop Workshop", dt.date(2031, 5, 4), city="Kraków", country="PL")
        await reindex("Event", [event.id])
        found = _hits(await _search(gql, "krakow qwertz"))
        event.aliases = ["Asdfghjk Meeting"]
        await event.save()
        await reindex("Event", [event.id])
        by_alias = _hits(await _search(gql, "asdfghjk"))
    await reindex("Event", [event.id])
    gone = await _search(gql, "qwertzuiop")
    assert found == [f"Event:{event.slug}"]
    assert by_alias == [f"Event:{event.slug}"]
    assert gone["totalCount"] == 0
    assert not await models.SearchDocument.filter(entity_type="Event", entity_id=event.id).exists()


async def test_search_filter_keeps_the_matching_rows(app: Any) -> None:
    offices = await models.Office.filter(await search_filter("Office", "turkiye"))
    assert [office.slug for office in offices] == ["rosee"]
    assert await models.Office.filter(await search_filter("Office", "  ")).count() == await models.Office.all().count()


def test_normalization_folds_case_accents_and_punctuation() -> None:
    assert normalize("Türkiye") == normalize("TURKIYE") == "turkiye"
    assert normalize("Łódź, Øresund & Straße") == "lodz oresund strasse"
    assert normalize("anti-corruption (UNCAC)") == "anti corruption uncac"
