"""Problems a write can report to its caller: data, not exceptions (``userErrors`` of every mutation payload).

A mutation checks everything it can before it writes and reports each
problem with the input field it concerns, a message a person can act on, and
a stable code a program can branch on.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class UserErrorCode(str, Enum):
    """Why a write was refused."""

    REQUIRED = "REQUIRED"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN = "FORBIDDEN"
    CONFLICT = "CONFLICT"
    TAKEN = "TAKEN"
    INVALID_COUNTRY = "INVALID_COUNTRY"
    INVALID_URL = "INVALID_URL"
    INVALID_EMAIL = "INVALID_EMAIL"
    INVALID_DATE = "INVALID_DATE"
    DATE_ORDER = "DATE_ORDER"
    INVALID_LANGUAGE = "INVALID_LANGUAGE"
    NOT_A_NETWORK = "NOT_A_NETWORK"
    CYCLE = "CYCLE"
    TOO_MANY = "TOO_MANY"
    ARCHIVED = "ARCHIVED"
    AMBIGUOUS = "AMBIGUOUS"
    DUPLICATE = "DUPLICATE"


@dataclass(frozen=True)
class UserError:
    """One problem: the input field it concerns (a path, e.g. ``["input", "country"]``), what is wrong, and its code."""

    field: tuple[str, ...] | None
    message: str
    code: UserErrorCode


class Rejected(Exception):
    """A write with problems: its transaction is rolled back and its problems reported as user errors."""

    def __init__(self, errors: list[UserError]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors
