"""Fetching one entity by global ID or slug, and many by global IDs (Relay ``node``/``nodes``)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import strawberry

from domain.errors import ClientError
from domain.ids import ENTITY_TYPES, parse_global_id
from queries import relations as r
from queries.batch import Relation


@dataclass(frozen=True)
class EntityKind:
    """A GraphQL type name and the relations that fetch its rows by id and by slug."""

    type_name: str
    by_id: Relation
    by_slug: Relation


ENTITY_KINDS = {
    kind.type_name: kind
    for kind in (
        EntityKind("Organization", r.ORGANIZATION_BY_ID, r.ORGANIZATION_BY_SLUG),
        EntityKind("Office", r.OFFICE_BY_ID, r.OFFICE_BY_SLUG),
        EntityKind("GoverningBody", r.GOVERNING_BODY_BY_ID, r.GOVERNING_BODY_BY_SLUG),
        EntityKind("Instrument", r.INSTRUMENT_BY_ID, r.INSTRUMENT_BY_SLUG),
        EntityKind("Programme", r.PROGRAMME_BY_ID, r.PROGRAMME_BY_SLUG),
        EntityKind("Event", r.EVENT_BY_ID, r.EVENT_BY_SLUG),
        EntityKind("ApplicationCall", r.APPLICATION_CALL_BY_ID, r.APPLICATION_CALL_BY_SLUG),
    )
}
assert tuple(ENTITY_KINDS) == ENTITY_TYPES


async def fetch_one(info: strawberry.Info, type_name: str, id: str | None, slug: str | None) -> Any:
    """The entity named by exactly one of ``id`` and ``slug``, or None when there is none."""
    if (id is None) == (slug is None):
        raise ClientError("Give exactly one of `id` and `slug`.")
    kind = ENTITY_KINDS[type_name]
    loaders = info.context.loaders
    if id is not None:
        _, pk = parse_global_id(id, type_name)
        return await loaders.one(kind.by_id).load(pk)
    return await loaders.one(kind.by_slug).load(slug)


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


async def fetch_by_global_ids(info: strawberry.Info, ids: Sequence[str]) -> list[Any]:
    """Entities of any types by global ID, in order; one batched load per type."""
    if len(ids) > MAX_IDS:
        raise ClientError(f"Ask for at most {MAX_IDS} IDs at once; {len(ids)} were given.")
    parsed = [parse_global_id(value) for value in ids]
    loaders = info.context.loaders
    pending = [loaders.one(ENTITY_KINDS[type_name].by_id).load(pk) for type_name, pk in parsed]
    return list(await asyncio.gather(*pending))
