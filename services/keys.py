"""API keys: made once and shown once, stored as a keyed hash, checked on every request that sends one.

A key is ``udk_`` and 43 URL-safe characters (32 random bytes). The database
keeps only ``HMAC-SHA-256(API_KEY_SECRET, key)``: a stolen table holds nothing
that opens the service. A key that is malformed, unknown or revoked, or any
key while the server has no secret, is refused the same way (``InvalidKey``),
with no hint whether it ever existed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from domain.access import Role, Viewer
from models import ApiKey, Organization
from models.dates import today
from models.enums import KeyRole, OrganizationKind
from queries.access import network_scope

PREFIX = "udk_"
KEY_PATTERN_LENGTH = len(PREFIX) + 43
LAST_USED_PRECISION = timedelta(hours=1)
"""``last_used_at`` is written at most this often per key (a write per request would cost more than the read)."""


class InvalidKey(Exception):
    """The request's key opens nothing: malformed, unknown, revoked, or keys are not enabled."""


class KeyRequestError(ValueError):
    """A key cannot be made as asked (a COALITION key without a network, a network that is not one...)."""


@dataclass(frozen=True)
class NewKey:
    """A key just made: the key itself (shown once) and its record."""

    key: str
    record: ApiKey


def digest_of(key: str, secret: str) -> str:
    """The stored form of a key: its HMAC-SHA-256 under the server's secret, in hex."""
    return hmac.new(secret.encode(), key.encode(), hashlib.sha256).hexdigest()


async def create_key(secret: str, name: str, role: KeyRole, network_slug: str | None = None) -> NewKey:
    """Make a key; a COALITION key names the network (an umbrella organization) it speaks for."""
    if not secret:
        raise KeyRequestError("API_KEY_SECRET is not set: the server cannot make or check keys.")
    if not name.strip():
        raise KeyRequestError("A key needs a name saying who uses it.")
    network = None
    if role is KeyRole.COALITION:
        if not network_slug:
            raise KeyRequestError("A COALITION key speaks for one network: give its slug.")
        network = await Organization.get_or_none(slug=network_slug)
        if network is None:
            raise KeyRequestError(f"No organization has the slug {network_slug!r}.")
        if network.kind is not OrganizationKind.UMBRELLA_NETWORK:
            raise KeyRequestError(f"{network.name} is not a network (its kind is {network.kind.value if network.kind else 'unknown'}).")
    elif network_slug:
        raise KeyRequestError(f"Only COALITION keys name a network; a {role.value} key reads or writes everything it may.")
    key = PREFIX + secrets.token_urlsafe(32)
    record = await ApiKey.create(
        name=name.strip(), role=role, network=network, digest=digest_of(key, secret), prefix=key[:12]
    )
    return NewKey(key, record)


async def revoke_key(key_id: int) -> ApiKey:
    """Revoke a key by id (a revoked key opens nothing from the next request on)."""
    record = await ApiKey.get_or_none(id=key_id)
    if record is None:
        raise KeyRequestError(f"No key has the id {key_id}.")
    if record.revoked_at is None:
        record.revoked_at = datetime.now(UTC)
        await record.save(update_fields=["revoked_at"])
    return record


def bearer_token(authorization: str | None) -> str | None:
    """The key in an ``Authorization: Bearer <key>`` header; None without the header."""
    if authorization is None:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidKey
    return token.strip()


async def viewer_for(key: str, secret: str) -> Viewer:
    """The caller a key stands for (a COALITION caller with its network's scope as of today)."""
    if not secret or not key.startswith(PREFIX) or len(key) != KEY_PATTERN_LENGTH:
        raise InvalidKey
    record = await ApiKey.get_or_none(digest=digest_of(key, secret))
    if record is None or record.revoked_at is not None:
        raise InvalidKey
    now = datetime.now(UTC)
    if record.last_used_at is None or now - record.last_used_at > LAST_USED_PRECISION:
        await ApiKey.filter(id=record.id).update(last_used_at=now)
    role = Role(record.role.value)
    if role is Role.COALITION:
        assert record.network_id is not None
        scope = await network_scope(record.network_id, today())
        return Viewer(role, record.network_id, scope, record.id, record.name)
    return Viewer(role, key_id=record.id, name=record.name)
