"""Turning a Tortoise queryset into SQL text and parameters, to nest it in a hand-written statement."""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient


def parameterized(queryset: Any) -> tuple[str, list[Any], BaseDBAsyncClient]:
    """(SQL with the dialect's placeholders, its parameters, the connection to run it on)."""
    queryset._choose_db_if_not_chosen()
    queryset._make_query()
    sql, params = queryset.query.get_parameterized_sql()
    return sql, list(params), queryset._db


def next_placeholder(connection: BaseDBAsyncClient, params: list[Any]) -> str:
    """The placeholder of one more parameter after ``params``: ``?`` on SQLite, ``$n`` on PostgreSQL."""
    return "?" if connection.capabilities.dialect == "sqlite" else f"${len(params) + 1}"
