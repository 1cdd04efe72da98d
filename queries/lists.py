"""The root lists: one keyset page of a table, filtered and ordered in SQL, with its size when asked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.access import Viewer
from queries.access import visible
from queries.batch import ALIAS, Where
from queries.filters import with_corrections
from queries.pages import BY_NAME, Ordering, Page, PageRequest, SortKey, cursor_conditions, cut, order_by, select_list
from queries.sql import fetch, statement
from queries.tables import Table

ORDERINGS = {
    "NAME": BY_NAME,
    "COUNTRY": Ordering("country", (SortKey("country", nullable=True), SortKey("name"))),
    "YEAR_FOUNDED": Ordering("founded", (SortKey("founded_earliest", nullable=True, kind="date"), SortKey("name"))),
    "START_DATE": Ordering("date", (SortKey("first_date", nullable=True, kind="date"),)),
}
"""The orderings a client can ask for by name (``orderBy: { field: ... }``)."""
BY_START_DATE = ORDERINGS["START_DATE"]
BY_CLOSING = Ordering("closes", (SortKey("closes_at", nullable=True, kind="instant"),))


def ordering_of(order_by: Any, default: Ordering) -> Ordering:
    """The ordering an ``orderBy`` input asks for (``default`` when none)."""
    if order_by is None:
        return default
    return ORDERINGS[order_by.field.value].with_direction(order_by.direction.value == "DESC")


async def page_of(
    table: Table,
    viewer: Viewer,
    request: PageRequest,
    ordering: Ordering,
    where: Where | None = None,
    columns: Sequence[str] | None = None,
) -> Page:
    """One page of the rows of ``table`` the viewer may see and ``where`` keeps, in ``ordering``.

    A search in ``where`` made with ``correct_later`` has its misspelt words corrected when the page
    comes back empty, or at once for a page of no rows (``queries.filters.with_corrections``).
    """
    if not request.size:
        where = await with_corrections(where) or where
    page = await _page_of(table, viewer, request, ordering, where, columns)
    if request.size and not page.rows:
        better = await with_corrections(where)
        if better is not None:
            return await _page_of(table, viewer, request, ordering, better, columns)
    return page


async def _page_of(
    table: Table,
    viewer: Viewer,
    request: PageRequest,
    ordering: Ordering,
    where: Where | None,
    columns: Sequence[str] | None,
) -> Page:
    async def total() -> int:
        st = statement()
        conditions = [*visible(table, ALIAS, viewer, st), *(where(st, ALIAS) if where else [])]
        sql = f"SELECT COUNT(*) FROM {table.name} {ALIAS}" + (f" WHERE {' AND '.join(conditions)}" if conditions else "")
        return int((await fetch(sql, st))[0][0])

    rows: list[Any] = []
    if request.size:
        st = statement()
        conditions = [
            *visible(table, ALIAS, viewer, st),
            *(where(st, ALIAS) if where else []),
            *cursor_conditions(st, ordering, request, ALIAS),
        ]
        wanted = table.columns if columns is None else [*columns, "id"]
        sql = (
            f"SELECT {select_list(ALIAS, wanted, ordering)} FROM {table.name} {ALIAS}"
            + (f" WHERE {' AND '.join(conditions)}" if conditions else "")
            + f" ORDER BY {order_by(ordering, request.reverse, ALIAS)} LIMIT {st.bind(request.size + 1)}"
        )
        rows = await fetch(sql, st)
    return cut(rows, ordering, request, total)


async def every_row(table: Table, viewer: Viewer, where: Where | None = None) -> list[Any]:
    """Every row of ``table`` the viewer may see and ``where`` keeps, as model instances (for short lists and feeds)."""
    st = statement()
    conditions = [*visible(table, ALIAS, viewer, st), *(where(st, ALIAS) if where else [])]
    sql = f"SELECT {', '.join(f'{ALIAS}.{c}' for c in table.columns)} FROM {table.name} {ALIAS}" + (
        f" WHERE {' AND '.join(conditions)}" if conditions else ""
    )
    return [table.instance(row) for row in await fetch(sql, st)]
