"""The one way the directory writes SQL for both databases: a ``Statement`` that binds its parameters.

Text is built with f-strings from names chosen here (tables, columns, SQL
keywords); every value a client gives goes through ``bind`` and reaches the
database as a parameter, never as text. ``bind`` returns a numbered
placeholder (``?1`` on SQLite, ``$1`` on PostgreSQL), so a statement may be
put together in any order and use a placeholder twice, and it adapts the
value (days as ISO text on SQLite).

A list of keys is one parameter (``any_of``): an array on PostgreSQL
(``= ANY($1)``), a JSON array on SQLite (``IN (SELECT value FROM
json_each(?))``). The text of a statement therefore does not change with the
number of keys, and PostgreSQL prepares it once per connection.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient

from db.read_connections import current_reader
from domain.errors import ClientError

SQLITE = "sqlite"
POSTGRES = "postgres"


def connection() -> BaseDBAsyncClient:
    """The database connection of this request (the pinned one while a read is running)."""
    return Tortoise.get_connection("default")


def dialect_of(client: BaseDBAsyncClient) -> str:
    """``sqlite`` or ``postgres``."""
    dialect = str(client.capabilities.dialect)
    if dialect not in (SQLITE, POSTGRES):
        raise NotImplementedError(f"The directory runs on SQLite and PostgreSQL, not {dialect}.")
    return dialect


MAX_INTEGER = 2**63 - 1
"""Largest integer either database stores (PostgreSQL's bigint)."""


def check_value(value: Any) -> None:
    """ClientError for a value no database takes: text with a NUL character, an instant outside years 1–9999 in UTC,
    an integer beyond 64 bits. Such values can only come from a client (PostgreSQL would refuse them with an error)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ClientError("Text values cannot contain the NUL character (U+0000).")
    elif isinstance(value, datetime):
        if value.tzinfo is not None:
            try:
                value.astimezone(UTC)
            except OverflowError:
                raise ClientError(
                    f"The instant {value.isoformat()} is out of range: it falls outside the years 1 to 9999 in UTC."
                ) from None
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
        raise ClientError("The number is out of range.")


class Statement:
    """SQL text under construction and the values of its placeholders, for one dialect."""

    __slots__ = ("dialect", "params")

    def __init__(self, dialect: str) -> None:
        self.dialect = dialect
        self.params: list[Any] = []

    @property
    def sqlite(self) -> bool:
        return self.dialect == SQLITE

    def bind(self, value: Any) -> str:
        """The placeholder of one value, bound as a parameter (``check_value``: a client's value neither database takes
        is refused)."""
        check_value(value)
        if self.sqlite:
            if isinstance(value, datetime):
                value = value.astimezone(UTC).isoformat(sep=" ")  # as Tortoise stores instants on SQLite
            elif isinstance(value, date):
                value = value.isoformat()
        self.params.append(value)
        return f"?{len(self.params)}" if self.sqlite else f"${len(self.params)}"

    def any_of(self, column: str, values: Sequence[Any]) -> str:
        """``column`` equals one of ``values``, with the whole list as one parameter."""
        for value in values:
            check_value(value)
        if self.sqlite:
            return f"{column} IN (SELECT value FROM json_each({self.bind(json.dumps(list(values)))}))"
        return f"{column} = ANY({self.bind(list(values))})"

    def true(self) -> str:
        """The literal true (SQLite has no boolean type)."""
        return "1" if self.sqlite else "TRUE"

    def false(self) -> str:
        """The literal false."""
        return "0" if self.sqlite else "FALSE"

    def year_month(self, column: str) -> str:
        """``YYYY-MM`` of a date column."""
        return f"strftime('%Y-%m', {column})" if self.sqlite else f"to_char({column}, 'YYYY-MM')"


def current_dialect() -> str:
    """The dialect of this request's database."""
    if current_reader() is not None:
        return POSTGRES
    return dialect_of(connection())


def statement() -> Statement:
    """A new statement for the dialect of this request's database."""
    return Statement(current_dialect())


async def fetch(sql: str, statement: Statement) -> list[Any]:
    """Run a SELECT for this request; rows read by position (``row[0]``) or name (``row["id"]``).

    A read plan's statements go through its reader (``db.read_connections``),
    the others through Tortoise's connection of the request.
    """
    reader = current_reader()
    if reader is not None:
        return await reader.fetch(sql, statement.params)
    _, rows = await connection().execute_query(sql, statement.params)
    return list(rows)


async def fetch_dicts(sql: str, statement: Statement) -> list[dict[str, Any]]:
    """Run a SELECT for this request; rows as dicts."""
    reader = current_reader()
    if reader is not None:
        return [dict(row) for row in await reader.fetch(sql, statement.params)]
    return list(await connection().execute_query_dict(sql, statement.params))
