"""The one cursor codec: an opaque, URL-safe token holding the name of an ordering and the sort values of a row.

``encode("name", [value, ...])`` and ``decode("name", cursor, arity)``. Days and
instants are tagged so they come back as such; a cursor of another ordering,
or one this service did not issue, is refused with ``InvalidCursor``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
from collections.abc import Sequence
from typing import Any

from domain.errors import InvalidCursor

MAX_CURSOR_LENGTH = 2048
"""Longest cursor accepted, in characters."""


def _encode_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if hasattr(value, "value"):  # enum members sort by their stored string
        return value.value
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        if isinstance(value.get("t"), str):
            return dt.datetime.fromisoformat(value["t"])
        if isinstance(value.get("d"), str):
            return dt.date.fromisoformat(value["d"])
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, int) and abs(value) < 2**63:
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    raise ValueError("not a sort value")


def encode(ordering: str, values: Sequence[Any]) -> str:
    """An opaque cursor for a row with ``values`` under ``ordering``."""
    payload = json.dumps([ordering, [_encode_value(v) for v in values]], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def invalid(cursor: str) -> InvalidCursor:
    """The error of a cursor this service did not issue (the cursor shortened)."""
    shown = cursor if len(cursor) <= 40 else cursor[:40] + "…"
    return InvalidCursor(f"Cursor {shown!r} is not valid.")


def decode(ordering: str, cursor: str, arity: int) -> list[Any]:
    """The sort values inside ``cursor``; InvalidCursor when it is not one of ``ordering``'s."""
    shown = cursor if len(cursor) <= 40 else cursor[:40] + "…"
    try:
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise ValueError("too long")
        padded = cursor + "=" * (-len(cursor) % 4)
        name, values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(name, str) or not isinstance(values, list):
            raise ValueError("not a cursor")
        decoded = [_decode_value(v) for v in values]
    except (ValueError, TypeError, UnicodeDecodeError, binascii.Error, RecursionError) as error:
        raise InvalidCursor(f"Cursor {shown!r} is not valid.") from error
    if name != ordering or len(decoded) != arity:
        raise InvalidCursor(f"Cursor {shown!r} belongs to another ordering or list.")
    return decoded
