"""Keyset (cursor) pagination of Tortoise querysets, done in SQL.

A cursor carries the values of the sort keys of the row it points at, so the
next page is ``WHERE (keys) > (cursor keys) ORDER BY keys LIMIT n``: page 500
costs what page 1 costs. The primary key is always the last sort key, which
makes the order total. Nullable keys sort their NULLs last in both directions.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from tortoise.expressions import Q, RawSQL
from tortoise.functions import Count
from tortoise.models import Model
from tortoise.queryset import QuerySet

from db.querysets import next_placeholder, parameterized
from resolvers.errors import ClientError, InvalidCursor

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class SortKey:
    """One column of an ordering."""

    field: str
    descending: bool = False
    nullable: bool = False


@dataclass(frozen=True)
class Ordering:
    """The sort keys of a list, without the primary key (added last, ascending)."""

    name: str
    keys: tuple[SortKey, ...]

    def with_direction(self, descending: bool) -> Ordering:
        """The first key flipped when ``descending``; tie-breaking keys keep their direction."""
        if not descending:
            return self
        first, *rest = self.keys
        return Ordering(self.name + "-desc", (SortKey(first.field, not first.descending, first.nullable), *rest))

    @property
    def all_keys(self) -> tuple[SortKey, ...]:
        return (*self.keys, SortKey("id"))


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


@dataclass
class Page(Generic[M]):
    """One page of rows, their cursors, and how to count the whole list."""

    rows: list[M]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool
    count: Callable[[], Awaitable[int]]


def _encode_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    if hasattr(value, "value"):  # enum members sort by their stored string
        return value.value
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict):
        if "t" in value:
            return dt.datetime.fromisoformat(value["t"])
        if "d" in value:
            return dt.date.fromisoformat(value["d"])
        raise ValueError("unknown cursor value")
    return value


def encode_cursor(ordering: Ordering, row: Model) -> str:
    """An opaque cursor pointing at ``row`` under ``ordering``."""
    values = [_encode_value(getattr(row, key.field)) for key in ordering.all_keys]
    payload = json.dumps([ordering.name, values], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(ordering: Ordering, cursor: str) -> list[Any]:
    """The sort-key values inside ``cursor``; InvalidCursor when it is not ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        decoded = [_decode_value(v) for v in values]
    except (ValueError, TypeError, UnicodeDecodeError) as error:
        raise InvalidCursor(f"Cursor {cursor!r} is not valid.") from error
    if name != ordering.name or len(decoded) != len(ordering.all_keys):
        raise InvalidCursor(f"Cursor {cursor!r} belongs to another ordering or list.")
    return decoded


def _null_flag(field: str) -> str:
    return f"_isnull_{field}"


def _beyond(key: SortKey, value: Any, reverse: bool) -> Q | None:
    """Rows strictly past ``value`` on one key in the scan direction; None when no row can be.

    NULLs sort last going forwards, so they come first when scanning backwards.
    """
    past = Q(**{f"{key.field}__{'lt' if key.descending != reverse else 'gt'}": value})
    if not key.nullable:
        return past
    if reverse:
        return Q(**{f"{key.field}__isnull": False}) if value is None else past
    return None if value is None else past | Q(**{f"{key.field}__isnull": True})


def _equal(key: SortKey, value: Any) -> Q:
    if value is None:
        return Q(**{f"{key.field}__isnull": True})
    return Q(**{key.field: value})


def _keyset_filter(keys: Sequence[SortKey], values: Sequence[Any], reverse: bool) -> Q:
    """Rows after the cursor in scan order: OR over i of (keys before i equal AND key i beyond)."""
    alternatives: list[Q] = []
    for i, key in enumerate(keys):
        prefix = [_equal(k, v) for k, v in zip(keys[:i], values[:i], strict=True)]
        beyond = _beyond(key, values[i], reverse)
        if beyond is not None:
            alternatives.append(Q(*prefix, beyond) if prefix else beyond)
    if not alternatives:
        return Q(id__in=[])
    seek = _seek_bound(keys[0], values[0], reverse)
    condition = Q(*alternatives, join_type="OR")
    return condition & seek if seek is not None else condition


def _seek_bound(key: SortKey, value: Any, reverse: bool) -> Q | None:
    """``first key >= cursor value`` (in scan direction): redundant, but lets the database seek its index.

    The OR of the keyset condition alone is no index condition on PostgreSQL.
    Nullable keys get no bound (their NULLs would need an OR again).
    """
    if key.nullable:
        return None
    return Q(**{f"{key.field}__{'lte' if key.descending != reverse else 'gte'}": value})


def _order_by(keys: Sequence[SortKey], reverse: bool) -> list[str]:
    clauses = []
    for key in keys:
        descending = key.descending != reverse
        if key.nullable:
            clauses.append(("-" if reverse else "") + _null_flag(key.field))
        clauses.append(("-" if descending else "") + key.field)
    return clauses


def _with_null_flags(queryset: QuerySet[M], keys: Sequence[SortKey]) -> QuerySet[M]:
    table = queryset.model._meta.db_table
    flags = {
        _null_flag(k.field): RawSQL(f'CASE WHEN "{table}"."{k.field}" IS NULL THEN 1 ELSE 0 END') for k in keys if k.nullable
    }
    return queryset.annotate(**flags) if flags else queryset


@dataclass(frozen=True)
class _Scan(Generic[M]):
    """A page request turned into a filtered queryset, its SQL order and how many rows to fetch."""

    queryset: QuerySet[M]
    order: list[str]
    size: int
    reverse: bool


def _scan(queryset: QuerySet[M], ordering: Ordering, request: PageRequest) -> _Scan[M]:
    keys = ordering.all_keys
    reverse = request.last is not None
    size = request.last if reverse else request.first
    assert size is not None
    scan = _with_null_flags(queryset, keys)
    cursor = request.before if reverse else request.after
    if cursor is not None:
        scan = scan.filter(_keyset_filter(keys, decode_cursor(ordering, cursor), reverse))
    opposite = request.after if reverse else request.before
    if opposite is not None:
        scan = scan.filter(_keyset_filter(keys, decode_cursor(ordering, opposite), not reverse))
    return _Scan(scan, _order_by(keys, reverse), size, reverse)


def _page(rows: list[M], scan: _Scan[M], ordering: Ordering, request: PageRequest, count: Callable[[], Awaitable[int]]) -> Page[M]:
    more = len(rows) > scan.size
    rows = rows[: scan.size]
    if scan.reverse:
        rows.reverse()
    return Page(
        rows=rows,
        cursors=[encode_cursor(ordering, row) for row in rows],
        has_next_page=more if not scan.reverse else request.before is not None,
        has_previous_page=more if scan.reverse else request.after is not None,
        count=count,
    )


async def paginate(queryset: QuerySet[M], ordering: Ordering, request: PageRequest) -> Page[M]:
    """Fetch one page of ``queryset`` in ``ordering`` with a single SELECT (plus COUNT when asked)."""
    scan = _scan(queryset, ordering, request)
    rows = list(await scan.queryset.order_by(*scan.order).limit(scan.size + 1)) if scan.size else []

    async def count() -> int:
        return await queryset.count()

    return _page(rows, scan, ordering, request, count)


def _window_order(table: str, keys: Sequence[SortKey], reverse: bool) -> str:
    terms = []
    for key in keys:
        column = f'"{table}"."{key.field}"'
        direction = "DESC" if key.descending != reverse else "ASC"
        if key.nullable:
            terms.append(f"CASE WHEN {column} IS NULL THEN 1 ELSE 0 END {'DESC' if reverse else 'ASC'}")
        terms.append(f"{column} {direction}")
    return ", ".join(terms)


async def paginate_partitions(
    queryset: QuerySet[M], partition: str, parents: Sequence[Any], ordering: Ordering, request: PageRequest
) -> list[Page[M]]:
    """One page per parent (rows whose ``partition`` column is that parent), all in one SELECT.

    ``ROW_NUMBER() OVER (PARTITION BY parent ORDER BY keys)`` numbers each
    parent's rows after the cursor; the outer query keeps the first ``size + 1``
    of each. Counts, when asked, are one GROUP BY for the whole batch.
    """
    model = queryset.model
    table = model._meta.db_table
    scan = _scan(queryset.filter(**{f"{partition}__in": list(parents)}), ordering, request)
    found: dict[Any, list[M]] = {parent: [] for parent in parents}
    if scan.size:
        window = RawSQL(
            f'ROW_NUMBER() OVER (PARTITION BY "{table}"."{partition}" '
            f"ORDER BY {_window_order(table, ordering.all_keys, scan.reverse)})"
        )
        sql, params, connection = parameterized(scan.queryset.annotate(_position=window))
        placeholder = next_placeholder(connection, params)
        rows = await connection.execute_query_dict(
            f"SELECT * FROM ({sql}) AS page WHERE page._position <= {placeholder} ORDER BY page._position",
            [*params, scan.size + 1],
        )
        columns = set(model._meta.db_fields)
        for row in rows:
            found[row[partition]].append(model._init_from_db(**{k: v for k, v in row.items() if k in columns}))

    counting: asyncio.Task[dict[Any, int]] | None = None

    async def count_all() -> dict[Any, int]:
        grouped = (
            await queryset.filter(**{f"{partition}__in": list(parents)})
            .group_by(partition)
            .annotate(total=Count("id"))
            .values(partition, "total")
        )
        return {row[partition]: row["total"] for row in grouped}

    def count_of(parent: Any) -> Callable[[], Awaitable[int]]:
        async def count() -> int:
            nonlocal counting
            if counting is None:
                counting = asyncio.ensure_future(count_all())
            return (await counting).get(parent, 0)

        return count

    return [_page(found[parent], scan, ordering, request, count_of(parent)) for parent in parents]
