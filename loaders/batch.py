"""Batch functions shared by the loaders: one SELECT ... WHERE key IN (...) per batch."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from aiodataloader import DataLoader
from tortoise.expressions import Q
from tortoise.models import Model

M = TypeVar("M", bound=Model)
MAX_BATCH = 500
"""Keys per SELECT, well under the bind-parameter limits of SQLite and PostgreSQL."""


def one_by(model: type[M], field: str, scope: Q | None = None) -> DataLoader:
    """Loads the row of ``model`` whose ``field`` equals each key, or None."""

    async def load(keys: Sequence[Hashable]) -> list[M | None]:
        query = model.filter(**{f"{field}__in": list(keys)})
        if scope is not None:
            query = query.filter(scope)
        found = {getattr(row, field): row for row in await query}
        return [found.get(key) for key in keys]

    return DataLoader(load, max_batch_size=MAX_BATCH)


def many_by(
    model: type[M],
    field: str,
    *,
    scope: Q | None = None,
    order: Sequence[str] = ("id",),
    related: Sequence[str] = (),
    sort_key: Callable[[Any], Any] | None = None,
) -> DataLoader:
    """Loads, for each key, the rows of ``model`` whose ``field`` equals it, in ``order``.

    ``sort_key`` re-sorts each group in Python where SQL cannot be trusted to
    agree across databases (SQLite sorts NULLs first, PostgreSQL last).
    """

    async def load(keys: Sequence[Hashable]) -> list[list[M]]:
        query = model.filter(**{f"{field}__in": list(keys)})
        if scope is not None:
            query = query.filter(scope)
        if related:
            query = query.select_related(*related)
        groups: dict[Any, list[M]] = defaultdict(list)
        for row in await query.order_by(*order):
            groups[getattr(row, field)].append(row)
        if sort_key is not None:
            for group in groups.values():
                group.sort(key=sort_key)
        return [groups.get(key, []) for key in keys]

    return DataLoader(load, max_batch_size=MAX_BATCH)


def by_date_nulls_first(field: str) -> Callable[[Any], Any]:
    """Sort key: by a nullable date, rows without one first (an open start is the oldest), then by id."""
    return lambda row: (getattr(row, field) is not None, getattr(row, field) or dt.date.min, row.id)
