"""Importing a network's member list (``networkMembersImport``, ``manage.py import-members``): a diff, all or nothing.

A coalition (or an administrator) sends rows (``domain.member_import``). Each
row names an organization by the one matching rule (``domain.matching``: a
slug, else the website's domain, else the normalized name plus country);
an organization no row of the directory fits is created. The answer is a
diff: the rows that created an organization, those that changed something
(field by field, before and after), those that changed nothing, the
memberships a REPLACE ended (members the list no longer names), and the
rows rejected, each with its reasons.

What an import changes:

- organizations: new ones are created; known ones only gain the facts they
  lack (a known value is never overwritten: the directory's own data wins,
  as when the curated lists are loaded), and from a coalition only when they
  are its network's members already (``Viewer.may_complete_organization``);
- the tie to the network: created, or its type and dates set to what the row
  states; new ties record the network as their maintainer (``origin``
  ``import:<network slug>``) and, without a row ``source``, the network's
  submission as their source;
- a focal point (personal data) is added when the member has none of that
  name or e-mail; stored personal data is never echoed in the diff;
- REPLACE only: the open memberships of the network that the list does not
  name are ended today (kept in the history, never deleted).

It all runs in one transaction with batched statements (a few per 500 rows,
whatever the list's length). A rejected row refuses the whole import unless
the caller asks to skip bad rows; a dry run makes the same changes and
rolls them back, so its diff is exactly what the import would do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from domain import validation
from domain.access import Viewer
from domain.errors import InvalidId
from domain.ids import parse_global_id
from domain.user_errors import Rejected, UserError, UserErrorCode
from models import Organization
from models.enums import OrganizationKind
from services.member_import_diff import (
    EndedMembership,
    FieldChange,
    ImportDiff,
    Mode,
    Progress,
    RejectedRow,
    RowResult,
    import_origin,
)
from services.member_import_plan import Plan
from services.member_import_write import apply
from services.search_index import reindex
from services.writes import Write, write

__all__ = [
    "EndedMembership", "FieldChange", "ImportDiff", "ImportResult", "Mode", "Progress", "RejectedRow", "RowResult",
    "import_members", "import_origin",
]  # fmt: skip

MAX_ROWS = 10_000
"""Most rows one GraphQL import may carry (the command line takes any number)."""


@dataclass
class ImportResult:
    """The diff (None when the import was refused before reading its rows) and the problems that refused it."""

    diff: ImportDiff | None
    errors: list[UserError]


class _DryRun(Rejected):
    """Rolls a dry run's transaction back once its diff is known."""


async def import_members(
    viewer: Viewer,
    network: str,
    rows: Sequence[Any],
    *,
    mode: Mode = Mode.MERGE,
    dry_run: bool = False,
    skip_invalid: bool = False,
    max_rows: int | None = MAX_ROWS,
    progress: Progress | None = None,
    operation: str = "networkMembersImport",
) -> ImportResult:
    """Import ``rows`` into ``network`` (a slug or a global ID) as ``viewer``; see the module."""
    diffs: list[ImportDiff] = []

    async def body(w: Write) -> ImportDiff:
        target = await _network(w, network)
        if max_rows is not None and len(rows) > max_rows:
            raise w.refuse(
                ("input", "members"),
                f"{len(rows):,} rows; one request takes at most {max_rows:,} (the command line takes any number).",
                UserErrorCode.TOO_MANY,
            )
        diff = ImportDiff(target.id, target.slug, mode, dry_run)
        diffs.append(diff)
        plan = await Plan.make(w, target, rows, diff, progress or _quiet)
        if diff.rejected and not skip_invalid:
            for rejected in diff.rejected:
                for reason in rejected.reasons:
                    w.problem(("input", *(reason.field or ())), reason.message, reason.code)
            w.reject_if_problems()
        await apply(plan)
        if dry_run:
            raise _DryRun([])
        diff.applied = True
        return diff

    result = await write(viewer, operation, body)
    diff = diffs[0] if diffs else None
    if diff is not None and not diff.applied:
        for row in diff.created:
            row.organization_id = None  # rolled back: it does not exist
    if diff is not None and diff.applied:
        changed = [row.organization_id for row in (*diff.created, *diff.updated) if row.organization_id is not None]
        if changed:
            await reindex("Organization", changed)
    return ImportResult(diff, result.errors)


async def _network(w: Write, reference: str) -> Organization:
    """The network of the import, by slug or global ID, after checking the caller may change its list."""
    where = ("input", "network")
    if validation.slug(reference) is None:
        row = await Organization.filter(slug=reference).using_db(w.connection).first()
    else:
        try:
            _, pk = parse_global_id(reference, "Organization")
        except InvalidId as error:
            raise w.refuse(where, str(error), UserErrorCode.INVALID) from None
        row = None if not w.viewer.may_write_network(pk) else await Organization.filter(id=pk).using_db(w.connection).first()
        if row is None and w.viewer.may_write_network(pk):
            raise w.refuse(where, "No organization has this ID.", UserErrorCode.NOT_FOUND)
    if row is None or not w.viewer.may_write_network(row.id):
        if w.viewer.may_write_everything:
            raise w.refuse(where, f"No organization has the slug {reference!r}.", UserErrorCode.NOT_FOUND)
        raise w.refuse(
            where, "A coalition key imports into its own network only; administrators into any.", UserErrorCode.FORBIDDEN
        )
    if row.kind is not OrganizationKind.UMBRELLA_NETWORK:
        raise w.refuse(where, f"{row.name} is not a network: only networks have member lists.", UserErrorCode.NOT_A_NETWORK)
    if row.archived_at is not None:
        raise w.refuse(where, f"{row.name} is archived.", UserErrorCode.ARCHIVED)
    return row


def _quiet(stage: str, done: int, total: int) -> None:
    """No progress to show."""
