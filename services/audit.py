"""The audit log: every write records who made it, when, what it was, and the changed fields before and after.

``record`` adds one entry on the connection of the write's transaction, so an
entry exists exactly when its change does. Values are stored as JSON (days
and instants as ISO text, enums by value).
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.access import Viewer
from models import AuditEntry


def json_value(value: Any) -> Any:
    """A field's value as the audit log stores it."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    return value


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Only the fields that differ (every field for a creation or a deletion), as JSON values."""
    if before is None or after is None:
        return (None if before is None else {k: json_value(v) for k, v in before.items()},
                None if after is None else {k: json_value(v) for k, v in after.items()})  # fmt: skip
    changed = [name for name in after if before.get(name) != after.get(name)]
    return {name: json_value(before.get(name)) for name in changed}, {name: json_value(after[name]) for name in changed}


def entry(
    viewer: Viewer,
    operation: str,
    object_type: str,
    object_id: int | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    *,
    personal: bool = False,
) -> AuditEntry | None:
    """The unsaved entry of one change (None when no field changed)."""
    old, new = changes(before, after)
    if old == {} and new == {}:
        return None
    return AuditEntry(
        key_id=viewer.key_id,
        role=viewer.role.value,
        actor=viewer.name,
        operation=operation,
        object_type=object_type,
        object_id=object_id,
        before=old,
        after=new,
        personal=personal,
    )


async def record(
    viewer: Viewer,
    operation: str,
    object_type: str,
    object_id: int | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    *,
    personal: bool = False,
    using: BaseDBAsyncClient | None = None,
) -> AuditEntry | None:
    """Add the entry of one change (nothing when no field changed); ``using`` is the write's transaction."""
    made = entry(viewer, operation, object_type, object_id, before, after, personal=personal)
    if made is not None:
        await made.save(using_db=using)
    return made


BATCH = 500
"""Entries per INSERT statement of ``record_many``."""


async def record_many(entries: list[AuditEntry], using: BaseDBAsyncClient | None = None) -> None:
    """Add many entries with a few statements (a bulk write: an import)."""
    if entries:
        await AuditEntry.bulk_create(entries, batch_size=BATCH, using_db=using)
