"""Keyset (cursor) pages in SQL: of a root list, and of a relation for every parent at once.

A cursor carries the sort values of the row it points at (``queries.cursors``),
so the next page is ``WHERE (keys) > (cursor keys) ORDER BY keys LIMIT n``:
page 500 costs what page 1 costs. The primary key is always the last sort
key, which makes the order total. Nullable keys sort their NULLs last in both
directions, the same on both databases.

The pages of a relation for many parents come from one statement:
``ROW_NUMBER() OVER (PARTITION BY parent ORDER BY keys)`` numbers each
parent's rows after the cursor and the outer query keeps the first ``n + 1``;
their counts, when asked, from one ``GROUP BY``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from domain.errors import ClientError
from queries import cursors
from queries.sql import Statement


@dataclass(frozen=True)
class SortKey:
    """One column of an ordering (an expression over the row alias ``t``)."""

    column: str
    descending: bool = False
    nullable: bool = False
    kind: str = "text"
    """What its values are (``KINDS``): a cursor whose value is of another kind was not issued by this service."""


KINDS = ("text", "int", "date", "instant")
"""Kinds of sort values."""


def _checked(key: SortKey, value: Any, for_sql: bool) -> Any:
    """A cursor's value for ``key``, refused (ValueError) unless it is of the key's kind; ISO text read as a day or an
    instant for SQL (SQLite's rows give dates as text, so its cursors hold text)."""
    if value is None:
        if key.nullable:
            return None
        raise ValueError("null for a key without nulls")
    if key.kind == "text":
        if isinstance(value, str):
            return value
    elif key.kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif key.kind == "date":
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            day = dt.date.fromisoformat(value)
            return day if for_sql else value
    elif key.kind == "instant":
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value
        if isinstance(value, str):
            instant = dt.datetime.fromisoformat(value)
            if instant.tzinfo is None:
                raise ValueError("an instant without its offset")
            return instant if for_sql else value
    raise ValueError(f"not a {key.kind} value")


def decode_cursor(ordering: Ordering, cursor: str, *, for_sql: bool = True) -> list[Any]:
    """The sort values of a cursor of ``ordering``, each of its key's kind; InvalidCursor when it is not one we issued."""
    values = cursors.decode(ordering.name, cursor, len(ordering.all_keys))
    try:
        return [_checked(key, value, for_sql) for key, value in zip(ordering.all_keys, values, strict=True)]
    except ValueError as error:
        raise cursors.invalid(cursor) from error


@dataclass(frozen=True)
class Ordering:
    """The sort keys of a list, the primary key excluded (it comes last, ascending)."""

    name: str
    keys: tuple[SortKey, ...]

    def with_direction(self, descending: bool) -> Ordering:
        """The first key flipped when ``descending``; tie-breaking keys keep their direction."""
        if not descending:
            return self
        first, *rest = self.keys
        flipped = SortKey(first.column, not first.descending, first.nullable, first.kind)
        return Ordering(self.name + "-desc", (flipped, *rest))

    @cached_property
    def all_keys(self) -> tuple[SortKey, ...]:
        return (*self.keys, SortKey("id", kind="int"))

    @cached_property
    def columns(self) -> tuple[str, ...]:
        return tuple(key.column for key in self.all_keys)


BY_ID = Ordering("id", ())
BY_NAME = Ordering("name", (SortKey("name"),))


@dataclass(frozen=True)
class PageRequest:
    """The Relay pagination arguments of one connection field."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    def validated(self, default_size: int, max_size: int) -> PageRequest:
        """Check the arguments; fill in ``first`` when neither size is given."""
        if self.first is not None and self.last is not None:
            raise ClientError("Pass either `first` or `last`, not both.")
        for name, value in (("first", self.first), ("last", self.last)):
            if value is not None and not 0 <= value <= max_size:
                raise ClientError(f"`{name}` must be between 0 and {max_size}; it was {value}.")
        if self.first is None and self.last is None:
            return PageRequest(default_size, self.after, None, self.before)
        return self

    @property
    def size(self) -> int:
        """How many rows the page holds at most."""
        size = self.last if self.last is not None else self.first
        assert size is not None, "validate the request first"
        return size

    @property
    def reverse(self) -> bool:
        """Whether the page is counted back from the end (``last``)."""
        return self.last is not None


class Page:
    """One page of rows (database rows, or model instances for the resolvers), their cursors, and the list's size.

    Cursors are encoded when first read: most queries never ask for them.
    """

    __slots__ = ("_cursors", "has_next_page", "has_previous_page", "rows", "total")

    def __init__(
        self,
        rows: list[Any],
        cursors: list[str] | Callable[[], list[str]],
        has_next_page: bool,
        has_previous_page: bool,
        total: Callable[[], Any] = lambda: None,
    ) -> None:
        self.rows = rows
        self._cursors = cursors
        self.has_next_page = has_next_page
        self.has_previous_page = has_previous_page
        self.total = total
        """An awaitable factory giving the number of rows in every page (counted when first asked)."""

    @property
    def cursors(self) -> list[str]:
        """The cursor of each row, in page order."""
        if callable(self._cursors):
            self._cursors = self._cursors()
        return self._cursors

    def map(self, convert: Callable[[Any], Any]) -> Page:
        """The same page with every row converted (the cursors stay those of the rows it was cut from)."""
        return Page(
            [convert(row) for row in self.rows],
            lambda: self.cursors,
            self.has_next_page,
            self.has_previous_page,
            self.total,
        )


# ------- SQL of an ordering and of a cursor -------


def _beyond(statement: Statement, key: SortKey, column: str, value: Any, reverse: bool) -> str | None:
    """Rows strictly past ``value`` on one key in the scan direction; None when no row can be.

    NULLs sort last going forwards, so they come first when scanning backwards.
    """
    operator = "<" if key.descending != reverse else ">"
    if not key.nullable:
        return f"{column} {operator} {statement.bind(value)}"
    if reverse:
        return f"{column} IS NOT NULL" if value is None else f"{column} {operator} {statement.bind(value)}"
    return None if value is None else f"({column} {operator} {statement.bind(value)} OR {column} IS NULL)"


def _equal(statement: Statement, column: str, value: Any) -> str:
    return f"{column} IS NULL" if value is None else f"{column} = {statement.bind(value)}"


def keyset(statement: Statement, ordering: Ordering, values: Sequence[Any], reverse: bool, alias: str) -> str:
    """Rows after the cursor values in scan order: OR over i of (keys before i equal AND key i beyond).

    A redundant ``first key >= value`` (in scan direction) lets the database
    seek its index: the OR alone is no index condition on PostgreSQL.
    Nullable first keys get no bound (their NULLs would need an OR again).
    """
    keys = ordering.all_keys
    alternatives: list[str] = []
    for i, key in enumerate(keys):
        prefix = [_equal(statement, f"{alias}.{k.column}", v) for k, v in zip(keys[:i], values[:i], strict=True)]
        beyond = _beyond(statement, key, f"{alias}.{key.column}", values[i], reverse)
        if beyond is not None:
            alternatives.append("(" + " AND ".join([*prefix, beyond]) + ")")
    if not alternatives:
        return "1 = 0"
    condition = "(" + " OR ".join(alternatives) + ")"
    first = keys[0]
    if first.nullable:
        return condition
    operator = "<=" if first.descending != reverse else ">="
    return f"{condition} AND {alias}.{first.column} {operator} {statement.bind(values[0])}"


def order_by(ordering: Ordering, reverse: bool, alias: str) -> str:
    """The ORDER BY terms of a scan (NULLs last forwards, first backwards, on both databases)."""
    terms = []
    for key in ordering.all_keys:
        column = f"{alias}.{key.column}"
        if key.nullable:
            terms.append(f"CASE WHEN {column} IS NULL THEN 1 ELSE 0 END {'DESC' if reverse else 'ASC'}")
        terms.append(f"{column} {'DESC' if key.descending != reverse else 'ASC'}")
    return ", ".join(terms)


def cursor_conditions(statement: Statement, ordering: Ordering, request: PageRequest, alias: str) -> list[str]:
    """The keyset conditions of ``after`` and ``before``."""
    conditions = []
    start = request.before if request.reverse else request.after
    if start is not None:
        conditions.append(
            keyset(statement, ordering, decode_cursor(ordering, start), request.reverse, alias)
        )
    end = request.after if request.reverse else request.before
    if end is not None:
        conditions.append(
            keyset(statement, ordering, decode_cursor(ordering, end), not request.reverse, alias)
        )
    return conditions


def cut(rows: list[Any], ordering: Ordering, request: PageRequest, total: Callable[[], Any]) -> Page:
    """A page of the ``size + 1`` rows scanned: the extra row only says that more follow."""
    more = len(rows) > request.size
    rows = rows[: request.size]
    if request.reverse:
        rows.reverse()
    columns, name = ordering.columns, ordering.name
    return Page(
        rows=rows,
        cursors=lambda: [cursors.encode(name, [row[column] for column in columns]) for row in rows],
        has_next_page=more if not request.reverse else request.before is not None,
        has_previous_page=more if request.reverse else request.after is not None,
        total=total,
    )


def select_list(alias: str, columns: Sequence[str], ordering: Ordering) -> str:
    """``alias.column`` for each column asked for and each sort key, once each."""
    wanted = list(dict.fromkeys([*columns, *ordering.columns]))
    return ", ".join(f"{alias}.{column}" for column in wanted)


def page_in_memory(rows: Sequence[Any], ordering: Ordering, request: PageRequest, total: int | None = None) -> Page:
    """A page of rows already fetched and sorted in ``ordering`` (rows readable by column name).

    For lists computed whole in SQL, such as walks through networks of
    networks, whose shortest paths need every row anyway.
    """
    columns = ordering.columns

    def sort_values(row: Any) -> tuple[Any, ...]:
        return tuple(row[column] for column in columns)

    after = tuple(decode_cursor(ordering, request.after, for_sql=False)) if request.after is not None else None
    before = tuple(decode_cursor(ordering, request.before, for_sql=False)) if request.before is not None else None
    kept = (
        list(rows)
        if after is None and before is None
        else [
            row
            for row in rows
            if (after is None or sort_values(row) > after) and (before is None or sort_values(row) < before)
        ]
    )
    scanned = list(reversed(kept)) if request.reverse else kept
    size = len(rows) if total is None else total

    async def count() -> int:
        return size

    return cut(scanned[: request.size + 1], ordering, request, count)
