"""Count SQL statements and the time spent in them, per request.

``install()`` wraps the execute methods of Tortoise's database clients once
per process. A request that wants figures opens ``metering()``; statements
issued by any task running in that context are added to its ``Meter``.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

_EXECUTE_METHODS = ("execute_query", "execute_query_dict", "execute_insert", "execute_many", "execute_script")


@dataclass
class Meter:
    """SQL statements issued while the meter was current, and their total duration."""

    statements: int = 0
    seconds: float = 0.0
    sql: list[str] = field(default_factory=list)
    outer: Meter | None = None
    """The meter that was current when this one was opened: it counts this one's statements too."""

    def add(self, sql: str, seconds: float) -> None:
        """Count one statement here and in every enclosing meter."""
        meter: Meter | None = self
        while meter is not None:
            meter.statements += 1
            meter.seconds += seconds
            meter.sql.append(sql)
            meter = meter.outer

    @property
    def milliseconds(self) -> float:
        """Time spent waiting on the database, in milliseconds."""
        return self.seconds * 1000


_current: ContextVar[Meter | None] = ContextVar("sql_meter", default=None)


def _metered(method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(method)
    async def wrapper(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        meter = _current.get()
        if meter is None:
            return await method(self, query, *args, **kwargs)
        started = time.perf_counter()
        try:
            return await method(self, query, *args, **kwargs)
        finally:
            meter.add(query, time.perf_counter() - started)

    wrapper.__metered__ = True  # type: ignore[attr-defined]
    return wrapper


def count_statement(sql: str, seconds: float) -> None:
    """Add one statement sent outside Tortoise (``db.read_connections``) to the current meter, if any."""
    meter = _current.get()
    if meter is not None:
        meter.add(sql, seconds)


def install() -> None:
    """Wrap the execute methods of the SQLite and PostgreSQL clients (idempotent)."""
    from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
    from tortoise.backends.sqlite.client import SqliteClient, SqliteTransactionWrapper

    for cls in (SqliteClient, SqliteTransactionWrapper, AsyncpgDBClient, TransactionWrapper):
        for name in _EXECUTE_METHODS:
            method = cls.__dict__.get(name)
            if method is not None and not getattr(method, "__metered__", False):
                setattr(cls, name, _metered(method))


@contextmanager
def metering() -> Iterator[Meter]:
    """Make a fresh meter current for the block and yield it (an enclosing meter counts its statements too)."""
    meter = Meter(outer=_current.get())
    token = _current.set(meter)
    try:
        yield meter
    finally:
        _current.reset(token)
