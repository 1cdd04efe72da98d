"""``auditLog``: the record of every write, for UNODC staff and administrators (``domain.access``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import strawberry

from domain.access import require_personal_data
from domain.errors import ClientError, Forbidden
from domain.ids import ENTITY_TYPES, RECORD_TYPES, global_id, parse_global_id
from models import AuditEntry
from queries import audit
from queries.pages import Page, PageRequest

AUDIT_LOG_DENIED = "The audit log is for UNODC staff and administrators."


@dataclass(frozen=True)
class AuditRow:
    """An entry and the organization whose personal data it holds, if it holds any."""

    entry: AuditEntry
    owner_id: int | None


async def audit_log(info: strawberry.Info, filter: Any, first: int | None, after: str | None) -> Page:
    """A page of entries, newest first; FORBIDDEN for callers who may not read the log."""
    viewer = info.context.viewer
    if not viewer.may_read_audit_log:
        raise Forbidden(AUDIT_LOG_DENIED)
    settings = info.context.settings
    request = PageRequest(first=first, after=after).validated(settings.default_page_size, settings.max_page_size)
    page = await audit.audit_page(_where(filter), request)
    owners = await audit.owners(page.rows)
    page.rows = [AuditRow(entry, owners.get(entry.id)) for entry in page.rows]
    return page


def _where(filter: Any) -> audit.AuditFilter:
    if filter is None:
        return audit.AuditFilter()
    object_type, object_id = filter.object_type, None
    if filter.object is not None:
        type_name, object_id = parse_global_id(filter.object, _type_of(filter.object))
        if object_type is not None and object_type != type_name:
            raise ClientError(f"`object` names {type_name} and `objectType` {object_type}: they cannot both hold.")
        object_type = type_name
    for name in ("since", "until"):
        value: datetime | None = getattr(filter, name)
        if value is not None and value.tzinfo is None:
            raise ClientError(f"`{name}` needs a UTC offset, e.g. 2026-11-30T12:00:00+01:00.")
    if filter.since is not None and filter.until is not None and filter.until <= filter.since:
        raise ClientError("`until` must be after `since`.")
    return audit.AuditFilter(
        object_type=object_type,
        object_id=object_id,
        key_id=filter.key,
        operation=filter.operation,
        role=filter.role.value if filter.role is not None else None,
        since=filter.since,
        until=filter.until,
    )


def _type_of(value: str) -> str | None:
    """The type a global ID says it is, when it is one that records (focal points, participations) use."""
    try:
        type_name = strawberry.relay.GlobalID.from_id(value).type_name
    except Exception:
        return None
    return type_name if type_name in RECORD_TYPES else None


def object_id_of(row: AuditRow) -> str | None:
    """The global ID of the changed object, for kinds that have one."""
    entry = row.entry
    if entry.object_id is None or entry.object_type not in (*ENTITY_TYPES, *RECORD_TYPES):
        return None
    return global_id(entry.object_type, entry.object_id)


def values_of(row: AuditRow, info: strawberry.Info, which: str) -> Any:
    """``before`` or ``after``; FORBIDDEN when it holds personal data the reader may not read."""
    if row.entry.personal:
        require_personal_data(info.context.viewer, [row.owner_id])
    return getattr(row.entry, which)
