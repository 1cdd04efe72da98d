"""Schema extensions: error masking and per-request cost figures."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.relay.types import GlobalIDValueError
from strawberry.types.graphql import OperationType
from tortoise.exceptions import ValidationError

from context import Context, record_cost
from db.availability import DatabaseUnavailable
from db.meter import Meter, metering
from db.pinning import pinned_connection
from domain.errors import ClientError
from plan.cost import Cost, CostLimitError, cost_of, limit_error

PUBLIC_ERRORS = (ClientError, GlobalIDValueError, ValidationError, CostLimitError, DatabaseUnavailable)
"""Exceptions whose message helps the client; every other error is masked.

Reads write nothing, so a model ValidationError while resolving comes from a
value the client gave (e.g. a malformed slug or country code in a filter).
"""


def should_mask(error: GraphQLError) -> bool:
    """Mask every error raised by our code, unless it is a client error.

    Errors that GraphQL raises about the request itself (syntax, validation,
    variable values) have no original error, or one tied to a place in the
    document, and always reach the client. An exception that escapes the
    operation as a whole (no path, no place) is ours: masked.
    """
    original = error.original_error
    if original is None or isinstance(original, (GraphQLError, *PUBLIC_ERRORS)):
        return False
    return error.path is not None or not error.locations


class RequestStats(SchemaExtension):
    """Adds ``extensions.stats`` (sqlStatements, dbMs, totalMs) when the request asks for it."""

    def __init__(self, *, execution_context: Any = None) -> None:
        self._meter: Meter | None = None
        self._started = 0.0

    def on_operation(self) -> Iterator[None]:
        self._started = time.perf_counter()
        with metering() as meter:
            self._meter = meter
            yield

    def get_results(self) -> dict[str, Any]:
        context = self.execution_context.context
        if self._meter is None or not getattr(context, "wants_stats", False):
            return {}
        return {"stats": {**stats_of(self._meter, self._started), "engine": "resolvers"}}


def stats_of(meter: Meter, started: float) -> dict[str, Any]:
    """``extensions.stats``: statements, time waiting on the database, and time in all (since ``started``)."""
    return {
        "sqlStatements": meter.statements,
        "dbMs": round(meter.milliseconds, 3),
        "totalMs": round((time.perf_counter() - started) * 1000, 3),
    }




class CostLimit(SchemaExtension):
    """Refuses an operation whose cost (``plan.cost``) is over the limit before it runs; reports the cost of the others."""

    def __init__(self, *, execution_context: Any = None) -> None:
        self.cost: Cost | None = None

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        settings = getattr(context.context, "settings", None)
        if settings is not None and context.graphql_document is not None:
            self.cost = cost_of(
                context.schema._schema,
                context.graphql_document,
                context.operation_name,
                context.variables,
                default_page=settings.default_page_size,
                max_page=settings.max_page_size,
            )
            if isinstance(context.context, Context):
                record_cost(context.context, self.cost.rows)
            refusal = limit_error(self.cost, settings.max_query_cost, settings.max_entities)
            if refusal is not None:
                context.result = GraphQLExecutionResult(data=None, errors=[refusal])
        yield

    def get_results(self) -> dict[str, Any]:
        return {"cost": self.cost.as_json()} if self.cost is not None else {}


class OneConnectionPerQuery(SchemaExtension):
    """Runs every statement of a query operation on one database connection."""

    async def on_execute(self) -> AsyncIterator[None]:
        if self.execution_context.operation_type is OperationType.QUERY:
            async with pinned_connection():
                yield
        else:
            yield
