"""Checks of written values, each returning the problem (message, code) or None: the same rules for every write.

Mutations and imports call these on every field they are given and report
every problem at once (``services.writes.Write.problem``).
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

from domain.countries import is_country_code
from domain.events import RangeOrderError, read_range
from domain.user_errors import UserErrorCode
from models.dates import PartialDate
from models.enums import LANGUAGE_ALIASES, Language

Problem = tuple[str, UserErrorCode] | None

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]+$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_TEXT = 255
"""Longest name, acronym or city accepted (the columns hold that much)."""


def country(value: str | None) -> Problem:
    """An ISO 3166-1 alpha-2 code (upper case), or nothing."""
    if value is None or is_country_code(value):
        return None
    return f"{_shown(value)} is not an ISO 3166-1 alpha-2 country code (e.g. AT, KE).", UserErrorCode.INVALID_COUNTRY


def url(value: str | None) -> Problem:
    """An http(s) address with a host, or nothing."""
    if value is None:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme in ("http", "https") and parts.hostname and "." in parts.hostname and len(value) <= 300:
        return None
    return f"{_shown(value)} is not a web address (https://host/...).", UserErrorCode.INVALID_URL


def email(value: str | None) -> Problem:
    """An e-mail address, or nothing."""
    if value is None or (_EMAIL.match(value) and len(value) <= 254):
        return None
    return f"{_shown(value)} is not an e-mail address.", UserErrorCode.INVALID_EMAIL


def partial_date(value: str | None) -> Problem:
    """EDTF text as precise as its source (``models.dates``): 2011, 2006-08, 2023-03-13, [2010..2011], [..2020-05]."""
    if value is None:
        return None
    try:
        PartialDate.parse(value)
    except ValueError as error:
        return str(error), UserErrorCode.INVALID_DATE
    return None


def period(since: str | None, until: str | None) -> Problem:
    """A period cannot end before the earliest day it can start."""
    if since is None or until is None or partial_date(since) or partial_date(until):
        return None
    start, end = PartialDate.parse(since), PartialDate.parse(until)
    if start.earliest is not None and end.latest is not None and end.latest < start.earliest:
        return f"The period ends ({until}) before it starts ({since}).", UserErrorCode.DATE_ORDER
    return None


def text(value: str | None, *, required: bool = False, longest: int = MAX_TEXT) -> Problem:
    """Text that is not blank when required, and not too long."""
    if value is None or not value.strip():
        return ("A value is required.", UserErrorCode.REQUIRED) if required else None
    if len(value) > longest:
        return f"At most {longest} characters; {len(value)} were given.", UserErrorCode.INVALID
    return None


def slug(value: str | None) -> Problem:
    """A stable, URL-safe identifier: lower-case letters and digits joined by single hyphens."""
    if value is None:
        return None
    if len(value) <= 100 and _SLUG.match(value):
        return None
    return f"{_shown(value)} is not a slug (lower-case letters and digits joined by hyphens).", UserErrorCode.INVALID


def _shown(value: str) -> str:
    """A value as an error message quotes it: shortened when long."""
    return repr(value if len(value) <= 60 else value[:60] + "…")


def language(value: str) -> Problem:
    """One of the six UN languages, by its code (``SP`` is read as ES)."""
    if language_of(value) is not None:
        return None
    codes = ", ".join(item.value for item in Language)
    return f"{_shown(value)} is not one of the directory's languages ({codes}).", UserErrorCode.INVALID_LANGUAGE


def language_of(value: str) -> Language | None:
    """The language a code names (upper or lower case, ``SP`` for ES), None for anything else."""
    code = value.strip().upper()
    return LANGUAGE_ALIASES.get(code) or next((item for item in Language if item.value == code), None)


def event_range(value: str) -> Problem:
    """An event's date range in EDTF at the source's precision (``domain.events.read_range``)."""
    try:
        read_range(value)
    except RangeOrderError as error:
        return str(error), UserErrorCode.DATE_ORDER
    except ValueError as error:
        return str(error), UserErrorCode.INVALID_DATE
    return None


def instant(value: datetime | None) -> Problem:
    """An instant that states its UTC offset (a time without one names no instant)."""
    if value is None or value.tzinfo is not None:
        return None
    return f"{value.isoformat()} needs a UTC offset, e.g. 2023-02-12T23:59:00+01:00.", UserErrorCode.INVALID_DATE


def phone(value: str | None) -> Problem:
    """A telephone number: digits, spaces and + ( ) - . / only, with at least six digits."""
    if value is None or (_PHONE.match(value) and sum(char.isdigit() for char in value) >= 6 and len(value) <= 50):
        return None
    return f"{_shown(value)} is not a telephone number (e.g. +43 1 26060 0).", UserErrorCode.INVALID
