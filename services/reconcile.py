"""Make stored rows equal to wanted ones, writing only what differs.

The data loader and the member-list service write this way, so that loading
the same data twice writes nothing (``updated_at`` stays as it was) and the
counts say what changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from tortoise.models import Model

M = TypeVar("M", bound=Model)


@dataclass
class Counts:
    """What happened to some rows."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def add(self, other: Counts) -> None:
        """Add ``other``'s counts to these."""
        for name in (f.name for f in fields(Counts)):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def changed(self) -> bool:
        """Whether anything was written."""
        return bool(self.created or self.updated or self.deleted)


async def save_changes(row: M, values: Mapping[str, Any], counts: Counts) -> M:
    """Give ``row`` the ``values``; save it only when one differs (a row without id is created)."""
    if row.pk is None:
        for name, value in values.items():
            setattr(row, name, value)
        await row.save()
        counts.created += 1
        return row
    changed = {name: value for name, value in values.items() if getattr(row, name) != value}
    if not changed:
        counts.unchanged += 1
        return row
    for name, value in changed.items():
        setattr(row, name, value)
    await row.save()
    counts.updated += 1
    return row


@dataclass
class Reconciliation:
    """The rows of ``model`` within ``scope``, to become ``wanted`` (a row is identified by its ``key`` values).

    ``read`` it, then ``delete`` what is no longer wanted, then ``write`` the
    rest: several reconciliations of one table delete before any writes, so a
    row moving from one scope to another never meets itself in a unique index.
    """

    model: type[Model]
    scope: dict[str, Any]
    key: tuple[str, ...]
    wanted: list[dict[str, Any]]
    existing: dict[tuple[Any, ...], Model] = field(default_factory=dict)
    unwanted: list[Model] = field(default_factory=list)

    @classmethod
    async def read(
        cls, model: type[Model], scope: Mapping[str, Any], key: Sequence[str], wanted: Iterable[dict[str, Any]]
    ) -> Reconciliation:
        """Read the stored rows and sort them into kept and unwanted; ValueError when a row is wanted twice."""
        plan = cls(model, dict(scope), tuple(key), list(wanted))
        identities = [plan.identity(values) for values in plan.wanted]
        if len(set(identities)) < len(identities):
            twice = next(values for values in plan.wanted if identities.count(plan.identity(values)) > 1)
            raise ValueError(f"the same row is wanted twice: {twice}")
        stored: dict[tuple[Any, ...], Model] = {}
        for row in await model.filter(**plan.scope).order_by("id"):
            identity = tuple(getattr(row, name) for name in plan.key)
            if identity in stored:
                plan.unwanted.append(row)
            else:
                stored[identity] = row
        for identity in set(stored) - set(identities):
            plan.unwanted.append(stored.pop(identity))
        plan.existing = stored
        return plan

    def identity(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """The key values of a wanted row."""
        return tuple(values[name] for name in self.key)

    async def delete(self, counts: Counts) -> None:
        """Delete the stored rows no longer wanted."""
        for row in sorted(self.unwanted, key=_id):
            await row.delete()
            counts.deleted += 1
        self.unwanted = []

    async def write(self, counts: Counts) -> None:
        """Create the wanted rows that are missing and update those that differ."""
        for values in self.wanted:
            row = self.existing.get(self.identity(values)) or self.model(**self.scope)
            await save_changes(row, values, counts)


async def reconcile(
    model: type[Model], scope: Mapping[str, Any], key: Sequence[str], wanted: Iterable[dict[str, Any]], counts: Counts
) -> None:
    """Make the rows of ``model`` within ``scope`` equal to ``wanted``, touching only what differs."""
    plan = await Reconciliation.read(model, scope, key, wanted)
    await plan.delete(counts)
    await plan.write(counts)


def _id(row: Model) -> Any:
    return row.pk
