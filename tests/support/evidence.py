"""Checks that a dated fact of a data file is no more precise than the words its source uses.

Each dated value (EDTF text, see ``models.dates``) comes with ``evidence``:
``{"says": "<the source's words>", "source": "<address>"}``. The words must
state every part the precision claims: the year (four digits) always, the
month (its English name, or its abbreviation) for a month or a day, and the
day number for a day. Bracketed insertions such as "[2023:]" give context
the quoted sentence leaves implicit (a page's date, its year). The end of a
period ("until", "validTo") may instead be the day before a quoted day: "on 1
March 2023 the office moved" supports a last day of 28 February 2023.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from models.dates import DatePrecision, PartialDate

MONTHS = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
END_FIELDS = {"until", "validTo"}
DATED_FIELDS = {"founded", "established", "started", "adopted", "inForce", "since", "until", "validFrom", "validTo"}


def _says_day(words: str, day: date, precision: DatePrecision) -> bool:
    """Whether ``words`` state ``day`` down to ``precision``."""
    text = words.lower()
    if str(day.year) not in text:
        return False
    if precision is DatePrecision.YEAR:
        return True
    month = MONTHS[day.month - 1]
    if month not in text and not re.search(rf"\b{month[:3]}\b", text) and f"{day.year}-{day.month:02d}" not in text:
        return False
    if precision is DatePrecision.MONTH:
        return True
    return bool(re.search(rf"(?<!\d)0?{day.day}(?!\d)", text))


def _bounds(value: PartialDate) -> list[tuple[date, DatePrecision]]:
    """The days a value's text names, each with the unit it is stated in: both ends of a window, or its one unit."""
    if not value.edtf.startswith("["):
        return [(value.latest, value.precision)] if value.latest is not None else []
    start, end = value.edtf.strip("[]").split("..")
    first = PartialDate.parse(start) if start else None  # one unit, so it has an earliest day
    bounds = [(first.earliest, first.precision)] if first is not None and first.earliest is not None else []
    last = PartialDate.parse(end)
    return [*bounds, (last.latest, last.precision)]


def unsupported(field: str, value: str, evidence: Any) -> str | None:
    """Why ``evidence`` does not support ``field: value``; None when it does."""
    if not isinstance(evidence, dict) or not evidence.get("says") or not evidence.get("source"):
        return f"{field} {value!r} has no evidence with the source's words ('says') and address ('source')"
    try:
        parsed = PartialDate.parse(value)
    except ValueError as error:
        return f"{field}: {error}"
    words = str(evidence["says"])
    for day, precision in _bounds(parsed):
        ok = _says_day(words, day, precision)
        if not ok and field in END_FIELDS:
            ok = _says_day(words, day + timedelta(days=1), precision)
        if not ok:
            return f"{field} {value!r} claims {precision.value.lower()} precision the words do not state: {words!r}"
    return None


def event_dates_unsupported(dates: list[dict[str, Any]], evidence: Any) -> str | None:
    """Why ``evidence`` does not support an event's date ranges (days and times); None when it does."""
    if not isinstance(evidence, dict) or not evidence.get("says") or not evidence.get("source"):
        return "dates have no evidence with the source's words ('says') and address ('source')"
    words = str(evidence["says"])
    for item in dates:
        for key in ("startDate", "endDate"):
            if key in item and not _says_day(words, date.fromisoformat(item[key]), DatePrecision.DAY):
                return f"{key} {item[key]} is not stated by the words: {words!r}"
        for key in ("startTime", "endTime"):
            if key in item and item[key] not in words:
                return f"{key} {item[key]} is not stated by the words: {words!r}"
    return None


def problems(record: dict[str, Any], where: str) -> list[str]:
    """Every dated fact of a record (and of its nested lists) that lacks evidence or claims too much."""
    found: list[str] = []
    evidence = record.get("evidence") or {}
    for field in DATED_FIELDS:
        if record.get(field) is not None:
            problem = unsupported(field, record[field], evidence.get(field))
            if problem:
                found.append(f"{where}: {problem}")
    if record.get("dates"):
        problem = event_dates_unsupported(record["dates"], evidence.get("dates"))
        if problem:
            found.append(f"{where}: {problem}")
    for key in evidence:
        if record.get(key) is None:
            found.append(f"{where}: evidence for {key!r}, which the record does not state")
    for key, value in record.items():
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict) and key != "dates":
                    found.extend(problems(item, f"{where}.{key}[{index}]"))
    return found
