"""Values derived from an event's date ranges."""

from collections.abc import Iterable
from datetime import date, datetime, time, timezone
from typing import Protocol
from zoneinfo import ZoneInfo

from models.dates import DatePrecision, PartialDate

VIENNA = ZoneInfo("Europe/Vienna")
"""Event times without a UTC offset are Vienna local times."""


class DateRange(Protocol):
    """Anything with a first day, e.g. an ``EventDate`` row."""

    @property
    def start_date(self) -> date: ...


def first_date_of(ranges: Iterable[DateRange]) -> date | None:
    """The earliest start date of an event's date ranges (``Event.first_date``), None without dates."""
    return min((item.start_date for item in ranges), default=None)


def read_range(text: str) -> tuple[date, date, bool]:
    """An event's date range from its EDTF text: (first day, last day, exact).

    ``2023-03-13`` (that day) and ``2023-03-13/2023-03-17`` (every day from the first to the last) are
    exact; ``[2023-03-13..2023-03-17]`` (some day within), ``2023-03`` and ``2023`` (some day of that
    month or year) are not: the event falls on some day(s) of the range, at the precision the source
    gives. ValueError saying what is wrong otherwise; ``RangeOrderError`` when the range ends before it starts.
    """
    text = text.strip()
    if "/" in text:
        first_text, _, last_text = text.partition("/")
        first, last = PartialDate.parse(first_text), PartialDate.parse(last_text)
        if first.precision is not DatePrecision.DAY or last.precision is not DatePrecision.DAY:
            raise ValueError(f"{text!r}: an interval of every day names both days, e.g. 2023-03-13/2023-03-17")
        assert first.earliest is not None
        if last.latest < first.earliest:
            raise RangeOrderError(f"The range {text!r} ends before it starts.")
        return first.earliest, last.latest, True
    if text.startswith("[") and ".." in text and text[1:].split("..")[0] and text.endswith("]"):
        first_text, last_text = text[1:-1].split("..", 1)
        if PartialDate.parse(last_text).latest < PartialDate.parse(first_text).latest:
            raise RangeOrderError(f"The range {text!r} ends before it starts.")
    value = PartialDate.parse(text)
    if value.earliest is None:
        raise ValueError(f"{text!r}: an event's range needs its first possible day, e.g. [2023-03-13..2023-03-17]")
    return value.earliest, value.latest, value.earliest == value.latest


class RangeOrderError(ValueError):
    """A date range that ends before it starts."""


def vienna_time(value: time, day: date) -> time:
    """A time of day as stored: with its UTC offset; one without is Vienna local time on ``day``."""
    if value.tzinfo is not None:
        return value
    offset = datetime.combine(day, value, tzinfo=VIENNA).utcoffset()
    assert offset is not None
    return value.replace(tzinfo=timezone(offset))
