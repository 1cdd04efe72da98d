"""Which document a request runs: Apollo's automatic persisted queries, and the trusted documents.

Automatic persisted queries (Apollo's ``extensions.persistedQuery``,
``{"version": 1, "sha256Hash": "<hex>"}``): a client first sends only the
hash; unknown, the answer is the error ``PERSISTED_QUERY_NOT_FOUND`` (HTTP 200,
message ``PersistedQueryNotFound``, as Apollo's clients expect) and the client
sends the hash with the document, which is kept (in the process, and in Redis
when there is one) for the next time. A hash that is not the document's is
refused (400, ``PERSISTED_QUERY_HASH_MISMATCH``).

Trusted documents (``TRUSTED_DOCUMENTS=only``): only the documents of the
manifest (``manage.py trusted-documents``) run, sent by hash or as their exact
text; anything else is refused (400, ``PERSISTED_QUERY_NOT_IN_LIST``), and the
automatic registration of new documents stops. Callers who see everything
(STAFF and ADMIN keys) are exempt.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import orjson

from web.response_cache import Store, document_hash

MANIFEST_FORMAT = "directory-trusted-documents"
SHA256 = re.compile(r"^[0-9a-f]{64}$")


class Refusal(Exception):
    """A request this layer answers itself with one GraphQL error."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def body(self) -> bytes:
        """The JSON answer: one error with its code."""
        return orjson.dumps({"errors": [{"message": self.message, "extensions": {"code": self.code}}]})


NOT_FOUND = Refusal(200, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
NOT_IN_LIST = Refusal(
    400,
    "PERSISTED_QUERY_NOT_IN_LIST",
    "Only the service's trusted documents run here: send one of them (by its sha256 hash or as its exact text), "
    "or a STAFF or ADMIN key.",
)


def load_manifest(path: str | Path) -> dict[str, str]:
    """The documents of a manifest, by hash; a hash that is not its document's is an error."""
    data = orjson.loads(Path(path).read_bytes())
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT or not isinstance(data.get("documents"), dict):
        raise ValueError(f"{path} is not a trusted-documents manifest (manage.py trusted-documents)")
    documents: dict[str, str] = data["documents"]
    for sha, document in documents.items():
        if not isinstance(document, str) or document_hash(document) != sha:
            raise ValueError(f"{path}: the document under {sha} does not have that hash")
    return documents


class PersistedDocuments:
    """Resolves the document of a request from its text, its persisted-query hash, or both."""

    def __init__(self, store: Store, manifest: dict[str, str] | None = None, trusted_only: bool = False) -> None:
        self.store = store
        self.manifest = manifest or {}
        self.trusted_only = trusted_only

    async def resolve(self, query: str | None, persisted: Any, exempt: bool) -> str | None:
        """The document to run (None when the request has none); ``Refusal`` when it may not run."""
        enforce = self.trusted_only and not exempt
        if persisted is None:
            if enforce and query is not None and document_hash(query) not in self.manifest:
                raise NOT_IN_LIST
            return query
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            raise Refusal(400, "PERSISTED_QUERY_VERSION_NOT_SUPPORTED", "Only persisted queries of version 1 are supported.")
        sha = persisted.get("sha256Hash")
        if not isinstance(sha, str) or not SHA256.match(sha):
            raise Refusal(400, "PERSISTED_QUERY_HASH_INVALID", "`sha256Hash` must be 64 lower-case hex digits.")
        if query is None:
            known = self.manifest.get(sha)
            if known is None and not enforce:
                stored = await self.store.get(sha)
                known = stored.decode() if stored is not None else None
            if known is None:
                raise NOT_IN_LIST if enforce else NOT_FOUND
            return known
        if document_hash(query) != sha:
            raise Refusal(400, "PERSISTED_QUERY_HASH_MISMATCH", "`sha256Hash` is not the sha256 hash of the query.")
        if sha not in self.manifest:
            if enforce:
                raise NOT_IN_LIST
            await self.store.set(sha, query.encode())
        return query
