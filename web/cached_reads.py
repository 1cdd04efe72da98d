"""In front of both ways of answering GraphQL: persisted queries, trusted documents, the response cache, HTTP caching.

Every GET and POST to ``/graphql`` passes here first (after ``web.identity``
has identified the caller, before the planned path and Strawberry's view):

1. the document is resolved (``web.persisted_queries``): from the request's
   text, or its persisted-query hash; refused when it may not run;
2. for a request that may be cached, the data version is read (one statement
   shared by the requests that arrived while the previous one ran,
   ``db.data_version.SharedVersionReads``) and the answer's key made
   (``web.response_cache``);
   a GET whose ``If-None-Match`` names that key's tag gets 304 and nothing
   runs; a cached answer is sent as it was stored, without parsing,
   planning or touching the ORM;
3. otherwise the request goes on (its body or query string rewritten when it
   came as a hash) and the answer is kept when it is a query's, without
   errors and within the size limit.

Requests asking for statistics (``X-Directory-Stats``) or a given engine
(``X-Directory-Engine``, tests) are never answered from the cache: their
answers describe the run itself.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import orjson

from db.data_version import SharedVersionReads
from db.version_listener import VersionListener
from models.dates import today
from settings import Settings, normalize_database_url
from web import http_caching
from web.asgi import ASGIApp, Message, Receive, Scope, Send, header, replay_body
from web.envelope import PARAMETERS, parameters_of
from web.http_errors import answer_start
from web.identity import viewer_of
from web.operations import cacheable, reads_no_data
from web.persisted_queries import PersistedDocuments, Refusal, load_manifest
from web.redis_store import RedisStore
from web.response_cache import (
    FIELD_ANSWERS,
    FieldAnswerCache,
    LocalStore,
    Store,
    TieredStore,
    answer_key,
    document_hash,
    request_key,
)

log = logging.getLogger(__name__)

DOCUMENT_STORE_BYTES = 8 * 1024 * 1024
"""Room for automatically persisted documents in each process."""

JSON = [(b"content-type", b"application/json")]


def namespace_of(sdl: str, settings: Settings) -> str:
    """What answers depend on besides the request: the schema, the limits that shape answers, and the database.

    Instances share cached answers in Redis only when they run the same schema
    with the same limits on the same database (its address, without credentials).
    """
    limits = f"{settings.max_page_size}:{settings.default_page_size}:{settings.max_query_cost}:{settings.max_query_depth}"
    address = urlsplit(normalize_database_url(settings.database_url))
    database = f"{address.scheme}://{address.hostname or ''}:{address.port or ''}{address.path}"
    return hashlib.sha256(f"{sdl}\x00{limits}\x00{database}".encode()).hexdigest()[:16]


def _stores(settings: Settings, namespace: str) -> tuple[Store | None, Store]:
    """The answers' store (None when the cache is off) and the persisted documents' store."""
    cache = settings.cache
    answers: Store | None = None
    documents: Store = LocalStore(DOCUMENT_STORE_BYTES, cache.max_document_bytes)
    if cache.response_cache:
        answers = LocalStore(cache.max_bytes, cache.max_answer_bytes)
    if cache.redis_url:
        shared_documents = RedisStore(cache.redis_url, "directory:document:", cache.redis_ttl * 24)
        documents = TieredStore(LocalStore(DOCUMENT_STORE_BYTES, cache.max_document_bytes), shared_documents)
        if cache.response_cache:
            shared = RedisStore(cache.redis_url, f"directory:answer:{namespace}:", cache.redis_ttl)
            answers = TieredStore(LocalStore(cache.max_bytes, cache.max_answer_bytes), shared)
    return answers, documents


KNOWN_REQUESTS = 4096
"""Requests whose caching facts each process keeps (``CachedReads._facts``)."""


@dataclass(frozen=True)
class RequestFacts:
    """What caching needs of one request's parameters."""

    request_key: str
    """``web.response_cache.request_key``: what is asked."""
    cacheable: bool
    """A query that does not read the clock (``web.operations.cacheable``)."""
    reads_no_data: bool
    """Meta fields alone: the answer does not depend on the data version."""


class _Captured:
    """The response a downstream app sends, held back until it is complete."""

    def __init__(self) -> None:
        self.start: Message | None = None
        self.chunks: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.start = message
        elif message["type"] == "http.response.body":
            self.chunks.append(message.get("body", b""))

    @property
    def status(self) -> int:
        return int(self.start["status"]) if self.start is not None else 500


async def _respond(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    await send({"type": "http.response.start", "status": status, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class CachedReads:
    """Persisted queries, trusted documents and cached answers for the GraphQL ``path``."""

    def __init__(self, settings: Settings, namespace: str, path: str = "/graphql") -> None:
        self.settings = settings
        self.cache = settings.cache
        self.namespace = namespace
        self.path = path
        self.answers, document_store = _stores(settings, namespace)
        manifest = load_manifest(self.cache.trusted_documents_manifest) if self.cache.trusted_documents_manifest else None
        self.documents = PersistedDocuments(document_store, manifest, self.cache.trusted_documents_only)
        self.versions = SharedVersionReads()
        self.listener = VersionListener() if self.cache.freshness == "notify" else None
        self._known: OrderedDict[int, tuple[dict[str, Any], RequestFacts]] = OrderedDict()

    async def close(self) -> None:
        """Let go of Redis, if any."""
        if self.answers is not None:
            await self.answers.close()
        await self.documents.store.close()
        if self.listener is not None:
            await self.listener.close()

    def wants(self, scope: Scope) -> bool:
        """GET and POST requests to the GraphQL path."""
        return scope["type"] == "http" and scope["path"] == self.path and scope["method"] in ("GET", "POST")

    async def handle(self, scope: Scope, receive: Receive, send: Send, downstream: ASGIApp) -> None:
        """Answer from here (refusals, 304, cached answers) or pass the request on and keep its answer."""
        payload = parameters_of(scope)
        if payload is None or (payload.get("query") is None and payload.get("extensions") is None):
            await downstream(scope, receive, send)  # GraphiQL, or Strawberry's own error
            return
        enforce = self.cache.trusted_documents_only and not viewer_of(scope).sees_everything
        extensions = payload.get("extensions")
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        try:
            document = await self.documents.resolve(payload.get("query"), persisted, not enforce)
        except Refusal as refusal:
            await self._refuse(scope, send, refusal)
            return
        if document is None:
            await downstream(scope, receive, send)
            return
        if extensions is not None:
            scope, receive = _rewritten(scope, receive, document, payload)
        await self._answer(scope, receive, send, downstream, payload, document)

    async def _version(self, scope: Scope) -> int:
        """The data version the request's answer is keyed by: the last announced (``CACHE_FRESHNESS=notify``,
        while the worker listens), else read after the request arrived."""
        read_pool = scope.get("state", {}).get("read_pool")
        if self.listener is not None and read_pool is not None:
            announced = self.listener.current(read_pool.apart)
            if announced is not None:
                return announced
        return await self.versions.current(read_pool)

    async def _refuse(self, scope: Scope, send: Send, refusal: Refusal) -> None:
        headers = JSON + (http_caching.uncacheable_headers() if scope["method"] == "GET" else [])
        await _respond(send, refusal.status, refusal.body(), headers)

    def _facts(self, payload: dict[str, Any], document: str, operation_name: str | None, variables: Any) -> RequestFacts:
        """What caching needs of a request's parameters, worked out once per parameters object.

        The front door hands identical requests the same parameters object
        (``web.envelope``), so a repeated request finds its facts here by identity;
        an entry holds its object, so the identity is never another's.
        """
        known = self._known.get(id(payload))
        if known is not None and known[0] is payload:
            self._known.move_to_end(id(payload))
            return known[1]
        facts = RequestFacts(
            request_key(self.namespace, document_hash(document), operation_name, variables),
            cacheable(document, operation_name),
            reads_no_data(document, operation_name),
        )
        self._known[id(payload)] = (payload, facts)
        if len(self._known) > KNOWN_REQUESTS:
            self._known.popitem(last=False)
        return facts

    def _bypasses(self, scope: Scope, document: str) -> bool:
        """Whether the request's answer describes its own run (statistics, a chosen engine) or is too large to key."""
        if self.settings.stats_always or header(scope, b"x-directory-stats") == "1":
            return True
        if self.settings.engine_header and header(scope, b"x-directory-engine"):
            return True
        return len(document) > self.cache.max_document_bytes

    async def _answer(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        downstream: ASGIApp,
        payload: dict[str, Any],
        document: str,
    ) -> None:
        operation_name, variables = payload.get("operationName"), payload.get("variables")
        is_get = scope["method"] == "GET"
        if (self.answers is None and not is_get) or self._bypasses(scope, document):
            await downstream(scope, receive, send)
            return
        facts = self._facts(payload, document, operation_name, variables)
        if not is_get and not facts.cacheable:
            await downstream(scope, receive, send)  # a mutation, or an answer for this instant: nothing to look up
            return
        try:
            # An answer of meta fields alone depends on the schema (in the namespace), not on the data: no statement.
            version = 0 if facts.reads_no_data else await self._version(scope)
        except Exception as error:  # the database's own trouble: the answer below reports it, if it persists
            log.warning("the data version could not be read (%s); answering uncached", error)
            await downstream(scope, receive, send)
            return
        who, day = viewer_of(scope).scope, today()
        key = answer_key(facts.request_key, who, version, day)
        credential = bool(header(scope, b"authorization"))
        caching = http_caching.headers(self.cache, key, credential) if is_get else []
        if is_get and http_caching.matches(header(scope, b"if-none-match"), http_caching.etag(key)):
            await _respond(send, 304, b"", caching)
            return
        if self.answers is not None:
            cached = await self.answers.get(key)
            if cached is not None:
                await send(answer_start(scope, 200, cached, caching))
                await send({"type": "http.response.body", "body": cached})
                return
        if self.answers is not None and facts.cacheable and not facts.reads_no_data:
            scope[FIELD_ANSWERS] = FieldAnswerCache(self.answers, self.namespace, who, version, day)
        captured = _Captured()
        await downstream(scope, receive, captured.send)
        body = b"".join(captured.chunks)
        kept = captured.status == 200 and b'"errors":' not in body and facts.cacheable
        if kept and self.answers is not None and len(body) <= self.cache.max_answer_bytes:
            await self.answers.set(key, body)
        start = captured.start or {"type": "http.response.start", "status": 500, "headers": []}
        if is_get:
            extra = caching if kept else http_caching.uncacheable_headers()
            names = {name for name, _ in extra}
            start = {**start, "headers": [h for h in start.get("headers", []) if h[0].lower() not in names] + extra}
        await send(start)
        await send({"type": "http.response.body", "body": body})


def _rewritten(scope: Scope, receive: Receive, document: str, payload: dict[str, Any]) -> tuple[Scope, Receive]:
    """The request as the executors expect it: the document as ``query``, no ``extensions``."""
    fields = {"query": document} | {
        name: payload[name] for name in ("variables", "operationName") if payload.get(name) is not None
    }
    if scope["method"] == "GET":
        params = {name: orjson.dumps(value).decode() if name == "variables" else value for name, value in fields.items()}
        return {**scope, "query_string": urlencode(params).encode(), PARAMETERS: fields}, receive
    body = orjson.dumps(fields)
    headers = [(name, value) for name, value in scope["headers"] if name != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    rewritten = {**scope, "headers": headers, PARAMETERS: fields}
    return rewritten, replay_body(body, receive)
