"""Global IDs: ``base64("Type:pk")``, the Relay ``Node`` IDs of the directory's entities.

One canonical form per ID: the padded standard base64 of ``Type:pk`` where
``pk`` is written in ASCII digits without leading zeros, between 1 and the
largest primary key the databases store. Any other spelling (``Organization: 1 ``,
Arabic-Indic digits, ``01``, unpadded base64) is refused, not read as the same entity.
"""

from __future__ import annotations

from strawberry.relay import GlobalID
from strawberry.relay.types import GlobalIDValueError

from domain.errors import InvalidId

MAX_PK = 2**31 - 1
"""Largest primary key (PostgreSQL's integer)."""

SHOWN = 60
"""Characters of a refused ID that its error repeats, at most."""


def _shown(value: object) -> str:
    text = str(value)
    return repr(text if len(text) <= SHOWN else text[:SHOWN] + "…")

ENTITY_TYPES = ("Organization", "Office", "GoverningBody", "Instrument", "Programme", "Event", "ApplicationCall")
"""GraphQL type names of the entities a global ID can name."""

RECORD_TYPES = ("FocalPoint", "Participation")
"""Types of the records mutations change by global ID that ``node`` does not answer: an ID of one is accepted only
where that type is expected."""


def with_article(type_name: str) -> str:
    return ("an " if type_name[0] in "AEIOU" else "a ") + type_name


def global_id(type_name: str, pk: int) -> str:
    """The global ID of an entity."""
    return str(GlobalID(type_name, str(pk)))


def parse_global_id(value: str | GlobalID, expected_type: str | None = None) -> tuple[str, int]:
    """(type name, primary key) of a global ID; InvalidId when malformed or of another type."""
    invalid = f"{_shown(value)} is not a valid ID of this directory."
    try:
        parsed = value if isinstance(value, GlobalID) else GlobalID.from_id(value)
        node_id = parsed.node_id
        if not (node_id.isascii() and node_id.isdigit() and node_id[0] != "0" and len(node_id) <= 10):
            raise ValueError("not a canonical primary key")
        pk = int(node_id)
    except (GlobalIDValueError, ValueError, TypeError) as error:
        raise InvalidId(invalid) from error
    if parsed.type_name not in ENTITY_TYPES and not (parsed.type_name in RECORD_TYPES and expected_type is not None):
        raise InvalidId(invalid)
    if pk > MAX_PK:
        raise InvalidId(invalid)
    if not isinstance(value, GlobalID) and value != global_id(parsed.type_name, pk):
        raise InvalidId(invalid)
    if expected_type is not None and parsed.type_name != expected_type:
        raise InvalidId(f"ID {_shown(value)} belongs to {with_article(parsed.type_name)}, not {with_article(expected_type)}.")
    return parsed.type_name, pk


def is_global_id(value: str) -> bool:
    """Whether ``value`` has the form of a global ID (as opposed to a slug)."""
    try:
        GlobalID.from_id(value)
    except Exception:
        return False
    return True
