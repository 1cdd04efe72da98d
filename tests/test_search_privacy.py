"""Search never tells what a caller may not see: not by its hits, its corrections, nor its statement count.

A word that only a hidden organization uses must behave, for the public, like
a word that exists nowhere: the same answer and the same SQL statements as
before the organization existed. A key that may see the organization finds
it, typos included. Typo correction goes through a trigram index: its
statements do not grow with the vocabulary.
"""

from __future__ import annotations

import random
from typing import Any

import pytest_asyncio

from models.enums import KeyRole
from services.keys import create_key
from services.search_index import reindex
from tests.conftest import TEST_KEY_SECRET, GraphQLClient
from tests.factories import scratch

SEARCH = """
query Search($query: String!) {
  search(query: $query) {
    totalCount
    edges { rank node { __typename ... on Organization { slug } ... on Office { slug } ... on Event { slug } } }
  }
}
"""

SECRET_WORD = "quorvexia"
PROBES = ("quorv", "quorvexia", "quorvexa", "qorvexia society")
"""A prefix of the hidden organization's word, the word, and two misspellings of it."""


@pytest_asyncio.fixture(scope="module", autouse=True)
async def search_index(app: Any) -> None:
    await reindex()


async def _answers(gql: GraphQLClient) -> dict[str, tuple[Any, int]]:
    """Each probe's data and statement count."""
    found = {}
    for probe in PROBES:
        body = await gql(SEARCH, {"query": probe})
        found[probe] = (body["data"], body["extensions"]["stats"]["sqlStatements"])
    return found


def _hits(body: dict[str, Any]) -> list[tuple[str, str]]:
    return [(edge["node"]["__typename"], edge["node"].get("slug")) for edge in body["data"]["search"]["edges"]]


async def test_a_hidden_organizations_word_is_a_word_that_exists_nowhere(gql: GraphQLClient) -> None:
    before = await _answers(gql)
    async with scratch("search-privacy") as rows:
        made = await create_key(TEST_KEY_SECRET, "search privacy staff", KeyRole.STAFF, None)
        rows.rows.insert(0, made.record)
        secret = await rows.organization(
            "Hidden", hidden=True, city="Quorvexia", description=f"The {SECRET_WORD} society works {SECRET_WORD}ly."
        )
        await reindex("Organization", [secret.id])
        try:
            after = await _answers(gql)
            staff = await _answers(gql.with_key(made.key))
        finally:
            await secret.delete()
            await reindex("Organization", [secret.id])
    assert after == before
    for probe in PROBES:
        slugs = [edge["node"].get("slug") for edge in staff[probe][0]["search"]["edges"]]
        assert secret.slug in slugs, (probe, staff[probe])


async def test_hidden_documents_move_no_public_rank(gql: GraphQLClient) -> None:
    """Ranks are scores of each document alone: a hidden organization full of a public word changes none of them."""
    query = {"query": "vienna drugs"}
    before = await gql(SEARCH, query)
    assert before["data"]["search"]["totalCount"] > 1
    async with scratch("search-privacy-rank") as rows:
        secrets = [
            await rows.organization(f"Hidden {i}", hidden=True, city="Vienna", description="Vienna drugs " * (i + 1))
            for i in range(5)
        ]
        await reindex("Organization", [secret.id for secret in secrets])
        try:
            after = await gql(SEARCH, query)
        finally:
            for secret in secrets:
                await secret.delete()
            await reindex("Organization", [secret.id for secret in secrets])
    assert after["data"] == before["data"]


async def test_a_hidden_word_offers_no_correction_to_the_public(gql: GraphQLClient) -> None:
    """The only candidate for the misspelling is hidden: the public gets no correction, as if there were none."""
    async with scratch("search-privacy-only") as rows:
        secret = await rows.organization("Hidden", hidden=True, description=SECRET_WORD)
        await reindex("Organization", [secret.id])
        try:
            body = await gql(SEARCH, {"query": "quorvexa"})
        finally:
            await secret.delete()
            await reindex("Organization", [secret.id])
    assert body["data"]["search"] == {"totalCount": 0, "edges": []}


async def test_a_misspelt_word_is_corrected_in_the_same_statements_whatever_the_vocabulary(gql: GraphQLClient) -> None:
    misspelt = {"query": "corupption"}
    before = await gql(SEARCH, misspelt)
    assert before["data"]["search"]["edges"][0]["node"]["slug"] == "ceb"
    generator = random.Random(7)
    vocabulary = [
        "".join(generator.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(generator.randint(5, 11))) for _ in range(3000)
    ]
    vocabulary += [f"corup{suffix}x" for suffix in ("a", "b", "c", "d")]  # near the misspelling, but not as near as the word
    async with scratch("search-vocabulary") as rows:
        organizations = [
            await rows.organization(f"Vocabulary {i}", description=" ".join(vocabulary[i::10])) for i in range(10)
        ]
        await reindex("Organization", [organization.id for organization in organizations])
        try:
            after = await gql(SEARCH, misspelt)
        finally:
            for organization in organizations:
                await organization.delete()
            await reindex("Organization", [organization.id for organization in organizations])
    assert _hits(after) == _hits(before)  # ranks may move: the database's text score depends on the corpus
    assert after["extensions"]["stats"]["sqlStatements"] == before["extensions"]["stats"]["sqlStatements"]
