"""Values derived from an event's date ranges."""

from collections.abc import Iterable
from datetime import date
from typing import Protocol


class DateRange(Protocol):
    """Anything with a first day, e.g. an ``EventDate`` row."""

    @property
    def start_date(self) -> date: ...


def first_date_of(ranges: Iterable[DateRange]) -> date | None:
    """The earliest start date of an event's date ranges (``Event.first_date``), None without dates."""
    return min((item.start_date for item in ranges), default=None)
