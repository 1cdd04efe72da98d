"""HTTP caching of GET answers: ETag, Cache-Control, Vary, 304 Not Modified.

A query sent by GET (a persisted query's hash, or its text) has an ``ETag``
made of its cache key, which holds the data version: it changes exactly when
the answer may. Anonymous answers are ``public`` for ``HTTP_CACHE_MAX_AGE``
seconds, then may be served stale while revalidating for
``HTTP_CACHE_STALE_WHILE_REVALIDATE`` more (both 0 by default: a proxy asks
every time, and a 304 costs the service one version check). An answer to a
request that sent a credential is ``private, no-store``, and so is any answer
with errors. ``Vary: Authorization`` keeps a shared cache from mixing callers.
"""

from __future__ import annotations

import hashlib

from settings import CacheSettings

NO_STORE = "private, no-store"
VARY = "Authorization"


def etag(key: str) -> str:
    """The entity tag of the answer cached under ``key``."""
    return f'"{hashlib.sha256(key.encode()).hexdigest()[:40]}"'


def matches(if_none_match: str, tag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``tag`` (weak or strong) or is ``*``."""
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == tag:
            return True
    return False


def cache_control(settings: CacheSettings, credential: bool) -> str:
    """``Cache-Control`` of a successful GET answer."""
    if credential:
        return NO_STORE
    return (
        f"public, max-age={settings.http_max_age}, "
        f"stale-while-revalidate={settings.http_stale_while_revalidate}"
    )


def headers(settings: CacheSettings, key: str, credential: bool) -> list[tuple[bytes, bytes]]:
    """The caching headers of a successful GET answer cached under ``key``."""
    return [
        (b"etag", etag(key).encode()),
        (b"cache-control", cache_control(settings, credential).encode()),
        (b"vary", VARY.encode()),
    ]


def uncacheable_headers() -> list[tuple[bytes, bytes]]:
    """The caching headers of a GET answer that no cache may keep (errors, mutations, the clock)."""
    return [(b"cache-control", NO_STORE.encode()), (b"vary", VARY.encode())]
