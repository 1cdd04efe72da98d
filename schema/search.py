"""Search across every kind of entity: ``search(query, types, first, after)``, ranked and paginated."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from enum import Enum
from typing import Annotated, Any

import strawberry

from domain.errors import ClientError, InvalidCursor
from domain.text import ENTITY_TYPES
from queries import cursors
from queries import search as service
from resolvers.lookup import ENTITY_KINDS
from schema.event import Event
from schema.governance import GoverningBody, Instrument, Programme
from schema.office import Office
from schema.organization import Organization
from schema.pagination import PageInfo


@strawberry.enum(description="A kind of entity that search can return.")
class SearchType(Enum):
    ORGANIZATION = strawberry.enum_value(
        "Organization", description="Civil society organizations, networks and intergovernmental partners."
    )
    OFFICE = strawberry.enum_value(
        "Office", description="UNODC divisions, branches, sections, units and field offices."
    )
    EVENT = strawberry.enum_value("Event", description="Meetings, sessions, courses and launches.")
    GOVERNING_BODY = strawberry.enum_value("GoverningBody", description="Intergovernmental bodies, e.g. the CND.")
    INSTRUMENT = strawberry.enum_value("Instrument", description="Conventions and protocols.")
    PROGRAMME = strawberry.enum_value("Programme", description="UNODC programmes and projects.")


SearchResult = Annotated[
    Organization | Office | Event | GoverningBody | Instrument | Programme,
    strawberry.union("SearchResult", description="An entity a search found."),
]


@strawberry.type(description="A search hit: the entity found, how well it matched, and its cursor.")
class SearchResultEdge:
    cursor: str = strawberry.field(
        description="Opaque cursor: pass it as `after` to get the hits that follow this one."
    )
    rank: float = strawberry.field(
        description=(
            "How well the entity matched; higher is better, and hits come in this order. The whole part is the "
            "tier: 4 the query is a whole name, acronym, alias or code; 3 one of them starts with the query; "
            "2 every word is in them; 1 every word is in them or in the place (city, venue, country); "
            "0 some word is only in the description. Compare ranks within one search only."
        )
    )
    node: SearchResult = strawberry.field(description="The entity found.")


@strawberry.type(description="One page of search hits, best first, with the number of hits in all pages.")
class SearchResultConnection:
    edges: list[SearchResultEdge] = strawberry.field(description="The hits of this page with their ranks and cursors.")
    page_info: PageInfo = strawberry.field(description="Position of this page in the hits.")
    total_count: int = strawberry.field(description="Number of hits in all pages.")

    @strawberry.field(description="The entities of this page, without ranks or cursors.")
    def nodes(self) -> list[SearchResult]:
        return [edge.node for edge in self.edges]


QueryArg = Annotated[
    str,
    strawberry.argument(
        description=(
            "Words to look for in names, acronyms, aliases, codes, places and descriptions; every word must match, "
            'as the start of a word ("corrup" finds corruption). Case and accents do not matter; punctuation and '
            "operators are plain text. When nothing matches, misspelt words are replaced by the closest indexed word. "
            f"At most {service.MAX_QUERY_LENGTH} characters and {service.MAX_TERMS} words."
        )
    ),
]
TypesArg = Annotated[
    list[SearchType] | None, strawberry.argument(description="Only these kinds of entity; null or omitted for all.")
]
FirstArg = Annotated[int | None, strawberry.argument(description="Number of hits to return (0 to 100, default 20).")]
AfterArg = Annotated[
    str | None,
    strawberry.argument(description="Return the hits after this cursor, from an earlier page of the same search."),
]


MAX_POSITION = 2**31 - 1
"""Cursors point at most this far into the hits."""


def _fingerprint(phrase: str, types: Sequence[str]) -> str:
    """Ties a cursor to the search it came from."""
    return hashlib.sha256(json.dumps([phrase, sorted(set(types))]).encode()).hexdigest()[:16]


def _ordering(fingerprint: str) -> str:
    """The name a search's cursors carry (``queries.cursors``): its hits, in rank order, for one query and types."""
    return f"search:{fingerprint}"


def encode_cursor(fingerprint: str, position: int) -> str:
    """The opaque cursor of the hit at ``position`` (0-based) of a search."""
    return cursors.encode(_ordering(fingerprint), [position])


def decode_cursor(fingerprint: str, cursor: str) -> int:
    """The position inside ``cursor``; InvalidCursor when this search did not issue it."""
    (position,) = cursors.decode(_ordering(fingerprint), cursor, 1)
    if type(position) is not int or not 0 <= position < MAX_POSITION:
        raise InvalidCursor(f"Cursor {cursor!r} is not valid.")
    return position


async def _nodes(info: strawberry.Info, hits: Sequence[service.SearchHit]) -> dict[tuple[str, int], Any]:
    """The entities of ``hits`` through the request's loaders: one batch per type."""
    ids: dict[str, list[int]] = defaultdict(list)
    for hit in hits:
        ids[hit.entity_type].append(hit.entity_id)
    loaders = info.context.loaders
    loaded = await asyncio.gather(
        *(loaders.one(ENTITY_KINDS[type_name].by_id).load_many(keys) for type_name, keys in ids.items())
    )
    return {
        (type_name, key): row
        for (type_name, keys), rows in zip(ids.items(), loaded, strict=True)
        for key, row in zip(keys, rows, strict=True)
    }


async def resolve_search(
    info: strawberry.Info, query: str, types: list[SearchType] | None, first: int | None, after: str | None
) -> SearchResultConnection:
    """One page of the ranked hits of ``query``; offsets live in opaque cursors bound to the search."""
    settings = info.context.settings
    size = settings.default_page_size if first is None else first
    if not 0 <= size <= settings.max_page_size:
        raise ClientError(f"`first` must be between 0 and {settings.max_page_size}; it was {first}.")
    type_names = None if types is None else [str(t.value) for t in types]
    try:
        phrase = service.parse_query(query).phrase
    except service.SearchQueryError as error:
        raise ClientError(str(error)) from error
    fingerprint = _fingerprint(phrase, type_names if type_names is not None else ENTITY_TYPES)
    offset = 0 if after is None else decode_cursor(fingerprint, after) + 1
    page = await service.search(query, type_names, size, offset, info.context.viewer)
    nodes = await _nodes(info, page.hits)
    edges = [
        SearchResultEdge(cursor=encode_cursor(fingerprint, offset + i), rank=hit.rank, node=node)
        for i, hit in enumerate(page.hits)
        if (node := nodes.get((hit.entity_type, hit.entity_id))) is not None
    ]
    return SearchResultConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=offset + len(page.hits) < page.total,
            has_previous_page=offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=page.total,
    )


@strawberry.type(description="Search across the directory.")
class SearchQuery:
    @strawberry.field(
        description=(
            "Organizations, offices, events, governing bodies, instruments and programmes matching a query, "
            "best match first. Hidden organizations are left out unless the caller may see them."
        )
    )
    async def search(
        self,
        info: strawberry.Info,
        query: QueryArg,
        types: TypesArg = None,
        first: FirstArg = 20,
        after: AfterArg = None,
    ) -> SearchResultConnection:
        return await resolve_search(info, query, types, first, after)
