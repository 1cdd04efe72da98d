"""Parsed and validated documents, kept only while small: caches bounded in bytes, not in entries.

A document's syntax tree takes tens of times its text in memory, so a cache
of N entries can hold gigabytes when the documents are large. These caches
keep only documents of at most ``CACHED_DOCUMENT_BYTES`` characters and at
most ``CACHE_BYTES`` characters of them in all (least recently used out).
Larger documents are parsed (within ``MAX_QUERY_TOKENS``) and validated for
their request only. Strawberry's path (``schema.document_cache``) and the read plans share them.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Generic, TypeVar

from graphql import DocumentNode, GraphQLError, GraphQLSyntaxError, OperationDefinitionNode, parse
from strawberry.schema.schema import validate_document

CACHED_DOCUMENT_BYTES = 8_192
"""Longest document (in characters) the caches keep."""

CACHE_BYTES = 1_000_000
"""Characters of documents each cache keeps in all."""

K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """A least-recently-used cache bounded by the summed size of its entries."""

    def __init__(self, max_bytes: int = CACHE_BYTES, max_item_bytes: int = CACHED_DOCUMENT_BYTES) -> None:
        self.max_bytes = max_bytes
        self.max_item_bytes = max_item_bytes
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K) -> V | None:
        found = self._entries.get(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self._entries.move_to_end(key)
        return found[0]

    def put(self, key: K, value: V, size: int) -> None:
        """Keep ``value`` when ``size`` is small enough, dropping the least recent entries to make room."""
        if size > self.max_item_bytes or key in self._entries:
            return
        self._entries[key] = (value, size)
        self.bytes += size
        while self.bytes > self.max_bytes:
            _, (_, dropped) = self._entries.popitem(last=False)
            self.bytes -= dropped


def too_complex(message: str, limit: str, maximum: int, found: int | None = None) -> GraphQLError:
    """The error of a document refused by a limit, before it runs (``extensions.code = QUERY_TOO_COMPLEX``)."""
    extensions: dict[str, Any] = {"code": "QUERY_TOO_COMPLEX", "limit": limit, "max": maximum}
    if found is not None:
        extensions["found"] = found
    return GraphQLError(message, extensions=extensions)


class OperationNameRequired(GraphQLError):
    """A document with several operations and no ``operationName`` (the GraphQL specification's request error)."""

    def __init__(self) -> None:
        super().__init__(
            "The document has several operations: say which one to run with `operationName`.",
            extensions={"code": "OPERATION_NAME_REQUIRED"},
        )


def check_operation_name(document: DocumentNode, operation_name: str | None) -> None:
    """OperationNameRequired when ``document`` has several operations and no name is given."""
    if operation_name is None:
        operations = sum(isinstance(d, OperationDefinitionNode) for d in document.definitions)
        if operations > 1:
            raise OperationNameRequired


class DocumentCache:
    """Parses documents within a token limit, keeping the small ones (``BoundedCache``)."""

    def __init__(self, max_tokens: int) -> None:
        self.max_tokens = max_tokens
        self.documents: BoundedCache[str, DocumentNode] = BoundedCache()
        self.validations: BoundedCache[tuple[str, tuple[Any, ...]], list[GraphQLError]] = BoundedCache()

    def parse(self, query: str) -> DocumentNode:
        """The parsed document; a GraphQLError when it does not parse or has more than ``max_tokens`` tokens."""
        found = self.documents.get(query)
        if found is not None:
            return found
        try:
            document = parse(query, max_tokens=self.max_tokens, no_location=False)
        except GraphQLSyntaxError as error:
            if "tokens" in error.message and "Parsing aborted" in error.message:
                raise too_complex(
                    f"The document has more than {self.max_tokens:,} tokens, the limit (MAX_QUERY_TOKENS).",
                    "MAX_QUERY_TOKENS",
                    self.max_tokens,
                ) from error
            raise
        self.documents.put(query, document, len(query))
        return document

    def validate(self, schema: Any, query: str, document: DocumentNode, rules: tuple[Any, ...]) -> list[GraphQLError]:
        """The validation errors of ``document`` (the text ``query``) under ``rules``, kept when the document is small."""
        key = (query, rules)
        found = self.validations.get(key)
        if found is not None:
            return found
        errors = validate_document(schema, document, rules)
        self.validations.put(key, errors, len(query))
        return errors
