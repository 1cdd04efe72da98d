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

and the fraction is a text score of the document alone: PostgreSQL's
ts_rank; on SQLite the weighted number of matching words (counted by FTS5's
``highlight``) against the document's length. Neither uses statistics of the
whole corpus (FTS5's bm25 would: how many documents, hidden ones included,
hold a word), so no document the caller may not see moves any rank. Ties
inside a tier may order differently on the two databases; tiers never do.

When nothing matches, words that start no indexed word are replaced by the
most similar indexed word (trigram similarity of at least 0.3, as pg_trgm
computes it) and the search runs again: "corupption" finds corruption.

Only what the caller may see takes part (``queries.access``): the hits and
their count, the vocabulary ("starts an indexed word": of a document the
caller may see) and the corrections (a word of a document the caller may
see). A word that only a hidden organization uses is, to everyone else, a
word that exists nowhere: same answer, same statements. The candidates of a
correction come from a trigram index (pg_trgm's GIN index on PostgreSQL,
``search_trigram`` on SQLite), in one statement whatever the vocabulary's size.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from tortoise.expressions import Q

from domain.access import PUBLIC, Viewer
from domain.text import ENTITY_TYPES, trigrams, words
from queries.access import withheld_rows_sql
from queries.sql import Statement, fetch_dicts, statement
from queries.tables import EVENT, GOVERNING_BODY, INSTRUMENT, OFFICE, ORGANIZATION, PROGRAMME, Table

MAX_QUERY_LENGTH = 256
"""Longest query accepted, in characters."""
MAX_TERMS = 16
"""Most words a query may have."""
SIMILARITY_THRESHOLD = 0.3
"""Least trigram similarity for a misspelt word to be replaced (pg_trgm's default)."""

_TITLE_WEIGHT, _PLACE_WEIGHT, _BODY_WEIGHT = 10.0, 4.0, 1.0
_LENGTH_SCALE = 8.0
"""On SQLite, a document of this many words halves the score of its matches (longer ones more)."""


def _words(column: str) -> str:
    """SQLite: the number of words in a folded text column (words are separated by one space or line break)."""
    return f"(length({column}) - length(replace(replace({column}, ' ', ''), char(10), '')) + ({column} <> ''))"

TABLES: dict[str, Table] = {
    "Organization": ORGANIZATION,
    "Office": OFFICE,
    "Event": EVENT,
    "GoverningBody": GOVERNING_BODY,
    "Instrument": INSTRUMENT,
    "Programme": PROGRAMME,
}
"""The table of each searchable kind, for the access rules."""


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
    for entity_type in types:
        withheld = withheld_rows_sql(TABLES[entity_type], viewer, p)
        if withheld is not None:
            clauses.append(f"NOT (d.entity_type = '{entity_type}' AND d.entity_id IN ({withheld}))")
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
        WITH marked AS (
            SELECT rowid AS doc_id, highlight(search_fts, 0, char(1), '') AS title,
                highlight(search_fts, 1, char(1), '') AS place, highlight(search_fts, 2, char(1), '') AS body
            FROM search_fts WHERE search_fts MATCH {matches}
        ),
        weighed AS (
            SELECT doc_id,
                {_TITLE_WEIGHT} * (length(title) - length(replace(title, char(1), '')))
                + {_PLACE_WEIGHT} * (length(place) - length(replace(place, char(1), '')))
                + {_BODY_WEIGHT} * (length(body) - length(replace(body, char(1), ''))) AS matched,
                1.0 + {_words("title")} + {_words("place")} + {_words("body")} AS words
            FROM marked
        ),
        hits AS (
            SELECT doc_id, matched / (1.0 + words / {_LENGTH_SCALE}) AS score FROM weighed
        )
        SELECT d.entity_type, d.entity_id,
            CASE
                WHEN instr(char(10) || d.title_text || char(10), char(10) || {phrase} || char(10)) > 0 THEN 4
                WHEN instr(char(10) || d.title_text, char(10) || {phrase}) > 0 THEN 3
                WHEN d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH {title}) THEN 2
                WHEN d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH {title_place}) THEN 1
                ELSE 0
            END + h.score / (h.score + 1.0) AS rank,
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


def similarity(a: str, b: str) -> float:
    """Trigram similarity of two words, as pg_trgm's ``similarity()`` computes it."""
    left, right = trigrams(a), trigrams(b)
    common = len(left & right)
    return common / (len(left) + len(right) - common)


def _postgres_corrections_sql(p: Statement, texts: list[str], viewer: Viewer) -> str:
    """PostgreSQL: the most similar word of a visible document, for each term that starts none.

    The similar words come from the trigram index alone (``OFFSET 0`` keeps the planner from
    joining them to the visibility check first, which it would do by reading the whole vocabulary:
    2 s for 1.4 million words).
    """
    everything = list(ENTITY_TYPES)
    return f"""SELECT t.term, (
            SELECT w.word FROM (SELECT w.word FROM search_word w WHERE w.word % t.term OFFSET 0) w
            WHERE EXISTS (
                SELECT 1 FROM search_document d
                WHERE d.tsv @@ to_tsquery('simple', quote_literal(w.word)) AND {_filters(p, everything, viewer)}
            )
            ORDER BY similarity(w.word, t.term) DESC, w.word LIMIT 1
        ) AS word
        FROM unnest({p.bind(texts)}::text[]) AS t(term)
        WHERE NOT EXISTS (
            SELECT 1 FROM search_document d
            WHERE d.tsv @@ to_tsquery('simple', quote_literal(t.term) || ':*') AND {_filters(p, everything, viewer)}
        )"""


def _sqlite_corrections_sql(p: Statement, texts: list[str], viewer: Viewer) -> str:
    """SQLite: the words sharing a trigram with each unknown term, scored as pg_trgm scores them.

    The leading trigram ("  c", two spaces and the first letter) is shared by
    a 26th of the vocabulary; it is not looked up, only counted when the first
    letters agree, so the rows read stay few whatever the vocabulary's size.
    """
    everything = list(ENTITY_TYPES)
    grams = [
        [text, gram, len(trigrams(text)), text[:1]] for text in texts for gram in sorted(trigrams(text)) if not gram.startswith("  ")
    ]
    return f"""WITH grams(term, gram, n, first) AS (
            SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
                json_extract(value, '$[3]')
            FROM json_each({p.bind(json.dumps(grams))})
        ),
        unknown(term, n, first) AS (
            SELECT DISTINCT g.term, g.n, g.first FROM grams g WHERE NOT EXISTS (
                SELECT 1 FROM search_fts JOIN search_document d ON d.id = search_fts.rowid
                WHERE search_fts MATCH ('"' || g.term || '"*') AND {_filters(p, everything, viewer)}
            )
        ),
        shared(term, word, common) AS (
            SELECT u.term, t.word, count(*) + (substr(t.word, 1, 1) = u.first) FROM unknown u
            JOIN grams g ON g.term = u.term JOIN search_trigram t ON t.trigram = g.gram
            GROUP BY u.term, t.word
        ),
        candidates(term, word, score) AS (
            SELECT s.term, s.word, s.common * 1.0 / (u.n + w.trigrams - s.common)
            FROM shared s JOIN unknown u ON u.term = s.term JOIN search_word w ON w.word = s.word
            WHERE s.common * 1.0 / (u.n + w.trigrams - s.common) >= {SIMILARITY_THRESHOLD} AND EXISTS (
                SELECT 1 FROM search_fts JOIN search_document d ON d.id = search_fts.rowid
                WHERE search_fts MATCH ('"' || s.word || '"') AND {_filters(p, everything, viewer)}
            )
        ),
        best(term, word, position) AS (
            SELECT term, word, row_number() OVER (PARTITION BY term ORDER BY score DESC, word) FROM candidates
        )
        SELECT u.term, b.word FROM unknown u LEFT JOIN best b ON b.term = u.term AND b.position = 1"""


async def _corrections(terms: Sequence[Term], viewer: Viewer) -> dict[str, str]:
    """For each term that starts no word the viewer may see, the most similar such word (if similar enough).

    One statement, whatever the answer: a word of a document the viewer may
    not see neither stops a correction nor is offered as one.
    """
    texts = sorted({term.text for term in terms})
    p = statement()
    build = _postgres_corrections_sql if p.dialect == "postgres" else _sqlite_corrections_sql
    rows = await fetch_dicts(build(p, texts, viewer), p)
    return {row["term"]: row["word"] for row in rows if row["word"]}


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
    corrections = await _corrections(query.terms, viewer)
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


async def corrected(query: ParsedQuery, viewer: Viewer = PUBLIC) -> ParsedQuery:
    """``query`` with each term that starts no word the viewer may see replaced by the most similar such word.

    Such a term matches nothing the viewer may see, so this is exactly when
    ``search`` would find no hit and try again with corrections.
    """
    corrections = await _corrections(query.terms, viewer) if query.terms else {}
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
