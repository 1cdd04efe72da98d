"""Fetching one entity by global ID or slug, and many by global IDs (Relay ``node``/``nodes``)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import strawberry
from strawberry.relay import GlobalID
from strawberry.relay.types import GlobalIDValueError

from resolvers.errors import ClientError, InvalidId


@dataclass(frozen=True)
class EntityKind:
    """A GraphQL type name and the loaders that fetch its rows."""

    type_name: str
    by_id: str
    by_slug: str


ENTITY_KINDS = {
    kind.type_name: kind
    for kind in (
        EntityKind("Organization", "organization_by_id", "organization_by_slug"),
        EntityKind("Office", "office_by_id", "office_by_slug"),
        EntityKind("GoverningBody", "governing_body_by_id", "governing_body_by_slug"),
        EntityKind("Instrument", "instrument_by_id", "instrument_by_slug"),
        EntityKind("Programme", "programme_by_id", "programme_by_slug"),
        EntityKind("Event", "event_by_id", "event_by_slug"),
        EntityKind("ApplicationCall", "application_call_by_id", "application_call_by_slug"),
    )
}


def with_article(type_name: str) -> str:
    return ("an " if type_name[0] in "AEIOU" else "a ") + type_name


def parse_global_id(value: str | GlobalID, expected_type: str | None = None) -> tuple[str, int]:
    """(type name, primary key) of a global ID; InvalidId when malformed or of another type."""
    try:
        global_id = value if isinstance(value, GlobalID) else GlobalID.from_id(value)
        pk = int(global_id.node_id)
    except (GlobalIDValueError, ValueError, TypeError) as error:
        raise InvalidId(f"{str(value)!r} is not a valid ID of this directory.") from error
    if global_id.type_name not in ENTITY_KINDS:
        raise InvalidId(f"{str(value)!r} is not a valid ID of this directory.")
    if expected_type is not None and global_id.type_name != expected_type:
        raise InvalidId(f"ID {str(value)!r} belongs to {with_article(global_id.type_name)}, not {with_article(expected_type)}.")
    return global_id.type_name, pk


async def fetch_one(info: strawberry.Info, type_name: str, id: str | None, slug: str | None) -> Any:
    """The entity named by exactly one of ``id`` and ``slug``, or None when there is none."""
    if (id is None) == (slug is None):
        raise ClientError("Give exactly one of `id` and `slug`.")
    kind = ENTITY_KINDS[type_name]
    loaders = info.context.loaders
    if id is not None:
        _, pk = parse_global_id(id, type_name)
        return await getattr(loaders, kind.by_id).load(pk)
    return await getattr(loaders, kind.by_slug).load(slug)


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "a string" if isinstance(value, str) else "null"


def representation_error(representation: object) -> ClientError | None:
    """Why a federation representation names no entity type of this subgraph; None when it names one.

    ``_entities`` answers such an entry with this error and resolves the others.
    """
    if not isinstance(representation, dict):
        kind = _json_type(representation)
        return ClientError(f"A representation must be an object with a `__typename`, not {kind}.")
    type_name = representation.get("__typename")
    if not isinstance(type_name, str):
        return ClientError("A representation needs a `__typename` naming an entity type.")
    if type_name not in ENTITY_KINDS:
        names = ", ".join(ENTITY_KINDS)
        return ClientError(f"`{type_name}` is not an entity type of this subgraph; use one of {names}.")
    return None


async def fetch_reference(info: strawberry.Info, type_name: str, key: dict[str, Any]) -> Any:
    """The entity a federation representation names by ``id`` or ``slug``; None when unknown or hidden.

    Goes through the same loaders as the root fields, so a request batches one
    SELECT per type and key, and applies the same visibility rules. A missing
    key, a key of the wrong JSON type or a global ID of another type raises
    ClientError, which ``_entities`` reports for that entry only. With both keys,
    ``id`` wins. Other fields of the representation are ignored.
    """
    id, slug = key.get("id"), key.get("slug")
    if id is None and slug is None:
        raise ClientError(f"A representation of {type_name} needs an `id` or a `slug`.")
    for name, value in (("id", id), ("slug", slug)):
        if value is not None and not isinstance(value, str):
            raise ClientError(
                f"The `{name}` of a representation of {type_name} must be a string, not {_json_type(value)}."
            )
    if id is not None:
        return await fetch_one(info, type_name, id, None)
    return await fetch_one(info, type_name, None, slug)


MAX_IDS = 100
"""Most global IDs one ``nodes`` call may ask for."""


async def fetch_by_global_ids(info: strawberry.Info, ids: list[str]) -> list[Any]:
    """Entities of any types by global ID, in order; one batched load per type."""
    if len(ids) > MAX_IDS:
        raise ClientError(f"Ask for at most {MAX_IDS} IDs at once; {len(ids)} were given.")
    parsed = [parse_global_id(value) for value in ids]
    loaders = info.context.loaders
    pending = [getattr(loaders, ENTITY_KINDS[type_name].by_id).load(pk) for type_name, pk in parsed]
    return list(await asyncio.gather(*pending))
