"""Read plans: a query operation compiled once, then run level by level with one statement per step.

``Planner.plan(query, operation_name)`` parses, validates (with the schema's
own rules) and compiles a document once and keeps the result (a ``Plan``, or
None when the operation is not plannable) in a bounded cache.
``Planner.execute`` runs a plan for one request and returns its ``data``, or
None when the request must go through the resolvers instead: the variables
do not coerce, or an argument is wrong (the resolvers then report the error
exactly as they always do). The resolvers stay the reference: a differential
test runs every query both ways and requires the same answer.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError, parse, specified_rules
from graphql.execution.values import get_variable_values
from strawberry.schema.schema import validate_document

from domain.errors import ClientError
from plan.compile import Compiler, NotPlannable, Plan
from plan.execute import Run, execute
from queries.sql import connection, dialect_of

log = logging.getLogger(__name__)

CACHE_SIZE = 512
"""Documents whose plans (or whose not being plannable) are kept."""


@dataclass(frozen=True)
class Planned:
    """The outcome of planning one document and operation name."""

    plan: Plan | None
    reason: str = ""
    document: Any = None
    """The parsed document (for its cost)."""


class Planner:
    """Plans and runs the query operations of one schema."""

    def __init__(self, schema: Any, rules: tuple[Any, ...] = ()) -> None:
        self.schema = schema
        self.rules = (*specified_rules, *rules)
        self.compiler = Compiler(schema._schema)
        self._cache: OrderedDict[tuple[str, str | None], Planned] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def plan(self, query: str, operation_name: str | None) -> Planned:
        """The plan of an operation (cached), or why there is none."""
        key = (query, operation_name)
        found = self._cache.get(key)
        if found is not None:
            self.hits += 1
            self._cache.move_to_end(key)
            return found
        self.misses += 1
        found = self._compile(query, operation_name)
        self._cache[key] = found
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return found

    def _compile(self, query: str, operation_name: str | None) -> Planned:
        try:
            document = parse(query)
        except GraphQLError:
            return Planned(None, "does not parse")
        if validate_document(self.schema._schema, document, self.rules):
            return Planned(None, "does not validate")
        try:
            return Planned(self.compiler.compile(document, operation_name), document=document)
        except NotPlannable as reason:
            return Planned(None, str(reason))

    async def execute(
        self, plan: Plan, variables: dict[str, Any] | None, context: Any
    ) -> tuple[dict[str, Any], Run] | None:
        """The ``data`` of a planned operation, or None when the resolvers must answer (a client mistake)."""
        coerced = get_variable_values(self.schema._schema, plan.operation.variable_definitions or (), variables or {})
        if isinstance(coerced, list):
            return None
        run = Run(
            self.schema._schema,
            self.schema.config,
            self.schema.schema_converter.scalar_registry,
            context.viewer,
            context.settings,
            coerced,
            dialect_of(connection()),
        )
        try:
            return await execute(plan, run), run
        except (ClientError, GraphQLError):
            return None
        except Exception:
            log.exception("read plan failed; answering through the resolvers")
            return None
