"""The one rule for ``asOf``: the day a field, filter or count answers for.

- omitted: today (the directory's today, in Vienna);
- a day: that day;
- an explicit null: every period, on lists and counts; refused with a clear
  error where one value must be chosen (a location, a name).

Every argument that answers for a day is declared here, with its description
taken from one shared text, and read through ``as_of_day`` or ``single_day``.
How a period holds on the chosen day (certainly, uncertainly, not at all) is
``models.dates``'s rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

import strawberry

from domain.errors import ClientError
from models.dates import Certainty, today

AS_OF_RULE = (
    "Omitted: today (Vienna time). A day: that day. "
    "Answers include what may hold that day, each marked CERTAIN or UNCERTAIN (see README, Time)."
)
AS_OF_LIST_HELP = f"The day to answer for. {AS_OF_RULE} null: every period, past ones included."
AS_OF_SINGLE_HELP = f"The day to answer for. {AS_OF_RULE} null is refused: this field answers for one day."

AsOfListArg = Annotated[date | None, strawberry.argument(description=AS_OF_LIST_HELP)]
"""``asOf`` of a list or count: omitted = today, a day, null = every period."""
AsOfSingleArg = Annotated[date | None, strawberry.argument(description=AS_OF_SINGLE_HELP)]
"""``asOf`` of a single value: omitted = today, a day; null refused."""


def as_of_day(value: Any) -> date | None:
    """``asOf`` of a list: a day, None for "every period" (explicit null), today when omitted."""
    if value is strawberry.UNSET:
        return today()
    return value


def single_day(value: Any, argument: str = "asOf") -> date:
    """``asOf`` of a single value: a day, today when omitted; ClientError for an explicit null."""
    if value is strawberry.UNSET:
        return today()
    if value is None:
        raise ClientError(f"`{argument}: null` asks for every period, but this field answers for one day; give a day or omit it.")
    return value


@dataclass(frozen=True, slots=True)
class OnDay:
    """A dated row as it stands on the day asked for: the row, and how certainly it holds then.

    Reads like the row it wraps; ``certainty`` is None when the list was asked
    for every period.
    """

    row: Any
    certainty: Certainty | None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)  # never the row's protocols (``__await__``...)
        return getattr(self.row, name)


def unwrap(obj: Any) -> Any:
    """The row behind an ``OnDay`` (or the object itself)."""
    return obj.row if isinstance(obj, OnDay) else obj
