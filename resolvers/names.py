"""Names as they were on a day: former names are dated periods, the current name follows the last of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import strawberry

from models.dates import VALIDITY_PERIOD, Certainty, read_partial_date, today
from models.names import NamePeriod
from queries.batch import Relation
from queries.rows import RowView
from resolvers.time import single_day


@dataclass(frozen=True)
class DatedNameAnswer:
    """The name on a day (None when uncertain or unknown), how sure, and every name it may be."""

    name: str | None
    certainty: Certainty
    candidates: list[str]


def name_on(current: str, periods: Sequence[NamePeriod | RowView], day: date, now: date) -> DatedNameAnswer:
    """The name on ``day`` by the dated-period rule (``models.dates``).

    A former name holds as its period does. The current name holds from the
    end of the last former name: possibly from the earliest day that name can
    have ended, certainly from the day after the latest; with no former names,
    always. One certain name is the answer; otherwise every possible one is a
    candidate, and the answer is UNCERTAIN.
    """
    possible: list[tuple[str, Certainty]] = []
    for period in periods:
        certainty = VALIDITY_PERIOD.certainty_on(period, day, now)
        if certainty is not None:
            possible.append((period.name, certainty))
    ends = [read_partial_date(period, "valid_to") for period in periods]
    if any(end is None for end in ends):
        current_certainty: Certainty | None = Certainty.UNCERTAIN
    elif not ends:
        current_certainty = Certainty.CERTAIN
    else:
        last_end = max(ends, key=lambda end: end.latest)  # type: ignore[union-attr]
        assert last_end is not None
        if day > last_end.latest:
            current_certainty = Certainty.CERTAIN
        elif last_end.earliest is None or day > last_end.earliest:
            current_certainty = Certainty.UNCERTAIN
        else:
            current_certainty = None
    if current_certainty is not None:
        possible.append((current, current_certainty))
    certain = [name for name, certainty in possible if certainty is Certainty.CERTAIN]
    if len(certain) == 1:
        return DatedNameAnswer(certain[0], Certainty.CERTAIN, certain)
    names = list(dict.fromkeys(name for name, _ in possible))
    return DatedNameAnswer(None, Certainty.UNCERTAIN, names)


async def name_as_of(root: Any, info: strawberry.Info, as_of: Any, former_names: Relation) -> DatedNameAnswer:
    """The entity's name on ``asOf`` (one day: omitted is today, null is refused)."""
    day = single_day(as_of)
    periods = await info.context.loaders.many(former_names).load(root.id)
    return name_on(root.name, periods, day, today())
