"""What a member-list import did: its diff, and the pieces the import's steps share (``services.member_import``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeVar

from domain.user_errors import UserError

T = TypeVar("T")

BATCH = 500
"""Rows per batched statement (well under both databases' limits of bound values)."""
FILLED_FIELDS = ("acronym", "kind", "country", "city", "website")
"""Facts of a known organization an import may fill while they are empty."""

Progress = Callable[[str, int, int], None]
"""Told ``(stage, done, total)`` as an import goes (the command line draws a progress bar)."""


class Mode(str, Enum):
    """How a list relates to the network's current members."""

    MERGE = "MERGE"
    REPLACE = "REPLACE"


def import_origin(network_slug: str) -> str:
    """``origin`` of the ties an import creates: ``import:<network slug>`` (never touched by ``load-data``)."""
    return f"import:{network_slug}"


@dataclass(frozen=True)
class FieldChange:
    """One field of an organization, its membership (``membership.type``...) or focal point, before and after."""

    field: str
    before: Any
    after: Any


@dataclass
class RowResult:
    """What a row did: the organization it names (by slug; its id unless a dry run created it) and its changes."""

    index: int
    name: str
    slug: str
    organization_id: int | None
    matched_by: str | None
    """``slug``, ``website`` or ``name``; None for an organization the row created."""
    changes: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class EndedMembership:
    """A membership a REPLACE ended: the member no longer on the list."""

    organization_id: int
    slug: str
    name: str
    since: str | None
    until: str


@dataclass(frozen=True)
class RejectedRow:
    """A row that was not applied, and why (each reason's ``field`` is its path in the input)."""

    index: int
    name: str | None
    reasons: list[UserError]


@dataclass
class ImportDiff:
    """The answer of an import, applied or not."""

    network_id: int
    network_slug: str
    mode: Mode
    dry_run: bool
    applied: bool = False
    created: list[RowResult] = field(default_factory=list)
    updated: list[RowResult] = field(default_factory=list)
    unchanged: list[RowResult] = field(default_factory=list)
    ended: list[EndedMembership] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)


def chunks(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    """``items`` in slices of ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
