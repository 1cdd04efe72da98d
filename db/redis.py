"""The service's Redis client, when ``REDIS_URL`` is set: made from the settings, connecting when first used."""

from __future__ import annotations

from redis.asyncio import Redis

REDIS_TIMEOUT = 0.5
"""Seconds to connect to Redis or to wait for an answer: a Redis that is down must not slow the service."""


def redis_client(url: str | None, timeout: float = REDIS_TIMEOUT) -> Redis | None:
    """A client for ``url`` (``redis://host:6379/0``), or None without one. No connection is opened here."""
    if not url:
        return None
    return Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
