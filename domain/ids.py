"""Global IDs: ``base64("Type:pk")``, the Relay ``Node`` IDs of the directory's entities."""

from __future__ import annotations

from strawberry.relay import GlobalID
from strawberry.relay.types import GlobalIDValueError

from domain.errors import InvalidId

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
    try:
        parsed = value if isinstance(value, GlobalID) else GlobalID.from_id(value)
        pk = int(parsed.node_id)
    except (GlobalIDValueError, ValueError, TypeError) as error:
        raise InvalidId(f"{str(value)!r} is not a valid ID of this directory.") from error
    if parsed.type_name not in ENTITY_TYPES and not (parsed.type_name in RECORD_TYPES and expected_type is not None):
        raise InvalidId(f"{str(value)!r} is not a valid ID of this directory.")
    if expected_type is not None and parsed.type_name != expected_type:
        raise InvalidId(f"ID {str(value)!r} belongs to {with_article(parsed.type_name)}, not {with_article(expected_type)}.")
    return parsed.type_name, pk


def is_global_id(value: str) -> bool:
    """Whether ``value`` has the form of a global ID (as opposed to a slug)."""
    try:
        GlobalID.from_id(value)
    except Exception:
        return False
    return True
