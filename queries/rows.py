"""A database row read like a model instance, without making one.

``RowView(row, table)`` reads ``row``'s columns (asyncpg ``Record`` or
``sqlite3.Row``) through the table's model fields: ``view.since_earliest`` is a
``date`` on both databases, ``view.kind`` the enum member.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from tortoise.fields.base import Field

from queries.tables import Table


class RowView:
    """A database row read through its table's fields (typed attribute access); other columns come raw."""

    __slots__ = ("_fields", "_row")

    def __init__(self, row: Any, table: Table) -> None:
        self._row = row
        self._fields = fields_of(table)

    def __getattr__(self, name: str) -> Any:
        try:
            value = self._row[name]
        except (KeyError, IndexError):
            raise AttributeError(name) from None
        field = self._fields.get(name)
        return value if value is None or field is None else field.to_python_value(value)

    def __getitem__(self, name: str) -> Any:
        return self._row[name]

    @property
    def row(self) -> Any:
        """The database row itself."""
        return self._row


@cache
def fields_of(table: Table) -> dict[str, Field]:
    """The model field of each column of the table."""
    meta = table.model._meta
    return {name: field for name, field in meta.fields_map.items() if name in meta.db_fields}
