"""The rows of a member-list import, read one by one: each row is accepted or rejected with every reason.

A row is a member record of the member-list shape (``domain.member_lists``:
``name``, ``slug``, ``acronym``, ``kind``, ``country``, ``city``, ``website``,
``type``, ``since``, ``until``, ``source``, ``evidence``), plus an optional
``focalPoint`` (``name``, ``title``, ``email``, ``phone``: personal data). The
GraphQL input, a JSON member list and a CSV file (its header names the keys;
``focalPointName``... for the focal point) all give rows as mappings of text.

Unlike ``domain.member_lists.parse``, which refuses a whole curated file at
its first problem, a row here collects every problem with the path of the
field (``["members", "3", "country"]``) and a stable code, so that an import
can answer each rejected row with its reasons, or skip it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from domain import validation
from domain.matching import website_domain
from domain.member_lists import Facts
from domain.user_errors import UserError, UserErrorCode
from models.dates import PartialDate
from models.enums import MembershipType, OrganizationKind

E = TypeVar("E", bound=Enum)

ROW_KEYS = frozenset(
    {"name", "slug", "acronym", "kind", "country", "city", "website", "type", "since", "until", "source", "evidence", "focalPoint"}
)
"""What a row may hold (``evidence`` is accepted and not stored: it documents the curated lists)."""
FOCAL_POINT_KEYS = frozenset({"name", "title", "email", "phone"})
SOURCE_LENGTH = 500


@dataclass(frozen=True)
class FocalPointRow:
    """The person a row names as the member's focal point (personal data)."""

    name: str
    title: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class ImportRow:
    """An accepted row: the organization it names, its tie to the network, and a focal point."""

    index: int
    facts: Facts
    type: MembershipType
    since: PartialDate | None = None
    until: PartialDate | None = None
    source: str | None = None
    focal_point: FocalPointRow | None = None


def read_row(index: int, raw: Any, path: tuple[str, ...] = ("members",)) -> tuple[ImportRow | None, list[UserError]]:
    """The row, or None with every problem found (their ``field`` starts with ``path`` and the index)."""
    here = (*path, str(index))
    if not isinstance(raw, Mapping):
        return None, [UserError(here, "A row is an object of fields (name, country, website...).", UserErrorCode.INVALID)]
    problems: list[UserError] = []

    def problem(field: str | tuple[str, ...], message: str, code: UserErrorCode) -> None:
        problems.append(UserError((*here, *((field,) if isinstance(field, str) else field)), message, code))

    for key in sorted(set(raw) - ROW_KEYS, key=str):
        problem(str(key), f"Unknown field; a row has {', '.join(sorted(ROW_KEYS))}.", UserErrorCode.INVALID)
    text = {key: _text(raw.get(key)) for key in ("name", "slug", "acronym", "country", "city", "website", "source", "since", "until")}
    if text["website"] is not None and "://" not in text["website"]:
        text["website"] = f"https://{text['website']}"
    if text["country"] is not None and len(text["country"]) == 2:
        text["country"] = text["country"].upper()
    checks = {
        "name": validation.text(text["name"], required=True),
        "slug": validation.slug(text["slug"]),
        "acronym": validation.text(text["acronym"], longest=40),
        "city": validation.text(text["city"], longest=120),
        "country": validation.country(text["country"]),
        "website": validation.url(text["website"]) or _domain(text["website"]),
        "source": validation.text(text["source"], longest=SOURCE_LENGTH),
        "since": validation.partial_date(text["since"]),
        "until": validation.partial_date(text["until"]) or validation.period(text["since"], text["until"]),
    }
    for field, found in checks.items():
        if found is not None:
            problem(field, *found)
    kind = _choice(raw.get("kind"), OrganizationKind, "kind", problem)
    tie = _choice(raw.get("type"), MembershipType, "type", problem) or MembershipType.MEMBER
    focal_point = _focal_point(raw.get("focalPoint"), problem)
    if problems:
        return None, problems
    assert text["name"] is not None
    facts = Facts(text["name"], text["slug"], text["acronym"], kind, text["country"], text["city"], text["website"])
    since, until = (PartialDate.parse(text[key]) if text[key] else None for key in ("since", "until"))  # type: ignore[arg-type]
    return ImportRow(index, facts, tie, since, until, text["source"], focal_point), []


def lenient_facts(raw: Any) -> Facts | None:
    """What a rejected row still says about its organization (its valid name, slug, country, website), to recognise it."""
    if not isinstance(raw, Mapping):
        return None
    name = _text(raw.get("name"))
    if name is None or validation.text(name, required=True):
        return None
    slug = _text(raw.get("slug"))
    country = (_text(raw.get("country")) or "").upper() or None
    website = _text(raw.get("website"))
    return Facts(
        name,
        slug if slug and validation.slug(slug) is None else None,
        country=country if validation.country(country) is None else None,
        website=website if website and website_domain(website) else None,
    )


def _text(value: Any) -> str | None:
    """Text stripped, None for blanks; other values as their text (a CSV cell, a number)."""
    if value is None:
        return None
    if isinstance(value, Enum):
        value = value.value
    text = str(value).strip()
    return text or None


def _domain(url: str | None) -> validation.Problem:
    if url is None or website_domain(url) is not None:
        return None
    return f"{url!r} has no host.", UserErrorCode.INVALID_URL


def _choice(value: Any, enum: type[E], field: str, problem: Any) -> E | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return enum(text.upper())
    except ValueError:
        problem(field, f"{text!r} is not one of {', '.join(member.value for member in enum)}.", UserErrorCode.INVALID)
        return None


def _focal_point(value: Any, problem: Any) -> FocalPointRow | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        problem("focalPoint", "A focal point is an object: name, title, email, phone.", UserErrorCode.INVALID)
        return None
    fields = {key: _text(value.get(key)) for key in FOCAL_POINT_KEYS}
    if not any(fields.values()):
        return None
    unknown = sorted(set(value) - FOCAL_POINT_KEYS, key=str)
    for key in unknown:
        problem(("focalPoint", str(key)), "Unknown focal point field; it has name, title, email, phone.", UserErrorCode.INVALID)
    checks = {
        "name": validation.text(fields["name"], required=True, longest=200),
        "title": validation.text(fields["title"], longest=200),
        "email": validation.email(fields["email"]),
        "phone": validation.text(fields["phone"], longest=50),
    }
    found = False
    for key, check in checks.items():
        if check is not None:
            problem(("focalPoint", key), *check)
            found = True
    if found or unknown:
        return None
    assert fields["name"] is not None
    return FocalPointRow(fields["name"], fields["title"], fields["email"], fields["phone"])
