"""``manage.py keys create|list|revoke``: the API keys of coalitions, the intranet and administrators."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from domain.access import COMMAND_LINE
from models import ApiKey
from models.enums import KeyRole
from services.audit import record
from services.keys import create_key, revoke_key


async def create(secret: str, name: str, role: str, network: str | None) -> str:
    """Make a key and return the lines to print: the key itself is shown this once."""
    async with in_transaction() as connection:
        made = await create_key(secret, name, KeyRole(role), network)
        await record(COMMAND_LINE, "keys create", "ApiKey", made.record.id, None, _public(made.record), using=connection)
    return (
        f"key {made.record.id} made for {made.record.name} ({made.record.role.value}"
        f"{', network ' + str(network) if network else ''}).\n"
        f"The key, shown only now (store it; the directory keeps only a hash):\n{made.key}"
    )


async def listing() -> str:
    """Every key, without the keys themselves: id, prefix, name, role, network, dates."""
    rows = ["id  prefix        role       network                 name                          created     last used   revoked"]
    for key in await ApiKey.all().order_by("id").prefetch_related("network"):
        network = key.network.slug if key.network else ""
        rows.append(
            f"{key.id:<3} {key.prefix:<13} {key.role.value:<10} {network[:23]:<23} {key.name[:29]:<29} "
            f"{_day(key.created_at):<11} {_day(key.last_used_at):<11} {_day(key.revoked_at)}"
        )
    return "\n".join(rows)


async def revoke(key_id: int) -> str:
    """Revoke a key; return the line to print."""
    async with in_transaction() as connection:
        before = await ApiKey.get_or_none(id=key_id)
        revoked = await revoke_key(key_id)
        if before is not None and before.revoked_at is None:
            await record(COMMAND_LINE, "keys revoke", "ApiKey", key_id, {"revokedAt": None},
                         {"revokedAt": revoked.revoked_at}, using=connection)  # fmt: skip
    return f"key {revoked.id} ({revoked.name}) revoked at {revoked.revoked_at:%Y-%m-%d %H:%M} UTC"


def _public(key: ApiKey) -> dict[str, object]:
    return {"name": key.name, "role": key.role, "networkId": key.network_id, "prefix": key.prefix}


def _day(value: object) -> str:
    return f"{value:%Y-%m-%d}" if value is not None else ""
