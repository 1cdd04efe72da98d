"""How every write runs: one transaction, every problem reported, an audit entry per change, no lost update.

``write(viewer, operation, body)`` runs ``body(w)`` in a transaction. The body
checks its input and the caller's rights with ``w.problem`` /
``w.reject_if_problems()`` before it changes anything, changes rows through
``w.update`` (which checks the version the caller read) or plain model calls,
and records each change with ``w.audit``. Any ``Rejected`` rolls everything
back and becomes the result's user errors: a failed write changes nothing.

The directory's data version (which keeps cached answers fresh) is raised by
the database itself, in the same transaction, for every change to the data.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.models import Model
from tortoise.transactions import in_transaction

from domain.access import Viewer
from domain.user_errors import Rejected, UserError, UserErrorCode
from models import AuditEntry
from services import audit

T = TypeVar("T")


@dataclass
class Write:
    """One write in progress: the caller, the operation's name, its transaction, the problems found so far."""

    viewer: Viewer
    operation: str
    connection: BaseDBAsyncClient
    problems: list[UserError] = field(default_factory=list)

    def problem(self, field: Sequence[str] | None, message: str, code: UserErrorCode) -> None:
        """Note a problem; the write goes on checking, and is refused at the next ``reject_if_problems``."""
        self.problems.append(UserError(tuple(field) if field is not None else None, message, code))

    def refuse(self, field: Sequence[str] | None, message: str, code: UserErrorCode) -> Rejected:
        """A ``Rejected`` with this problem and those noted before (``raise w.refuse(...)``)."""
        self.problem(field, message, code)
        return Rejected(list(self.problems))

    def reject_if_problems(self) -> None:
        """Stop here when any problem was noted: nothing is written."""
        if self.problems:
            raise Rejected(list(self.problems))

    async def audit(
        self, object_type: str, object_id: int | None, before: dict[str, Any] | None, after: dict[str, Any] | None,
        *, personal: bool = False,
    ) -> None:  # fmt: skip
        """Record one change in the audit log, in this write's transaction."""
        await audit.record(
            self.viewer, self.operation, object_type, object_id, before, after, personal=personal, using=self.connection
        )

    async def update(
        self,
        row: Model,
        changes: dict[str, Any],
        version: int,
        *,
        field: Sequence[str] = ("version",),
        links: tuple[dict[str, Any], dict[str, Any]] = ({}, {}),
        personal: bool = False,
    ) -> Model:
        """Apply ``changes`` to ``row`` if it is still at ``version``, raising its version; audit the change.

        A row changed since (another caller's update) is refused with CONFLICT
        naming the fields that changed since that version, and by whom.
        ``links`` are the before and after of the row's link rows (an event's
        dates, organizers...), which the caller replaces: they raise the version
        too and are recorded in the same entry. ``personal`` marks an entry
        holding personal data.
        """
        model = type(row)
        values = {name: value for name, value in changes.items() if getattr(row, name) != value}
        linked = [name for name in links[1] if links[0].get(name) != links[1][name]]
        if not values and not linked and getattr(row, "version", version) == version:
            return row
        now = datetime.now(UTC)
        extra = {"updated_at": now} if "updated_at" in model._meta.fields_map else {}
        updated = await model.filter(id=row.pk, version=version).using_db(self.connection).update(
            **values, **extra, version=F("version") + 1
        )
        if not updated:
            raise self.refuse(field, await changed_since(model.__name__, row.pk, version), UserErrorCode.CONFLICT)
        before = {name: getattr(row, name) for name in values}
        for name, value in values.items():
            setattr(row, name, value)
        row.version = version + 1
        before.update({name: links[0].get(name) for name in linked})
        after = {**values, **{name: links[1][name] for name in linked}}
        await self.audit(
            model.__name__, row.pk, {**before, "version": version}, {**after, "version": version + 1}, personal=personal
        )
        return row


async def changed_since(object_type: str, object_id: Any, version: int) -> str:
    """What changed an object after ``version``: the fields and who changed them (from the audit log)."""
    entries = await AuditEntry.filter(object_type=object_type, object_id=object_id).order_by("-id").limit(50)
    fields: dict[str, None] = {}
    actors: dict[str, None] = {}
    current = version
    for entry in entries:
        after = entry.after or {}
        if isinstance(after.get("version"), int) and after["version"] > version:
            current = max(current, after["version"])
            fields.update(dict.fromkeys(input_name(name) for name in after if name != "version"))
            actors[entry.actor] = None
    detail = f": {', '.join(fields)} (by {', '.join(actors)})" if fields else ""
    return (
        f"It changed since version {version}, which you read; it is at version {current} now{detail}. "
        "Read it again, then send your change with the current version."
    )


def input_name(name: str) -> str:
    """The input field a model field is written through: ``closes_at`` → ``closesAt``, ``founded_edtf`` → ``founded``."""
    for suffix in ("_edtf", "_earliest", "_latest"):
        name = name.removesuffix(suffix)
    if name.endswith("_id"):
        name = name.removesuffix("_id")
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


@dataclass(frozen=True)
class Result(Generic[T]):
    """What a write returns: its value when it succeeded, else the problems that stopped it."""

    value: T | None
    errors: list[UserError]


async def write(viewer: Viewer, operation: str, body: Callable[[Write], Awaitable[T]]) -> Result[T]:
    """Run ``body`` as one write: all of it or, when anything is refused, nothing."""
    try:
        async with in_transaction() as connection:
            value = await body(Write(viewer, operation, connection))
    except Rejected as rejected:
        return Result(None, rejected.errors)
    except IntegrityError:
        # Every rule is checked before writing; only a concurrent write can break one in between (two creations
        # of the same slug at once): the later one is refused whole, like a stale update.
        return Result(None, [UserError(None, RACED, UserErrorCode.CONFLICT)])
    return Result(value, [])


RACED = "Another change made at the same moment conflicts with this one; nothing was written. Read again and retry."
