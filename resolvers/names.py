"""Names as they were on a day: former names are periods, the current name is the entity's own."""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from datetime import date
from typing import Any

import strawberry

from models.names import NamePeriod


def name_on(current: str, periods: Sequence[NamePeriod], day: date) -> str:
    """The former name in use on ``day`` (bounds inclusive, open ends unbounded), else the current name."""
    for period in periods:
        if (period.valid_from is None or period.valid_from <= day) and (period.valid_to is None or day <= period.valid_to):
            return period.name
    return current


def name_as_of(root: Any, info: strawberry.Info, as_of: date | None, loader: str) -> str | Awaitable[str]:
    """The entity's name on ``as_of``; without a day, its current name at no cost."""
    if as_of is None:
        return root.name  # type: ignore[no-any-return]

    async def resolve() -> str:
        periods = await getattr(info.context.loaders, loader).load(root.id)
        return name_on(root.name, periods, as_of)

    return resolve()
