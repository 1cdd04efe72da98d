"""The day a time-dependent field answers for: today unless the client says otherwise."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry

AS_OF_HELP = "Omitted: today. null: every period, past ones included."


def as_of_day(value: Any) -> date | None:
    """``asOf`` as given: a day, None for "every period" (explicit null), today when omitted."""
    if value is strawberry.UNSET:
        return date.today()
    return value  # type: ignore[no-any-return]
