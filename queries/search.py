"""Ranked, accent-insensitive full-text search over the search documents.

A query is folded like the documents (``services.search_index.fold``) and
split into words; every word must match, as a prefix ("corrup" finds
corruption). User input only ever reaches the database as bound parameters
holding letters and digits, so quotes, brackets, ``*``, ``:``, ``&``, ``|``,
``-``, NEAR, AND or OR are plain text, never query syntax.

Ranking (higher first). The integer part of ``rank`` is the tier:

    4  the query is a whole name, acronym, alias or code ("vngoc")
    3  a name, acronym, alias or code starts with the query ("corruption and ec")
    2  every word is in the name, acronym, aliases or codes
    1  every word is there or in the place (city, venue, country)
    0  some word is only in the description

and the fraction is the text score of the database (FTS5 bm25 on SQLite,
ts_rank on PostgreSQL), so ties inside a tier may order differently on the
two databases; tiers never do.

When nothing matches, words that start no indexed word are replaced by the
most similar indexed word (trigram similarity of at least 0.3, as pg_trgm
computes it) and the search runs again: "corupption" finds corruption.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from tortoise.expressions import Q

from domain.access import PUBLIC, Viewer
from domain.text import ENTITY_TYPES, words
from queries.access import archived_entities_sql, hidden_organizations_sql
from queries.sql import Statement, fetch_dicts, statement

MAX_QUERY_LENGTH = 256
"""Longest query accepted, in characters."""
MAX_TERMS = 16
"""Most words a query may have."""
SIMILARITY_THRESHOLD = 0.3
"""Least trigram similarity for a misspelt word to be replaced (pg_trgm's default)."""

_TITLE_WEIGHT, _PLACE_WEIGHT, _BODY_WEIGHT = 10.0, 4.0, 1.0


class SearchQueryError(ValueError):
    """A query the search cannot run: too long, or too many words."""


@dataclass(frozen=True)
class SearchHit:
    """One matching entity: its GraphQL type name, primary key and rank (higher is better)."""

    entity_type: str
    entity_id: int
    rank: float


@dataclass(frozen=True)
class SearchPage:
    """One page of hits, best first, and the number of hits in all pages."""

    hits: list[SearchHit]
    total: int

    @property
    def entity_ids(self) -> list[int]:
        return [hit.entity_id for hit in self.hits]


@dataclass(frozen=True)
class Term:
    """A folded query word; ``prefix`` when it may be the start of a longer word."""

    text: str
    prefix: bool = True


@dataclass(frozen=True)
class ParsedQuery:
    """The words of a query, and the query as one folded phrase."""

    terms: tuple[Term, ...]

    @property
    def phrase(self) -> str:
        return " ".join(term.text for term in self.terms)


def parse_query(query: str) -> ParsedQuery:
    """Fold ``query`` and split it into words; SearchQueryError when it is too long."""
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchQueryError(f"A search query may have at most {MAX_QUERY_LENGTH} characters.")
    found = words(query)
    if len(found) > MAX_TERMS:
        raise SearchQueryError(f"A search query may have at most {MAX_TERMS} words.")
    return ParsedQuery(tuple(Term(word) for word in found))


def _fts5(terms: Sequence[Term], columns: str | None = None) -> str:
    """An FTS5 MATCH expression: every term, quoted, optionally within some columns."""
    expression = " AND ".join(f'"{term.text}"' + ("*" if term.prefix else "") for term in terms)
    return f"{{{columns}}} : ({expression})" if columns else expression


def _tsquery(terms: Sequence[Term], weights: str = "") -> str:
    """A to_tsquery text: every term, quoted, as a prefix and optionally of some weights."""
    return " & ".join(f"'{term.text}':" + ("*" if term.prefix else "") + weights for term in terms)


def _filters(p: Statement, types: Sequence[str], viewer: Viewer) -> str:
    clauses = ["1 = 1"]
    if set(types) != set(ENTITY_TYPES):
        clauses.append(p.any_of("d.entity_type", types))
    hidden = hidden_organizations_sql(viewer, p)
    if hidden is not None:
        clauses.append(f"NOT (d.entity_type = 'Organization' AND d.entity_id IN ({hidden}))")
    for entity_type, archived in archived_entities_sql(viewer):
        if entity_type in types:
            clauses.append(f"NOT (d.entity_type = '{entity_type}' AND d.entity_id IN ({archived}))")
    return " AND ".join(clauses)


def _sqlite_sql(p: Statement, query: ParsedQuery, types: Sequence[str], viewer: Viewer, count: bool) -> str:
    matches = p.bind(_fts5(query.terms))
    where = _filters(p, types, viewer)
    if count:
        return (
            "SELECT count(*) AS total FROM search_fts JOIN search_document d ON d.id = search_fts.rowid"
            f" WHERE search_fts MATCH {matches} AND {where}"
        )
    phrase = p.bind(query.phrase)
    title = p.bind(_fts5(query.terms, "title_text"))
    title_place = p.bind(_fts5(query.terms, "title_text place_text"))
    return f"""
        WITH hits AS (
            SELECT rowid AS doc_id, bm25(search_fts, {_TITLE_WEIGHT}, {_PLACE_WEIGHT}, {_BODY_WEIGHT}) AS score
            FROM search_fts WHERE search_fts MATCH {matches}
        )
        SELECT d.entity_type, d.entity_id,
            CASE
                WHEN instr(char(10) || d.title_text || char(10), char(10) || {phrase} || char(10)) > 0 THEN 4
                WHEN instr(char(10) || d.title_text, char(10) || {phrase}) > 0 THEN 3
                WHEN d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH {title}) THEN 2
                WHEN d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH {title_place}) THEN 1
                ELSE 0
            END + (-h.score) / (1.0 - h.score) AS rank,
            count(*) OVER () AS total
        FROM hits h JOIN search_document d ON d.id = h.doc_id
        WHERE {where}
        ORDER BY rank DESC, d.title_text, d.entity_type, d.entity_id"""


def _postgres_sql(p: Statement, query: ParsedQuery, types: Sequence[str], viewer: Viewer, count: bool) -> str:
    matches = p.bind(_tsquery(query.terms))
    where = _filters(p, types, viewer)
    if count:
        return (
            "SELECT count(*) AS total FROM search_document d"
            f" WHERE d.tsv @@ to_tsquery('simple', {matches}) AND {where}"
        )
    phrase = p.bind(query.phrase)
    title = p.bind(_tsquery(query.terms, "A"))
    title_place = p.bind(_tsquery(query.terms, "AB"))
    weights = f"'{{{_BODY_WEIGHT / _TITLE_WEIGHT}, 0, {_PLACE_WEIGHT / _TITLE_WEIGHT}, 1.0}}'"
    return f"""
        SELECT d.entity_type, d.entity_id,
            CASE
                WHEN strpos(chr(10) || d.title_text || chr(10), chr(10) || {phrase} || chr(10)) > 0 THEN 4
                WHEN strpos(chr(10) || d.title_text, chr(10) || {phrase}) > 0 THEN 3
                WHEN d.tsv @@ to_tsquery('simple', {title}) THEN 2
                WHEN d.tsv @@ to_tsquery('simple', {title_place}) THEN 1
                ELSE 0
            END + ts_rank({weights}, d.tsv, to_tsquery('simple', {matches}), 1 | 32) AS rank,
            count(*) OVER () AS total
        FROM search_document d
        WHERE d.tsv @@ to_tsquery('simple', {matches}) AND {where}
        ORDER BY rank DESC, d.title_text COLLATE "C", d.entity_type, d.entity_id"""


async def _page(query: ParsedQuery, types: Sequence[str], viewer: Viewer, limit: int | None, offset: int) -> SearchPage:
    p = statement()
    dialect = p.dialect
    build = _sqlite_sql if dialect == "sqlite" else _postgres_sql
    sql = build(p, query, types, viewer, False)
    if limit is not None:
        # One row at least, so that the window count comes back even for `first: 0`.
        sql += f" LIMIT {p.bind(max(limit, 1))} OFFSET {p.bind(offset)}"
    elif offset:
        sql += f" LIMIT -1 OFFSET {p.bind(offset)}" if dialect == "sqlite" else f" OFFSET {p.bind(offset)}"
    rows = await fetch_dicts(sql, p)
    if rows:
        total = int(rows[0]["total"])
    elif offset:
        p = statement()
        total = int((await fetch_dicts(build(p, query, types, viewer, True), p))[0]["total"])
    else:
        total = 0
    hits = [SearchHit(row["entity_type"], int(row["entity_id"]), float(row["rank"])) for row in rows]
    return SearchPage(hits[:limit] if limit is not None else hits, total)


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """Trigram similarity of two words, as pg_trgm's ``similarity()`` computes it."""
    left, right = _trigrams(a), _trigrams(b)
    common = len(left & right)
    return common / (len(left) + len(right) - common)


async def _corrections(terms: Sequence[Term]) -> dict[str, str]:
    """For each term that starts no indexed word, the most similar indexed word (if similar enough)."""
    texts = [term.text for term in terms]
    p = statement()
    if p.dialect == "postgres":
        rows = await fetch_dicts(
            f"""SELECT t.term, (
                    SELECT w.word FROM search_word w WHERE w.word % t.term
                    ORDER BY similarity(w.word, t.term) DESC, w.word LIMIT 1
                ) AS word
            FROM unnest({p.bind(texts)}::text[]) AS t(term)
            WHERE NOT EXISTS (
                SELECT 1 FROM search_word w
                WHERE w.word >= t.term COLLATE "C" AND w.word < (t.term || chr(1114111)) COLLATE "C"
            )""",
            p,
        )
        return {row["term"]: row["word"] for row in rows if row["word"]}
    rows = await fetch_dicts(
        f"""SELECT t.value AS term FROM json_each({p.bind(json.dumps(texts))}) t
        WHERE NOT EXISTS (
            SELECT 1 FROM search_vocab v WHERE v.term >= t.value AND v.term < t.value || char(1114111)
        )""",
        p,
    )
    unknown = [row["term"] for row in rows]
    if not unknown:
        return {}
    vocabulary = [row["term"] for row in await fetch_dicts("SELECT term FROM search_vocab", statement())]
    corrections = {}
    for term in unknown:
        scored = [(similarity(word, term), word) for word in vocabulary]
        best = min(((-score, word) for score, word in scored if score >= SIMILARITY_THRESHOLD), default=None)
        if best is not None:
            corrections[term] = best[1]
    return corrections


def _types(types: Collection[str] | None) -> list[str]:
    if types is None:
        return list(ENTITY_TYPES)
    unknown = set(types) - set(ENTITY_TYPES)
    if unknown:
        raise ValueError(f"Not searchable: {', '.join(sorted(unknown))}.")
    return [t for t in ENTITY_TYPES if t in types]


async def _search(query: ParsedQuery, types: list[str], viewer: Viewer, limit: int | None, offset: int) -> SearchPage:
    if not query.terms or not types:
        return SearchPage([], 0)
    page = await _page(query, types, viewer, limit, offset)
    if page.total:
        return page
    corrections = await _corrections(query.terms)
    if not corrections:
        return page
    corrected = ParsedQuery(
        tuple(Term(corrections[t.text], prefix=False) if t.text in corrections else t for t in query.terms)
    )
    return await _page(corrected, types, viewer, limit, offset)


async def search(
    query: str,
    types: Collection[str] | None = None,
    limit: int = 20,
    offset: int = 0,
    viewer: Viewer = PUBLIC,
) -> SearchPage:
    """Entities matching ``query``, best first: ``limit`` hits from ``offset``, and the total.

    ``types`` restricts the kinds (GraphQL type names, e.g. ``{"Office"}``;
    None means all). Organizations the viewer may not see are never returned
    nor counted. A query without any letter or digit matches nothing.
    """
    if limit < 0 or offset < 0:
        raise ValueError("limit and offset must not be negative.")
    return await _search(parse_query(query), _types(types), viewer, limit, offset)


async def corrected(query: ParsedQuery) -> ParsedQuery:
    """``query`` with each term that starts no indexed word replaced by the most similar indexed word.

    A term that starts no indexed word matches nothing, so this is exactly
    when ``search`` would find no hit and try again with corrections.
    """
    corrections = await _corrections(query.terms) if query.terms else {}
    if not corrections:
        return query
    return ParsedQuery(tuple(Term(corrections[t.text], prefix=False) if t.text in corrections else t for t in query.terms))


def matching_sql(p: Statement, entity_type: str, query: ParsedQuery, viewer: Viewer) -> str:
    """A subquery of the ids of the entities of one type that ``query`` matches (no ranking)."""
    where = _filters(p, [entity_type], viewer)
    if p.dialect == "sqlite":
        return (
            "SELECT d.entity_id FROM search_fts JOIN search_document d ON d.id = search_fts.rowid"
            f" WHERE search_fts MATCH {p.bind(_fts5(query.terms))} AND {where}"
        )
    return f"SELECT d.entity_id FROM search_document d WHERE d.tsv @@ to_tsquery('simple', {p.bind(_tsquery(query.terms))}) AND {where}"


async def matching_ids(entity_type: str, query: str, viewer: Viewer = PUBLIC) -> list[int]:
    """Primary keys of the entities of one type matching ``query``, best first."""
    page = await _search(parse_query(query), _types([entity_type]), viewer, None, 0)
    return page.entity_ids


async def search_filter(entity_type: str, query: str | None, viewer: Viewer = PUBLIC) -> Q:
    """A filter on ``entity_type``'s model keeping what ``query`` matches.

    A blank query (no letter or digit) filters nothing. For the ``search``
    argument of root lists: ``Office.filter(await search_filter("Office", search, viewer))``.
    """
    if query is None or not parse_query(query).terms:
        return Q()
    return Q(id__in=await matching_ids(entity_type, query, viewer))
