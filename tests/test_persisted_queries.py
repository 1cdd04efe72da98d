"""Automatic persisted queries as Apollo's clients use them, and trusted documents."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from datatools.trusted_documents import InvalidDocument, build, check, read_documents
from models.enums import KeyRole
from services.keys import create_key
from settings import CacheSettings, Settings
from tests.conftest import TEST_KEY_SECRET
from web.cached_reads import CachedReads
from web.response_cache import document_hash

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "trusted-documents"
CARD = (EXAMPLES / "organization-card.graphql").read_text().strip()


def _persisted(query: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": document_hash(query)}}


def _code(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


def _unique(label: str) -> str:
    """A document no other test sent, so that no process has persisted it yet."""
    return f'query {label} {{ organization(slug: "vngoc") {{ slug name }} }}'


async def test_a_hash_alone_is_unknown_until_the_client_sends_the_document_with_it(client: httpx.AsyncClient) -> None:
    query = _unique("ApqPost")
    extensions = _persisted(query)
    unknown = await client.post("/graphql", json={"extensions": extensions})
    assert unknown.status_code == 200
    assert unknown.json() == {"errors": [{"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}]}
    registered = await client.post("/graphql", json={"query": query, "extensions": extensions})
    assert registered.json()["data"] == {"organization": {"slug": "vngoc", "name": registered.json()["data"]["organization"]["name"]}}
    by_hash = await client.post("/graphql", json={"extensions": extensions})
    assert by_hash.status_code == 200
    assert by_hash.json() == registered.json()


async def test_the_same_round_trip_over_get(client: httpx.AsyncClient) -> None:
    query = 'query ApqGet($slug: String!) { organization(slug: $slug) { slug acronym } }'
    params = {"variables": json.dumps({"slug": "congo"}), "extensions": json.dumps(_persisted(query))}
    unknown = await client.get("/graphql", params=params)
    assert (unknown.status_code, _code(unknown)) == (200, "PERSISTED_QUERY_NOT_FOUND")
    assert unknown.headers["cache-control"] == "private, no-store"
    registered = await client.get("/graphql", params={**params, "query": query})
    assert registered.json()["data"] == {"organization": {"slug": "congo", "acronym": "CoNGO"}}
    by_hash = await client.get("/graphql", params=params)
    assert by_hash.json() == registered.json()


async def test_a_hash_that_is_not_the_documents_is_refused(client: httpx.AsyncClient) -> None:
    query = _unique("Mismatch")
    response = await client.post("/graphql", json={"query": query, "extensions": _persisted(query + " ")})
    assert (response.status_code, _code(response)) == (400, "PERSISTED_QUERY_HASH_MISMATCH")
    later = await client.post("/graphql", json={"extensions": _persisted(query + " ")})
    assert _code(later) == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize(
    ("persisted", "code"),
    [({"version": 2, "sha256Hash": "0" * 64}, "PERSISTED_QUERY_VERSION_NOT_SUPPORTED"), ({"version": 1, "sha256Hash": "nope"}, "PERSISTED_QUERY_HASH_INVALID")],
)
async def test_malformed_persisted_queries_are_refused_with_a_code(client: httpx.AsyncClient, persisted: dict[str, Any], code: str) -> None:
    response = await client.post("/graphql", json={"extensions": {"persistedQuery": persisted}})
    assert (response.status_code, _code(response)) == (400, code)
    assert "Traceback" not in response.text


async def test_a_persisted_mutation_over_get_is_refused(client: httpx.AsyncClient) -> None:
    mutation = 'mutation { organizationArchive(id: "T3JnYW5pemF0aW9uOjE=", version: 1) { userErrors { code } } }'
    response = await client.get("/graphql", params={"query": mutation, "extensions": json.dumps(_persisted(mutation))})
    assert response.status_code >= 400
    assert response.headers["cache-control"] == "private, no-store"


def test_the_example_documents_validate_against_the_schema(tmp_path: Path) -> None:
    documents = read_documents(EXAMPLES)
    assert len(documents) >= 5
    check(documents)
    output = tmp_path / "manifest.json"
    report = build(EXAMPLES, output)
    manifest = json.loads(output.read_text())
    assert set(manifest["documents"]) == {document_hash(text) for text in documents.values()}
    assert f"{len(documents)} trusted documents" in report


def test_a_document_that_does_not_validate_stops_the_build(tmp_path: Path) -> None:
    (tmp_path / "bad.graphql").write_text("{ organization(slug: 1) { nothing } }")
    with pytest.raises(InvalidDocument, match=r"bad\.graphql"):
        build(tmp_path, tmp_path / "manifest.json")
    assert not (tmp_path / "manifest.json").exists()


@pytest.fixture
def trusted_only(app: Any, tmp_path: Path) -> Iterator[CachedReads]:
    """The application with TRUSTED_DOCUMENTS=only and the manifest of the example documents."""
    manifest = tmp_path / "manifest.json"
    build(EXAMPLES, manifest)
    cache = CacheSettings.from_env({"TRUSTED_DOCUMENTS": "only", "TRUSTED_DOCUMENTS_MANIFEST": str(manifest)})
    application = app.application
    original = application.cached_reads
    application.cached_reads = CachedReads(Settings(database_url=application.settings.database_url, cache=cache), original.namespace)
    yield application.cached_reads
    application.cached_reads = original


@pytest_asyncio.fixture(scope="module")
async def staff_key(app: Any) -> AsyncIterator[str]:
    made = await create_key(TEST_KEY_SECRET, "trusted documents staff", KeyRole.STAFF)
    yield made.key
    await made.record.delete()


async def test_only_trusted_documents_run_for_anonymous_callers(client: httpx.AsyncClient, trusted_only: CachedReads) -> None:
    variables = {"slug": "vngoc"}
    by_text = await client.post("/graphql", json={"query": CARD, "variables": variables})
    assert by_text.json()["data"]["organization"]["acronym"] == "VNGOC"
    by_hash = await client.post("/graphql", json={"variables": variables, "extensions": _persisted(CARD)})
    assert by_hash.json() == by_text.json()
    by_get = await client.get("/graphql", params={"variables": json.dumps(variables), "extensions": json.dumps(_persisted(CARD))})
    assert by_get.json() == by_text.json()
    for refused in (
        client.post("/graphql", json={"query": '{ organization(slug: "vngoc") { name } }'}),
        client.post("/graphql", json={"query": _unique("NewOne"), "extensions": _persisted(_unique("NewOne"))}),
        client.post("/graphql", json={"extensions": _persisted(_unique("Unknown"))}),
        client.get("/graphql", params={"query": "{ __typename }"}),
    ):
        response = await refused
        assert (response.status_code, _code(response)) == (400, "PERSISTED_QUERY_NOT_IN_LIST"), response.text
    not_json = await client.post("/graphql", content=b"{ __typename }", headers={"Content-Type": "application/graphql"})
    assert (not_json.status_code, _code(not_json)) == (415, "UNSUPPORTED_MEDIA_TYPE"), "refused before any document runs"


async def test_staff_keys_run_any_document_in_trusted_mode(client: httpx.AsyncClient, trusted_only: CachedReads, staff_key: str) -> None:
    response = await client.post(
        "/graphql", json={"query": '{ organization(slug: "vngoc") { name } }'}, headers={"Authorization": f"Bearer {staff_key}"}
    )
    assert response.status_code == 200 and "errors" not in response.json()


def test_trusted_only_needs_a_manifest() -> None:
    with pytest.raises(ValueError, match="TRUSTED_DOCUMENTS_MANIFEST"):
        CacheSettings.from_env({"TRUSTED_DOCUMENTS": "only"})
