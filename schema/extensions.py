"""Schema extensions: error masking and per-request cost figures."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.relay.types import GlobalIDValueError
from strawberry.types.graphql import OperationType
from tortoise.exceptions import ValidationError

from db.meter import Meter, metering
from db.pinning import pinned_connection
from domain.errors import ClientError

PUBLIC_ERRORS = (ClientError, GlobalIDValueError, ValidationError)
"""Exceptions whose message helps the client; every other error is masked.

Reads write nothing, so a model ValidationError while resolving comes from a
value the client gave (e.g. a malformed slug or country code in a filter).
"""


def should_mask(error: GraphQLError) -> bool:
    """Mask errors raised while resolving fields, unless they are client errors.

    Errors without a path (syntax, validation, variable values) describe the
    request itself and always reach the client.
    """
    original = error.original_error
    if error.path is None or original is None or isinstance(original, GraphQLError):
        return False
    return not isinstance(original, PUBLIC_ERRORS)


class RequestStats(SchemaExtension):
    """Adds ``extensions.stats`` (sqlStatements, dbMs, totalMs) when the request asks for it."""

    def __init__(self, *, execution_context: Any = None) -> None:
        self._meter: Meter | None = None
        self._started = 0.0

    def on_operation(self) -> Iterator[None]:  # type: ignore[override]
        self._started = time.perf_counter()
        with metering() as meter:
            self._meter = meter
            yield

    def get_results(self) -> dict[str, Any]:
        context = self.execution_context.context
        if self._meter is None or not getattr(context, "wants_stats", False):
            return {}
        return {"stats": stats_of(self._meter, self._started)}


def stats_of(meter: Meter, started: float) -> dict[str, Any]:
    """``extensions.stats``: statements, time waiting on the database, and time in all (since ``started``)."""
    return {
        "sqlStatements": meter.statements,
        "dbMs": round(meter.milliseconds, 3),
        "totalMs": round((time.perf_counter() - started) * 1000, 3),
    }




class OneConnectionPerQuery(SchemaExtension):
    """Runs every statement of a query operation on one database connection."""

    async def on_execute(self) -> AsyncIterator[None]:  # type: ignore[override]
        if self.execution_context.operation_type is OperationType.QUERY:
            async with pinned_connection():
                yield
        else:
            yield
