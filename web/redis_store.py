"""Cached bytes in Redis (``REDIS_URL``), shared by every worker and instance; Redis down means uncached, never failed.

Every entry expires after ``ttl`` seconds: answers of an old data version are
never asked for again, and Redis's own ``maxmemory-policy allkeys-lru`` keeps
the rest within its memory. When Redis does not answer within ``timeout``,
the store stops asking for ``retry_after`` seconds and every request is
answered as if nothing were cached.
"""

from __future__ import annotations

import contextlib
import logging
import time

from redis.exceptions import RedisError

from db.redis import redis_client

log = logging.getLogger(__name__)

FAILURES = (RedisError, OSError, TimeoutError)


class RedisStore:
    """Bytes under ``prefix + key`` in Redis, each for ``ttl`` seconds."""

    def __init__(
        self, url: str, prefix: str, ttl: int, timeout: float = 0.25, retry_after: float = 5.0
    ) -> None:
        client = redis_client(url, timeout)
        if client is None:
            raise ValueError("a Redis store needs a Redis URL")
        self.client = client
        self.prefix = prefix
        self.ttl = ttl
        self.retry_after = retry_after
        self._down_until = 0.0

    @property
    def available(self) -> bool:
        """False while the store waits after a failure."""
        return time.monotonic() >= self._down_until

    def _failed(self, error: BaseException) -> None:
        if self.available:
            log.warning("Redis did not answer (%s): serving uncached for %.0f s", error, self.retry_after)
        self._down_until = time.monotonic() + self.retry_after

    async def get(self, key: str) -> bytes | None:
        if not self.available:
            return None
        try:
            value = await self.client.get(self.prefix + key)
        except FAILURES as error:
            self._failed(error)
            return None
        if value is None:
            return None
        return value.encode() if isinstance(value, str) else bytes(value)

    async def set(self, key: str, value: bytes) -> None:
        if not self.available:
            return
        try:
            await self.client.set(self.prefix + key, value, ex=self.ttl)
        except FAILURES as error:
            self._failed(error)

    async def close(self) -> None:
        with contextlib.suppress(*FAILURES):
            await self.client.aclose()
