"""Rows related to many parents at once: one statement per relation and batch of parents.

A ``Relation`` names the table and the column that holds the parent's key.
``rows_by`` returns every related row per key (entities by id or slug, the
small lists of an entity: dates, languages, locations); ``pages_by`` returns
one keyset page per parent (``queries.pages``), ``counts_by`` their sizes.
Dated relations (memberships, partnerships) answer for a day: only rows that
may hold then, each with ``certain`` (1 or 0), by ``models.dates``'s rule.
Every statement applies the viewer's access rules (``queries.access``).

Both read paths use these: the resolvers through their loaders, the read
plans directly, so the two cannot disagree on what a relation holds.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.access import Viewer
from models.dates import Period, today
from queries.access import visible
from queries.pages import BY_ID, Ordering, Page, PageRequest, cursor_conditions, cut, order_by, select_list
from queries.sql import POSTGRES, Statement, fetch, statement
from queries.tables import Table

Where = Callable[[Statement, str], list[str]]
"""Extra conditions on a relation's rows (over the alias it is given), e.g. a filter."""

ALIAS = "t"


@dataclass(frozen=True, eq=False)
class Relation:
    """The rows of ``table`` whose ``key`` column holds the key of a parent (an id, a slug...)."""

    name: str
    table: Table
    key: str
    ordering: Ordering = BY_ID
    period: Period | None = None
    """The dated period of each row, for relations that answer for a day."""

    def __repr__(self) -> str:
        return f"Relation({self.name})"


def _columns(relation: Relation, columns: Sequence[str] | None) -> list[str]:
    return list(relation.table.columns if columns is None else dict.fromkeys([*columns, "id"]))


def _conditions(
    relation: Relation, st: Statement, viewer: Viewer, day: date | None, where: Where | None
) -> tuple[list[str], str]:
    """The access, day and extra conditions, and the ``certain`` expression (``1`` when not dated)."""
    conditions = visible(relation.table, ALIAS, viewer, st)
    certain = "1"
    if relation.period is not None and day is not None:
        on = st.bind(day)
        certain = relation.period.certainty_sql(ALIAS, on, day, today())
        conditions.append(relation.period.possible_sql(ALIAS, on))
    if where is not None:
        conditions.extend(where(st, ALIAS))
    return conditions, certain


async def rows_by(
    relation: Relation,
    keys: Sequence[Hashable],
    viewer: Viewer,
    columns: Sequence[str] | None = None,
    where: Where | None = None,
) -> dict[Any, list[Any]]:
    """Every row of the relation for each key, in the relation's order."""
    found: dict[Any, list[Any]] = defaultdict(list)
    if not keys:
        return found
    st = statement()
    conditions, _ = _conditions(relation, st, viewer, None, where)
    conditions.insert(0, st.any_of(f"{ALIAS}.{relation.key}", list(dict.fromkeys(keys))))
    select = select_list(ALIAS, [*_columns(relation, columns), relation.key], relation.ordering)
    sql = (
        f"SELECT {select} FROM {relation.table.name} {ALIAS} WHERE {' AND '.join(conditions)}"
        f" ORDER BY {order_by(relation.ordering, False, ALIAS)}"
    )
    for row in await fetch(sql, st):
        found[row[relation.key]].append(row)
    return found


async def pages_by(
    relation: Relation,
    parents: Sequence[Hashable],
    viewer: Viewer,
    request: PageRequest,
    *,
    day: date | None = None,
    columns: Sequence[str] | None = None,
    where: Where | None = None,
    ordering: Ordering | None = None,
) -> dict[Any, Page]:
    """One page per parent, every parent in one statement; each page counts its rows when asked.

    Rows carry ``certain`` (1 or 0) for a dated relation asked about a ``day``.
    """
    ordering = ordering or relation.ordering
    parents = list(dict.fromkeys(parents))
    found: dict[Any, list[Any]] = {parent: [] for parent in parents}
    counting: list[asyncio.Future[dict[Any, int]]] = []

    async def total_of(parent: Any) -> int:
        if not counting:  # one GROUP BY for every parent, however many pages ask at once
            counting.append(asyncio.ensure_future(counts_by(relation, parents, viewer, day=day, where=where)))
        return (await counting[0]).get(parent, 0)

    def total(parent: Any) -> Callable[[], Any]:
        return lambda: total_of(parent)

    if parents and request.size:
        st = statement()
        conditions, certain = _conditions(relation, st, viewer, day, where)
        conditions.extend(cursor_conditions(st, ordering, request, ALIAS))
        select = f"{select_list(ALIAS, _columns(relation, columns), ordering)}, {ALIAS}.{relation.key} AS _parent, {certain} AS certain"
        sql = (_lateral_pages if st.dialect == POSTGRES else _numbered_pages)(
            relation, st, parents, select, conditions, ordering, request
        )
        for row in await fetch(sql, st):
            found[row["_parent"]].append(row)
    return {parent: cut(found[parent], ordering, request, total(parent)) for parent in parents}


def _lateral_pages(
    relation: Relation,
    st: Statement,
    parents: list[Any],
    select: str,
    conditions: list[str],
    ordering: Ordering,
    request: PageRequest,
) -> str:
    """PostgreSQL: for each parent, its first rows by an index scan that stops after ``size + 1`` (a lateral join).

    With an index on (key, sort keys) a page costs the same however many rows
    the parent has.
    """
    array = "text[]" if any(isinstance(parent, str) for parent in parents) else "bigint[]"
    scan = order_by(ordering, request.reverse, ALIAS)
    return (
        f"SELECT page.* FROM unnest({st.bind(parents)}::{array}) WITH ORDINALITY AS parent(key, position)"
        f" CROSS JOIN LATERAL (SELECT {select} FROM {relation.table.name} {ALIAS}"
        f" WHERE {' AND '.join([f'{ALIAS}.{relation.key} = parent.key', *conditions])}"
        f" ORDER BY {scan} LIMIT {st.bind(request.size + 1)}) page"
        f" ORDER BY parent.position, {order_by(ordering, request.reverse, 'page')}"
    )


def _numbered_pages(
    relation: Relation,
    st: Statement,
    parents: list[Any],
    select: str,
    conditions: list[str],
    ordering: Ordering,
    request: PageRequest,
) -> str:
    """SQLite: every parent's rows numbered in their order, the first ``size + 1`` of each kept."""
    where = " AND ".join([st.any_of(f"{ALIAS}.{relation.key}", parents), *conditions])
    return (
        f"SELECT * FROM (SELECT {select}, ROW_NUMBER() OVER (PARTITION BY {ALIAS}.{relation.key}"
        f" ORDER BY {order_by(ordering, request.reverse, ALIAS)}) AS _position"
        f" FROM {relation.table.name} {ALIAS} WHERE {where}) page"
        f" WHERE page._position <= {st.bind(request.size + 1)} ORDER BY page._parent, page._position"
    )


async def counts_by(
    relation: Relation,
    parents: Sequence[Hashable],
    viewer: Viewer,
    *,
    day: date | None = None,
    where: Where | None = None,
) -> dict[Any, int]:
    """How many rows each parent has, in one ``GROUP BY``."""
    if not parents:
        return {}
    st = statement()
    conditions, _ = _conditions(relation, st, viewer, day, where)
    conditions.insert(0, st.any_of(f"{ALIAS}.{relation.key}", list(parents)))
    sql = (
        f"SELECT {ALIAS}.{relation.key} AS parent, COUNT(*) AS total FROM {relation.table.name} {ALIAS}"
        f" WHERE {' AND '.join(conditions)} GROUP BY {ALIAS}.{relation.key}"
    )
    return {row["parent"]: int(row["total"]) for row in await fetch(sql, st)}
