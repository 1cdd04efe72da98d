"""Rows as the read plans see them, and the JSON values of GraphQL's scalars.

A ``RowView`` (``queries.rows``) wraps a database row (asyncpg ``Record`` or ``sqlite3.Row``)
and reads its columns as the model would: ``view.since_earliest`` is a
``date`` on both databases, ``view.kind`` the enum member. So the plans call
the same small functions the resolvers call (``read_partial_date``,
``range_edtf``, ``country_of``...), on the rows of one statement, without an
ORM instance per row.

``column_json`` turns a column straight into its JSON value for the plain
attribute fields, the hot path: strings and numbers as they come, days as ISO
text, JSON arrays parsed, booleans as booleans.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from enum import Enum
from functools import cache
from typing import Any

import asyncpg
import orjson
from tortoise.fields import BooleanField, DateField, DatetimeField, JSONField, TimeField

from queries.networks import ReachedMembership
from queries.rows import RowView, fields_of
from queries.sql import SQLITE
from queries.tables import Table
from resolvers.time import OnDay

Codec = Callable[[Any], Any]


def to_json(value: Any) -> Any:
    """The JSON value of a Python scalar as Strawberry serializes it (enums by name, days and times in ISO)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def same(value: Any) -> Any:
    """The value as it is (a column whose raw value is already its JSON value)."""
    return value


def _boolean(value: Any) -> Any:
    return None if value is None else bool(value)


def _iso(value: Any) -> Any:
    return None if value is None else value.isoformat()


def _json(value: Any) -> Any:
    return orjson.loads(value) if isinstance(value, str | bytes) else value


@cache
def column_json(table: Table, column: str, dialect: str) -> Codec:
    """How the raw value of ``table.column`` becomes its JSON value on ``dialect``."""
    field = fields_of(table).get(column)
    if isinstance(field, BooleanField):
        return _boolean
    if isinstance(field, JSONField):
        return _json
    if isinstance(field, DateField) and not isinstance(field, DatetimeField):
        return same if dialect == SQLITE else _iso
    if isinstance(field, DatetimeField | TimeField):
        return lambda value: to_json(field.to_python_value(value)) if value is not None else None
    return same


class ModelRow:
    """A model instance read like a ``RowView`` (its attributes are already typed)."""

    __slots__ = ("instance",)

    def __init__(self, instance: Any) -> None:
        self.instance = instance

    def __getattr__(self, name: str) -> Any:
        return getattr(self.instance, name)

    def __getitem__(self, name: str) -> Any:
        return getattr(self.instance, name)

    @property
    def row(self) -> ModelRow:
        return self


def raw_of(parent: Any) -> Any:
    """The row whose columns a plain field reads, under the wrappers of dated rows and walks."""
    kind = type(parent)
    if kind is RowView:  # the usual parents first: a row, a row on a day
        return parent.row
    if kind is OnDay and type(parent.row) is RowView:
        return parent.row.row
    while True:
        if isinstance(parent, RowView | ModelRow):
            return parent.row
        if isinstance(parent, OnDay):
            parent = parent.row
        elif isinstance(parent, ReachedMembership):
            parent = parent.membership
        else:
            return ModelRow(parent)


def adapt(row: Any, table: Table) -> Any:
    """A parent the steps can read: database rows are viewed through their table, model instances as such."""
    kind = type(row)
    if kind in _DATABASE_ROWS:  # the usual case first
        return RowView(row, table)
    if row is None or kind in _VIEWS:
        return row
    if hasattr(row, "_meta"):  # a model instance
        return ModelRow(row)
    return RowView(row, table)


_DATABASE_ROWS = frozenset({asyncpg.Record, sqlite3.Row})
"""The types of the rows the drivers return."""
_VIEWS = frozenset({RowView, ModelRow, OnDay, ReachedMembership})
"""Parents that are already read as rows."""
