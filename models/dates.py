"""Dates as precise as their sources, and the one rule for whether a dated period holds on a day.

A ``PartialDate`` is written in a subset of the Extended Date/Time Format
(EDTF, ISO 8601-2, the Library of Congress standard for exactly this):

========================  ==============================================  =========
EDTF                      meaning                                         precision
========================  ==============================================  =========
``2023-03-01``            that day                                        DAY
``2006-08``               some day of August 2006                         MONTH
``2011``                  some day of 2011                                YEAR
``[2010..2011]``          some day of 2010 or 2011 ("in 2010-11")         YEAR
``[2023-03-13..2023-03-17]`` some day from 13 to 17 March 2023             DAY
``[..2020-10]``           on or before October 2020 (start unknown)       MONTH
========================  ==============================================  =========

It is stored as three columns: the text (``<name>_edtf``) and the first and
last day it can denote (``<name>_earliest``, ``<name>_latest``), which is
what SQL compares. ``earliest`` is null only for "on or before" dates.

A ``Period`` runs from a ``since`` to an ``until`` (both inclusive). An
unknown ``since`` (null) means the start is unknown, never "always"; a null
``until`` means the sources say it still holds. On a day, a period holds
CERTAINLY, UNCERTAINLY (it may hold: the day falls inside the uncertainty of
one of its ends, or before the first day its start is known by), or not at all.
A period with neither end known is taken to hold certainly from today on,
since the directory records it as current. ``Period`` states this rule once,
in Python (``certainty_on``) and in SQL (``possible_sql``/``certain_sql``,
``possible_q``); every field, filter, walk and count that answers for a day
uses it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.expressions import Q

VIENNA = ZoneInfo("Europe/Vienna")
"""Time zone of UNODC headquarters: the directory's days and local times are Vienna's."""


def today() -> date:
    """The directory's today: the current day in Vienna."""
    return datetime.now(VIENNA).date()


class DatePrecision(str, Enum):
    """The unit a source states a date in."""

    DAY = "DAY"
    MONTH = "MONTH"
    YEAR = "YEAR"


_COARSENESS = [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR]


class Certainty(str, Enum):
    """How sure an answer for a day is."""

    CERTAIN = "CERTAIN"
    UNCERTAIN = "UNCERTAIN"


_UNIT = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SET = re.compile(r"^\[([0-9-]*)\.\.([0-9-]+)\]$")


def _unit(text: str) -> tuple[date, date, DatePrecision]:
    """First day, last day and precision of ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    match = _UNIT.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a year (2011), a month (2006-08) or a day (2023-03-01)")
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    if year < 1:
        raise ValueError(f"{text!r}: year 0 does not exist")
    if month is None:
        return date(year, 1, 1), date(year, 12, 31), DatePrecision.YEAR
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r}: there is no month {month}")
    if day is None:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), DatePrecision.MONTH
    try:
        exact = date(year, month, day)
    except ValueError as error:
        raise ValueError(f"{text!r}: {error}") from None
    return exact, exact, DatePrecision.DAY


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the day, the month or the year, or only within a window of days."""

    edtf: str
    earliest: date | None
    latest: date
    precision: DatePrecision

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read the EDTF subset above; ValueError saying what is wrong otherwise."""
        if not isinstance(text, str):
            raise ValueError(f"a date is EDTF text such as '2011' or '2023-03-01', not {text!r}")
        text = text.strip()
        window = _SET.match(text)
        if window is None:
            first, last, precision = _unit(text)
            return cls(text, first, last, precision)
        start, end = window.groups()
        _, last, precision = _unit(end)
        if not start:
            return cls(text, None, last, precision)
        first, _, start_precision = _unit(start)
        if first > last:
            raise ValueError(f"{text!r}: the range ends before it starts")
        # Ends may be stated in different units ("admitted since 2019", "on 4 March 2020"): the window is
        # as precise as its coarser end.
        return cls(text, first, last, max(precision, start_precision, key=_COARSENESS.index))

    @classmethod
    def of_day(cls, day: date) -> PartialDate:
        """An exact day."""
        return cls(day.isoformat(), day, day, DatePrecision.DAY)

    @classmethod
    def from_columns(cls, edtf: str | None, earliest: date | None, latest: date | None) -> PartialDate | None:
        """The value of a stored column triple (None when the text is null).

        The bounds are derived from the text on every write, so the text alone
        says it all; parsing is cached, the same texts recur.
        """
        return None if edtf is None else _parse_cached(edtf)

    @property
    def exact(self) -> bool:
        """Known to the day."""
        return self.earliest == self.latest

    @property
    def year(self) -> int | None:
        """The year, when the whole window lies in one year."""
        if self.earliest is None or self.earliest.year != self.latest.year:
            return None
        return self.latest.year

    def columns(self, prefix: str) -> dict[str, Any]:
        """Model attribute values of the column triple named ``prefix``."""
        return {f"{prefix}_edtf": self.edtf, f"{prefix}_earliest": self.earliest, f"{prefix}_latest": self.latest}


@lru_cache(maxsize=4096)
def _parse_cached(text: str) -> PartialDate:
    return PartialDate.parse(text)


def partial_date_columns(prefix: str, value: str | PartialDate | None) -> dict[str, Any]:
    """The column triple ``prefix_edtf/_earliest/_latest`` for an EDTF text, a PartialDate or None."""
    if value is None:
        return {f"{prefix}_edtf": None, f"{prefix}_earliest": None, f"{prefix}_latest": None}
    parsed = value if isinstance(value, PartialDate) else PartialDate.parse(value)
    return parsed.columns(prefix)


def read_partial_date(row: Any, prefix: str) -> PartialDate | None:
    """The PartialDate held in the column triple ``prefix`` of a model instance or row mapping."""
    if isinstance(row, dict):
        return PartialDate.from_columns(row[f"{prefix}_edtf"], row[f"{prefix}_earliest"], row[f"{prefix}_latest"])
    return PartialDate.from_columns(
        getattr(row, f"{prefix}_edtf"), getattr(row, f"{prefix}_earliest"), getattr(row, f"{prefix}_latest")
    )


def _q(lookups: dict[str, Any]) -> Q:
    """``Q(**lookups)``, for lookups whose names are built at run time."""
    return Q(**lookups)


@dataclass(frozen=True)
class Period:
    """The columns of a dated period: ``<start>_*`` to ``<end>_*`` (e.g. since/until, valid_from/valid_to).

    ``end`` is None for a period that has no end column (e.g. an instrument in force from ``in_force``).
    """

    start: str
    end: str | None

    def ends(self, row: Any) -> tuple[PartialDate | None, PartialDate | None]:
        """(since, until) of a row of this period."""
        return read_partial_date(row, self.start), (read_partial_date(row, self.end) if self.end else None)

    def certainty_on(self, row: Any, day: date, today: date) -> Certainty | None:
        """Whether the row's period holds on ``day``: CERTAIN, UNCERTAIN, or None when it cannot."""
        return certainty_on(*self.ends(row), day, today)

    def possible_sql(self, alias: str, day: str) -> str:
        """SQL: the period of ``alias`` may hold on the day (``day``: its placeholder)."""
        s, e = self.start, self.end
        started = f"({alias}.{s}_earliest IS NULL OR {alias}.{s}_earliest <= {day})"
        return started if e is None else f"{started} AND ({alias}.{e}_latest IS NULL OR {alias}.{e}_latest >= {day})"

    def certain_sql(self, alias: str, day: str, on: date, today: date) -> str:
        """SQL: the period of ``alias`` certainly holds on the day ``on`` (``on`` and ``today`` shape the text)."""
        s, e = self.start, self.end
        started = f"{alias}.{s}_latest <= {day}"
        if on >= today:
            open_end = "" if e is None else f" AND {alias}.{e}_latest IS NULL"
            started = f"({started} OR ({alias}.{s}_latest IS NULL{open_end}))"
        return started if e is None else f"{started} AND ({alias}.{e}_latest IS NULL OR {alias}.{e}_earliest >= {day})"

    def certainty_sql(self, alias: str, day: str, on: date, today: date) -> str:
        """SQL expression: 1 when the period certainly holds on ``on``, else 0 (use with ``possible_sql``)."""
        return f"CASE WHEN {self.certain_sql(alias, day, on, today)} THEN 1 ELSE 0 END"

    def possible_q(self, day: date, prefix: str = "") -> Q:
        """The ``possible_sql`` condition as a Tortoise filter (``prefix`` reaches the row through a relation)."""
        s = f"{prefix}{self.start}"
        started = _q({f"{s}_earliest__isnull": True}) | _q({f"{s}_earliest__lte": day})
        if self.end is None:
            return started
        e = f"{prefix}{self.end}"
        return Q(started, _q({f"{e}_latest__isnull": True}) | _q({f"{e}_latest__gte": day}))

    def certain_q(self, day: date, today: date, prefix: str = "") -> Q:
        """The ``certain_sql`` condition as a Tortoise filter."""
        s = f"{prefix}{self.start}"
        e = f"{prefix}{self.end}" if self.end else None
        started = _q({f"{s}_latest__lte": day})
        if day >= today:
            started |= _q({f"{s}_latest__isnull": True, **({f"{e}_latest__isnull": True} if e else {})})
        if e is None:
            return started
        return Q(started, _q({f"{e}_latest__isnull": True}) | _q({f"{e}_earliest__gte": day}))


def certainty_on(since: PartialDate | None, until: PartialDate | None, day: date, today: date) -> Certainty | None:
    """The rule of the module docstring, for one period and one day."""
    if since is not None and since.earliest is not None and day < since.earliest:
        return None
    if until is not None and day > until.latest:
        return None
    started = since.latest <= day if since is not None else until is None and day >= today
    # An end known only as on or before a day (no earliest) may already have passed: not certain, as in SQL.
    ended = until is not None and (until.earliest is None or day > until.earliest)
    return Certainty.CERTAIN if started and not ended else Certainty.UNCERTAIN


MEMBERSHIP_PERIOD = Period("since", "until")
"""Memberships and partnerships run from ``since`` to ``until``."""
VALIDITY_PERIOD = Period("valid_from", "valid_to")
"""Office locations and former names are valid from ``valid_from`` to ``valid_to``."""
IN_FORCE_PERIOD = Period("in_force", None)
"""Instruments are in force from ``in_force`` on."""
