"""Rate limits per client: requests and query cost per fixed window, counted in Redis or in memory.

A client is its API key (``Viewer.key_id``) when it sends one, else its
address. In each window of ``RATE_LIMIT_WINDOW`` seconds a client may send
``RATE_LIMIT_REQUESTS`` requests to ``/graphql`` and ``/calendar.ics`` and
spend ``RATE_LIMIT_COST`` rows of query cost (the cost ``plan.cost``
computes before an operation runs; the operation that crosses the budget
still runs, the next ones wait). Past either limit the answer is 429 with
``Retry-After`` (the seconds until the window ends) and one GraphQL error,
``RATE_LIMITED``, naming the limit.

With ``REDIS_URL`` the counters live in Redis (``directory:rate:`` keys that
expire with their window), shared by every worker; otherwise in this
worker's memory. When Redis does not answer, requests are served without
limits (``RATE_LIMIT_FAIL_OPEN``, the default) or refused with 503; Redis is
then left alone for a few seconds, and ``/healthz`` says it is unreachable.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.responses import Response

from context import OPERATION_COST
from settings import Settings
from web.asgi import Scope
from web.identity import viewer_of

log = logging.getLogger(__name__)

KEY_PREFIX = "directory:rate:"
"""Prefix of the rate-limit counters in Redis."""
REDIS_PAUSE = 5.0
"""Seconds Redis is left alone after it failed to answer."""

ASGIResponse = Callable[[Scope, Any, Any], Awaitable[None]]


@dataclass(frozen=True)
class Usage:
    """What a client used in the current window, and the seconds until it ends."""

    requests: int
    cost: int
    resets_in: float


class RedisUnavailable(Exception):
    """Redis did not answer."""


def client_of(scope: Scope) -> str:
    """The client a request counts for: its API key, else its address."""
    viewer = viewer_of(scope)
    if viewer.key_id is not None:
        return f"key:{viewer.key_id}"
    client = scope.get("client")
    return f"address:{client[0] if client else 'unknown'}"


class MemoryCounters:
    """Counters of this worker, for the current window only."""

    def __init__(self) -> None:
        self._window = -1
        self._counts: dict[str, list[int]] = {}

    def _current(self, window: int) -> dict[str, list[int]]:
        if window != self._window:
            self._window, self._counts = window, {}
        return self._counts

    async def add(self, client: str, window: int, requests: int, cost: int) -> tuple[int, int]:
        counts = self._current(window).setdefault(client, [0, 0])
        counts[0] += requests
        counts[1] += cost
        return counts[0], counts[1]


class RedisCounters:
    """Counters in Redis, shared by every worker; each window's keys expire with it."""

    def __init__(self, redis: Redis, window_seconds: int) -> None:
        self.redis = redis
        self.window_seconds = window_seconds

    async def add(self, client: str, window: int, requests: int, cost: int) -> tuple[int, int]:
        key = f"{KEY_PREFIX}{window}:{client}"
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.hincrby(key, "requests", requests)
                pipe.hincrby(key, "cost", cost)
                pipe.expire(key, self.window_seconds + 1)
                counted_requests, counted_cost, _ = await pipe.execute()
        except (RedisError, OSError) as error:
            raise RedisUnavailable(str(error)) from error
        return int(counted_requests), int(counted_cost)


def _refusal(status: int, message: str, code: str, retry_after: int, extensions: dict[str, Any]) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}
    return Response(
        orjson.dumps(body), status_code=status, media_type="application/json", headers={"Retry-After": str(retry_after)}
    )


class RateLimiter:
    """Admits or refuses requests by their client's usage of the current window."""

    def __init__(self, settings: Settings, redis: Redis | None) -> None:
        self.requests = settings.rate_limit_requests
        self.cost = settings.rate_limit_cost
        self.window = max(settings.rate_limit_window, 1)
        self.fail_open = settings.rate_limit_fail_open
        self.redis = redis
        self.counters: MemoryCounters | RedisCounters = (
            RedisCounters(redis, self.window) if redis is not None else MemoryCounters()
        )
        self._redis_down_until = 0.0

    @property
    def enabled(self) -> bool:
        return self.requests > 0 or self.cost > 0

    async def _add(self, client: str, requests: int, cost: int) -> Usage | None:
        """Count, and return the window's usage; None when Redis is down (then nothing is counted)."""
        now = time.time()
        window = math.floor(now / self.window)
        resets_in = (window + 1) * self.window - now
        if time.monotonic() < self._redis_down_until:
            return None
        try:
            counted_requests, counted_cost = await self.counters.add(client, window, requests, cost)
        except RedisUnavailable as error:
            log.warning("Redis is unreachable (%s): rate limits %s.", error, "off" if self.fail_open else "refuse requests")
            self._redis_down_until = time.monotonic() + REDIS_PAUSE
            return None
        return Usage(counted_requests, counted_cost, resets_in)

    async def admit(self, scope: Scope) -> Response | None:
        """Count one request; a 429 (or 503) response when its client is over a limit, None to serve it."""
        if not self.enabled:
            return None
        usage = await self._add(client_of(scope), 1, 0)
        if usage is None:
            if self.fail_open:
                return None
            return _refusal(
                503, "Rate limits cannot be checked (Redis is unreachable); try again later.", "SERVICE_UNAVAILABLE", 1, {}
            )
        retry_after = max(1, math.ceil(usage.resets_in))
        if self.requests and usage.requests > self.requests:
            message = (
                f"Rate limit: at most {self.requests} requests per {self.window} s for this client; "
                f"retry in {retry_after} s."
            )
            return _refusal(429, message, "RATE_LIMITED", retry_after, {"limit": "requests", "max": self.requests})
        if self.cost and usage.cost >= self.cost:
            message = (
                f"Rate limit: at most {self.cost} rows of query cost per {self.window} s for this client "
                f"({usage.cost} spent); retry in {retry_after} s."
            )
            return _refusal(429, message, "RATE_LIMITED", retry_after, {"limit": "cost", "max": self.cost})
        return None

    async def charge(self, scope: Scope) -> None:
        """Add the cost of the operation the request ran (if any) to its client's window."""
        rows = scope.get(OPERATION_COST)
        if self.cost and isinstance(rows, int) and rows > 0:
            await self._add(client_of(scope), 0, rows)

    async def redis_status(self) -> str | None:
        """``ok`` or ``unreachable`` for ``/healthz``; None without Redis."""
        if self.redis is None:
            return None
        try:
            await self.redis.ping()
        except (RedisError, OSError):
            return "unreachable"
        return "ok"

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()
