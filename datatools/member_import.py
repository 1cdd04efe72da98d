"""``manage.py import-members``: read a member list from CSV or JSON, import it, print the diff as a table.

The import itself is ``services.member_import`` (the same as the
``networkMembersImport`` mutation), run as the command line's administrator.

JSON is a member list in the shape of ``data/networks/*.json`` (its
``members``; its ``network`` must be the one named on the command line) or a
plain list of rows. CSV has a header row naming the row keys (``name``,
``slug``, ``acronym``, ``country``, ``city``, ``website``, ``kind``, ``type``,
``since``, ``until``, ``source``) and, for a focal point, ``focalPointName``,
``focalPointTitle``, ``focalPointEmail``, ``focalPointPhone``; empty cells
say nothing.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from domain.access import COMMAND_LINE
from services.member_import import ImportResult, Mode, Progress, RowResult, import_members

FOCAL_POINT_COLUMNS = {
    "focalpointname": "name", "focal_point_name": "name",
    "focalpointtitle": "title", "focal_point_title": "title",
    "focalpointemail": "email", "focal_point_email": "email",
    "focalpointphone": "phone", "focal_point_phone": "phone",
}  # fmt: skip
"""CSV columns of the focal point (case ignored), to its keys."""


class MemberFileError(ValueError):
    """A file that cannot be read as a member list."""


def read_rows(path: Path, network: str) -> list[Any]:
    """The rows of a CSV or JSON member list (by its extension)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise MemberFileError(f"{path}: {error}") from None
    if path.suffix.lower() == ".csv":
        return csv_rows(text.splitlines())
    if path.suffix.lower() == ".json":
        return json_rows(text, network, str(path))
    raise MemberFileError(f"{path}: expected a .csv or .json file")


def csv_rows(lines: Iterable[str]) -> list[dict[str, Any]]:
    """Rows of a CSV member list: blank cells left out, the focal point's columns gathered under ``focalPoint``."""
    rows = []
    for record in csv.DictReader(lines):
        row: dict[str, Any] = {}
        person: dict[str, str] = {}
        for column, value in record.items():
            if column is None or value is None or not str(value).strip():
                continue  # cells beyond the header, or empty
            key = column.strip()
            if key.lower() in FOCAL_POINT_COLUMNS:
                person[FOCAL_POINT_COLUMNS[key.lower()]] = value
            else:
                row[key] = value
        if person:
            row["focalPoint"] = person
        rows.append(row)
    return rows


def json_rows(text: str, network: str, name: str) -> list[Any]:
    """Rows of a JSON member list: a list, or a member-list document of the network."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise MemberFileError(f"{name}: not JSON ({error})") from None
    if isinstance(document, list):
        return document
    if not isinstance(document, dict) or not isinstance(document.get("members"), list):
        raise MemberFileError(f"{name}: expected a list of rows or a member list with 'members'")
    listed = document.get("network", {}).get("slug") if isinstance(document.get("network"), dict) else None
    if listed is not None and listed != network:
        raise MemberFileError(f"{name}: the list is {listed!r}'s, not {network!r}'s")
    return list(document["members"])


async def run(
    network: str, path: Path, *, replace: bool, dry_run: bool, skip_invalid: bool, progress: Progress
) -> ImportResult:
    """Import the file's rows into ``network`` (a slug) as the command line's administrator."""
    rows = read_rows(path, network)
    return await import_members(
        COMMAND_LINE,
        network,
        rows,
        mode=Mode.REPLACE if replace else Mode.MERGE,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        max_rows=None,
        progress=progress,
        operation="import-members",
    )


def table(result: ImportResult, shown: int = 20) -> str:
    """The diff as a plain-text table: counts, then up to ``shown`` lines per kind of change."""
    lines = []
    diff = result.diff
    if diff is not None:
        state = "applied" if diff.applied else ("dry run: nothing written" if diff.dry_run else "refused: nothing written")
        lines.append(f"{diff.network_slug} ({diff.mode.value}): {state}")
        counts = {
            "created": len(diff.created), "updated": len(diff.updated), "unchanged": len(diff.unchanged),
            "ended": len(diff.ended), "rejected": len(diff.rejected),
        }  # fmt: skip
        lines.extend(f"  {name:<10} {count:>8,}" for name, count in counts.items())
        body: list[tuple[str, str, str, str, str, str]] = []
        body.extend(_changes("created", diff.created, shown))
        body.extend(_changes("updated", diff.updated, shown))
        for ended in diff.ended[:shown]:
            body.append(("ended", "", _cell(ended.slug), "membership.until", "", ended.until))
        for rejected in diff.rejected[:shown]:
            for reason in rejected.reasons:
                body.append(("rejected", str(rejected.index), rejected.name or "", ".".join(reason.field or ()), reason.code.value, reason.message))
        if body:
            lines.append("")
            lines.extend(_aligned([("change", "row", "organization", "field", "before", "after / reason"), *body]))
        hidden = sum(max(0, count - shown) for name, count in counts.items() if name != "unchanged")
        if hidden:
            lines.append(f"(and {hidden:,} more rows; --show N shows more)")
    elif result.errors:
        lines.append("refused: nothing written")
    for error in result.errors if diff is None else []:
        lines.append(f"  {'.'.join(error.field or ())}: {error.code.value}: {error.message}")
    return "\n".join(lines)


def _changes(kind: str, rows: list[RowResult], shown: int) -> Iterable[tuple[str, str, str, str, str, str]]:
    for row in rows[:shown]:
        for change in row.changes or []:
            yield kind, str(row.index), _cell(row.slug), change.field, _cell(change.before), _cell(change.after)


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _aligned(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[-1] for row in rows]
