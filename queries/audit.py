"""Reading the audit log: newest entry first, filtered, paged with the one cursor codec.

An entry's personal data (``AuditEntry.personal``: a focal point's fields, a
participation's justification) belongs to an organization, ``owners`` says
which, so that the reader's right to it is decided by ``domain.access`` as for
every other read of personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from models import AuditEntry, FocalPoint, Participation
from queries import cursors
from queries.pages import Page, PageRequest

ORDERING = "audit"
"""The cursor ordering of the audit log: entry ids, newest first."""

PERSONAL_RECORDS = {"FocalPoint": FocalPoint, "Participation": Participation}
"""Records whose audit entries may hold personal data, each belonging to one organization."""


@dataclass(frozen=True)
class AuditFilter:
    """Conditions an entry must meet; None leaves a condition out."""

    object_type: str | None = None
    object_id: int | None = None
    key_id: int | None = None
    operation: str | None = None
    role: str | None = None
    since: datetime | None = None
    until: datetime | None = None


async def audit_page(where: AuditFilter, request: PageRequest) -> Page:
    """One page of entries, newest first (``request``: ``first`` and ``after`` only)."""
    query = AuditEntry.all()
    conditions = {
        "object_type": where.object_type,
        "object_id": where.object_id,
        "key_id": where.key_id,
        "operation": where.operation,
        "role": where.role,
        "at__gte": where.since,
        "at__lt": where.until,
    }
    query = query.filter(**{name: value for name, value in conditions.items() if value is not None})
    total = query
    if request.after is not None:
        (after_id,) = cursors.decode(ORDERING, request.after, 1)
        query = query.filter(id__lt=after_id)
    size = request.size
    rows = list(await query.order_by("-id").limit(size + 1))
    has_next = len(rows) > size
    rows = rows[:size]
    return Page(
        rows,
        lambda: [cursors.encode(ORDERING, [row.id]) for row in rows],
        has_next,
        request.after is not None,
        total.count,
    )


async def owners(entries: list[AuditEntry]) -> dict[int, int | None]:
    """The organization whose personal data each personal entry holds, by entry id (one statement per kind)."""
    found: dict[int, int | None] = {}
    for object_type, model in PERSONAL_RECORDS.items():
        ids = {entry.object_id for entry in entries if entry.personal and entry.object_type == object_type}
        if not ids:
            continue
        rows = await model.filter(id__in=[i for i in ids if i is not None]).values_list("id", "organization_id")
        organization_of = {int(row[0]): int(row[1]) for row in rows}
        for entry in entries:
            if entry.personal and entry.object_type == object_type and entry.object_id is not None:
                found[entry.id] = organization_of.get(entry.object_id)
    return found
