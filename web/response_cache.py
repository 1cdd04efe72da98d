"""Cached answers of read operations: the key, and a store bounded in bytes.

An answer is cached under the hash of everything it depends on: the
document, the operation name, the variables (canonical JSON: keys sorted),
what the caller may see (``Viewer.scope``), the data version
(``db.data_version``), the day in Vienna (``asOf`` omitted means today) and the
service's namespace (its schema and limits, so that a new release never reads
an older one's answers from a shared Redis). A change to the data moves the
version, so every answer cached before it is never served again: nothing is
invalidated, old entries simply age out (LRU here, a TTL in Redis).

``LocalStore`` keeps answers in the process, least recently used first out,
within a byte budget; ``web.redis_store`` shares them between workers and
instances; ``TieredStore`` reads the process's copy first.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from datetime import date
from typing import Any, Protocol

import orjson


class Store(Protocol):
    """Where cached bytes live."""

    async def get(self, key: str) -> bytes | None:
        """The bytes stored under ``key``, if any."""

    async def set(self, key: str, value: bytes) -> None:
        """Store ``value`` under ``key`` (it may be refused or evicted)."""

    async def close(self) -> None:
        """Let go of connections, if any."""


def document_hash(document: str) -> str:
    """sha256 of a GraphQL document's text, hex (as Apollo's persisted queries hash it)."""
    return hashlib.sha256(document.encode()).hexdigest()


def canonical_variables(variables: dict[str, Any] | None) -> bytes:
    """The variables as JSON with sorted keys: the same values give the same bytes."""
    return orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS)


def _hashed(parts: tuple[str, ...], values: bytes) -> str:
    """sha256 of text parts, each ended by a NUL, then of values (hex)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\x00")
    digest.update(values)
    return digest.hexdigest()


def request_key(namespace: str, document_sha: str, operation_name: str | None, variables: dict[str, Any] | None) -> str:
    """What a request asks, hashed: the service's namespace, the document, the operation and the variables."""
    return _hashed((namespace, document_sha, operation_name or ""), canonical_variables(variables))


def answer_key(request: str, scope: str, version: int, day: date) -> str:
    """The key of one answer: the request (``request_key``), who asks, the data version and the day."""
    return f"{request}/{scope}/{version}/{day.isoformat()}"


FIELD_ANSWERS = "directory.field_answers"
"""Scope key: the request's ``FieldAnswerCache``, set by ``web.cached_reads`` when its answer may be cached."""


class FieldAnswerCache:
    """The answers of one request's root fields (``plan.answer_keys``), kept in the answers' store.

    Their keys hold what a whole answer's key holds, with the root field's
    text and variables in place of the request: another operation asking the
    same field with the same values, for a caller who may see the same, on
    the same data version and day, finds its answer.
    """

    __slots__ = ("day", "namespace", "scope", "store", "version")

    def __init__(self, store: Store, namespace: str, scope: str, version: int, day: date) -> None:
        self.store = store
        self.namespace = namespace
        self.scope = scope
        self.version = version
        self.day = day

    def key(self, text: str, values: bytes) -> str:
        return answer_key(_hashed((self.namespace, "root field", text), values), self.scope, self.version, self.day)

    async def get(self, key: str) -> bytes | None:
        return await self.store.get(key)

    async def set(self, key: str, value: bytes) -> None:
        await self.store.set(key, value)


class LocalStore:
    """An in-process LRU of bytes: at most ``max_bytes`` in all, nothing over ``max_item_bytes``."""

    def __init__(self, max_bytes: int, max_item_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.max_item_bytes = min(max_item_bytes, max_bytes)
        self.size = 0
        self._items: OrderedDict[str, bytes] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: str) -> bool:
        return key in self._items

    async def get(self, key: str) -> bytes | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    async def set(self, key: str, value: bytes) -> None:
        if len(value) > self.max_item_bytes:
            return
        old = self._items.pop(key, None)
        if old is not None:
            self.size -= len(old)
        self._items[key] = value
        self.size += len(value)
        while self.size > self.max_bytes:
            _, evicted = self._items.popitem(last=False)
            self.size -= len(evicted)

    async def close(self) -> None:
        self._items.clear()
        self.size = 0


class TieredStore:
    """The process's ``LocalStore`` in front of a shared store: a shared hit is kept locally too."""

    def __init__(self, local: LocalStore, shared: Store) -> None:
        self.local = local
        self.shared = shared

    async def get(self, key: str) -> bytes | None:
        value = await self.local.get(key)
        if value is None:
            value = await self.shared.get(key)
            if value is not None:
                await self.local.set(key, value)
        return value

    async def set(self, key: str, value: bytes) -> None:
        if len(value) > self.local.max_item_bytes:
            return
        await self.local.set(key, value)
        await self.shared.set(key, value)

    async def close(self) -> None:
        await self.local.close()
        await self.shared.close()
