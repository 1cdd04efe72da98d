"""Global IDs: ``base64("Type:pk")``, the Relay ``Node`` IDs of the directory's entities.

One canonical form per ID: the padded standard base64 of ``Type:pk`` where
``pk`` is written in ASCII digits without leading zeros, between 1 and the
largest primary key the databases store. Any other spelling (``Organization: 1 ``,
Arabic-Indic digits, ``01``, unpadded base64) is refused, not read as the same entity.
"""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache

from strawberry.relay import GlobalID

from domain.errors import InvalidId

MAX_PK = 2**31 - 1
"""Largest primary key (PostgreSQL's integer)."""

SHOWN = 60
"""Characters of a refused ID that its error repeats, at most."""


def _shown(value: object) -> str:
    text = str(value)
    return repr(text if len(text) <= SHOWN else text[:SHOWN] + "…")


def _invalid(value: object) -> InvalidId:
    return InvalidId(f"{_shown(value)} is not a valid ID of this directory.")

ENTITY_TYPES = ("Organization", "Office", "GoverningBody", "Instrument", "Programme", "Event", "ApplicationCall")
"""GraphQL type names of the entities a global ID can name."""

RECORD_TYPES = ("FocalPoint", "Participation")
"""Types of the records mutations change by global ID that ``node`` does not answer: an ID of one is accepted only
where that type is expected."""


def with_article(type_name: str) -> str:
    return ("an " if type_name[0] in "AEIOU" else "a ") + type_name


def global_id(type_name: str, pk: int) -> str:
    """The global ID of an entity."""
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def parse_global_id(value: str | GlobalID, expected_type: str | None = None) -> tuple[str, int]:
    """(type name, primary key) of a global ID; InvalidId when malformed or of another type."""
    if isinstance(value, GlobalID):
        return _checked(value, value.type_name, value.node_id, expected_type)
    if not isinstance(value, str):
        raise _invalid(value)
    return _parse_text(value, expected_type)


@lru_cache(maxsize=4096)
def _parse_text(value: str, expected_type: str | None) -> tuple[str, int]:
    """``parse_global_id`` of a text (the IDs a client repeats are read once; a refusal is not kept)."""
    try:
        type_name, separator, node_id = base64.b64decode(value, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise _invalid(value) from error
    if not separator:
        raise _invalid(value)
    parsed = _checked(value, type_name, node_id, expected_type)
    if value != global_id(*parsed):  # one spelling per ID: padded standard base64 of the canonical text
        raise _invalid(value)
    return parsed


def _checked(value: object, type_name: str, node_id: str, expected_type: str | None) -> tuple[str, int]:
    if not (node_id.isascii() and node_id.isdigit() and node_id[0] != "0" and len(node_id) <= 10):
        raise _invalid(value)
    pk = int(node_id)
    if type_name not in ENTITY_TYPES and not (type_name in RECORD_TYPES and expected_type is not None):
        raise _invalid(value)
    if pk > MAX_PK:
        raise _invalid(value)
    if expected_type is not None and type_name != expected_type:
        raise InvalidId(f"ID {_shown(value)} belongs to {with_article(type_name)}, not {with_article(expected_type)}.")
    return type_name, pk


def is_global_id(value: str) -> bool:
    """Whether ``value`` has the form of a global ID (as opposed to a slug)."""
    try:
        GlobalID.from_id(value)
    except Exception:
        return False
    return True
