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
    """SQL statements issued while the meter was current, and the wall time during which any was running.

    Statements of one request may overlap (sibling fields load together):
    ``seconds`` counts the time during which at least one statement was
    running, never the same instant twice, so it is at most the request's
    own duration.
    """

    statements: int = 0
    seconds: float = 0.0
    sql: list[str] = field(default_factory=list)
    outer: Meter | None = None
    """The meter that was current when this one was opened: it counts this one's statements too."""
    _running: int = 0
    _busy_since: float = 0.0

    def enclosing(self) -> Iterator[Meter]:
        """This meter and every meter it is nested in."""
        meter: Meter | None = self
        while meter is not None:
            yield meter
            meter = meter.outer

    @property
    def milliseconds(self) -> float:
        """Time during which the database was working for the request, in milliseconds."""
        running = time.perf_counter() - self._busy_since if self._running else 0.0
        return (self.seconds + running) * 1000

    def started(self) -> None:
        """A statement was sent."""
        if self._running == 0:
            self._busy_since = time.perf_counter()
        self._running += 1

    def finished(self, sql: str) -> None:
        """A statement sent with ``started`` has answered (or failed)."""
        self._running -= 1
        if self._running == 0:
            self.seconds += time.perf_counter() - self._busy_since
        self.statements += 1
        self.sql.append(sql)


_current: ContextVar[Meter | None] = ContextVar("sql_meter", default=None)


@contextmanager
def timed(sql: str) -> Iterator[None]:
    """Count the statement run inside the block in the current meter, if any."""
    meter = _current.get()
    if meter is None:
        yield
        return
    meters = list(meter.enclosing())
    for each in meters:
        each.started()
    try:
        yield
    finally:
        for each in meters:
            each.finished(sql)


def _metered(method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(method)
    async def wrapper(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        with timed(query):
            return await method(self, query, *args, **kwargs)

    wrapper.__metered__ = True  # type: ignore[attr-defined]
    return wrapper


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
