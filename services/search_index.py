"""The search index: one ``SearchDocument`` per searchable entity, rebuilt by ``reindex``.

``reindex`` is the only writer of search documents. Call it after anything
that changes the indexed text: the data loader calls ``reindex()`` once at
the end, a write path calls ``reindex("Office", [office.id])``. The database
keeps its own index in step with the documents (triggers into FTS5 on
SQLite, a generated tsvector column on PostgreSQL), so nothing else has to.

Text is folded in Python (``domain.text.fold``), for both databases: lower
case, accents removed (Türkiye → turkiye, Łódź → lodz), punctuation turned
into spaces. Queries are folded by the same function, so a query matches the
same words on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tortoise.expressions import Subquery
from tortoise.models import Model
from tortoise.transactions import in_transaction

from domain.countries import country_name
from domain.text import ENTITY_TYPES, normalize, trigrams
from models import Event, GoverningBody, Instrument, Office, OfficeLocation, Organization, Programme, SearchDocument
from models.dates import VALIDITY_PERIOD, today

_BATCH = 500

def _lines(parts: Iterable[str | None]) -> str:
    """Normalized parts, one per line, without blanks or repeats."""
    seen: dict[str, None] = {}
    for part in parts:
        if part:
            line = normalize(part)
            if line:
                seen.setdefault(line, None)
    return "\n".join(seen)


def _country(code: str | None) -> str | None:
    return country_name(code) if code else None


@dataclass(frozen=True)
class _Text:
    """The three fields of a document before normalization."""

    title: list[str | None]
    place: list[str | None]
    body: list[str | None]


def _names(row: Any) -> list[str | None]:
    return [row.name, row.acronym, *(row.aliases or [])]


def _organization(row: Organization, _: Any) -> _Text:
    return _Text(_names(row), [row.city, _country(row.country)], [row.description])


def _event(row: Event, _: Any) -> _Text:
    return _Text(_names(row), [row.venue, row.city, _country(row.country)], [row.description])


def _office(row: Office, locations: list[OfficeLocation]) -> _Text:
    now = today()
    current: list[str | None] = []
    former: list[str | None] = []
    for location in locations:
        here = VALIDITY_PERIOD.certainty_on(location, now, now) is not None
        (current if here else former).extend([location.city, _country(location.country)])
    # Where an office used to be (or will be) still finds it, but ranks like its description.
    return _Text([*_names(row), *(row.project_codes or [])], current, [row.description, *former])


def _plain(row: Any, _: Any) -> _Text:
    return _Text(_names(row), [], [row.description])


def _programme(row: Programme, _: Any) -> _Text:
    return _Text([*_names(row), row.code], [], [row.description])


async def _office_locations(ids: Sequence[int]) -> dict[int, list[OfficeLocation]]:
    found: dict[int, list[OfficeLocation]] = defaultdict(list)
    for location in await OfficeLocation.filter(office_id__in=list(ids)).order_by("valid_from_earliest", "id"):
        found[location.office_id].append(location)
    return found


async def _nothing(ids: Sequence[int]) -> dict[int, Any]:
    return {}


@dataclass(frozen=True)
class _Kind:
    model: type[Model]
    text: Callable[[Any, Any], _Text]
    extra: Callable[[Sequence[int]], Any] = _nothing


KINDS: dict[str, _Kind] = {
    "Organization": _Kind(Organization, _organization),
    "Office": _Kind(Office, _office, _office_locations),
    "Event": _Kind(Event, _event),
    "GoverningBody": _Kind(GoverningBody, _plain),
    "Instrument": _Kind(Instrument, _plain),
    "Programme": _Kind(Programme, _programme),
}
"""Searchable entity kinds by GraphQL type name."""

assert tuple(KINDS) == ENTITY_TYPES


def document(entity_type: str, row: Any, extra: Any = None) -> SearchDocument:
    """The search document of one entity row (``extra``: an office's locations)."""
    text = KINDS[entity_type].text(row, extra)
    return SearchDocument(
        entity_type=entity_type,
        entity_id=row.id,
        title_text=_lines(text.title),
        place_text=_lines(text.place),
        body_text=_lines(text.body),
    )


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _BATCH):
        yield list(ids[start : start + _BATCH])


async def _documents(entity_type: str, ids: Sequence[int] | None) -> list[SearchDocument]:
    kind = KINDS[entity_type]
    rows: list[Any]
    if ids is None:
        rows = list(await kind.model.all().order_by("id"))
    else:
        rows = [row for chunk in _chunks(ids) for row in await kind.model.filter(id__in=chunk)]
    documents: list[SearchDocument] = []
    for chunk_start in range(0, len(rows), _BATCH):
        chunk = rows[chunk_start : chunk_start + _BATCH]
        extra = await kind.extra([row.id for row in chunk])
        documents.extend(document(entity_type, row, extra.get(row.id, [])) for row in chunk)
    return documents


async def reindex(entity_type: str | None = None, ids: Iterable[int] | None = None) -> int:
    """Rebuild search documents from the entity tables; returns how many were written.

    ``reindex()`` rebuilds everything; ``reindex("Office")`` every office;
    ``reindex("Office", [3, 4])`` two offices (a document whose entity no
    longer exists is deleted). Runs in one transaction.
    """
    if entity_type is not None and entity_type not in KINDS:
        raise ValueError(f"{entity_type!r} is not searchable; expected one of {', '.join(KINDS)}.")
    if ids is not None and entity_type is None:
        raise ValueError("Pass an entity type with ids.")
    id_list = None if ids is None else sorted(set(ids))
    written = 0
    async with in_transaction() as connection:
        for name in [entity_type] if entity_type else ENTITY_TYPES:
            documents = await _documents(name, id_list)
            stale = SearchDocument.filter(entity_type=name)
            if id_list is None:
                stale = stale.exclude(entity_id__in=Subquery(KINDS[name].model.all().values("id")))
            else:
                found = {doc.entity_id for doc in documents}
                stale = stale.filter(entity_id__in=[i for i in id_list if i not in found] or [-1])
            await stale.using_db(connection).delete()
            if documents:
                await SearchDocument.bulk_create(
                    documents,
                    batch_size=_BATCH,
                    on_conflict=["entity_type", "entity_id"],
                    update_fields=["title_text", "place_text", "body_text"],
                    using_db=connection,
                )
            written += len(documents)
            if connection.capabilities.dialect == "sqlite":
                await _add_sqlite_words(connection, documents)
        if id_list is None and connection.capabilities.dialect == "postgres":
            # The word list only grows between full rebuilds; drop words no document has any more.
            await connection.execute_query(
                "DELETE FROM search_word WHERE word NOT IN (SELECT unnest(tsvector_to_array(tsv)) FROM search_document)"
            )
        elif id_list is None:
            for table in ("search_trigram", "search_word"):
                await connection.execute_query(f"DELETE FROM {table} WHERE word NOT IN (SELECT term FROM search_vocab)")
    return written


async def _add_sqlite_words(connection: Any, documents: Sequence[SearchDocument]) -> None:
    """Add the new words of ``documents`` to SQLite's trigram index of the vocabulary (``search_trigram``).

    PostgreSQL's ``search_word`` is kept by a trigger; SQLite cannot split
    text inside a trigger. Only words FTS5 indexed are added (``search_vocab``).
    """
    seen = {word for doc in documents for text in (doc.title_text, doc.place_text, doc.body_text) for word in text.split()}
    for chunk in _chunks(sorted(seen)):  # type: ignore[arg-type]
        rows = await connection.execute_query_dict(
            "SELECT v.term FROM json_each(?) j JOIN search_vocab v ON v.term = j.value"
            " WHERE NOT EXISTS (SELECT 1 FROM search_word w WHERE w.word = v.term)",
            [json.dumps(chunk)],
        )
        new = [row["term"] for row in rows]
        if not new:
            continue
        await connection.execute_many(
            "INSERT OR IGNORE INTO search_word (word, trigrams) VALUES (?, ?)", [[w, len(trigrams(w))] for w in new]
        )
        await connection.execute_many(
            "INSERT OR IGNORE INTO search_trigram (trigram, word) VALUES (?, ?)",
            [[gram, w] for w in new for gram in sorted(trigrams(w))],
        )
