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
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError, GraphQLSchema, NamedTypeNode, NonNullTypeNode, specified_rules
from graphql.execution.get_variable_signature import get_variable_signature
from graphql.execution.values import VariableValues, VariableValueSource, get_variable_values
from strawberry.schema.schema import validate_document

from db.availability import DatabaseUnavailable
from domain.errors import ClientError
from plan.answer_keys import FieldAnswers
from plan.compile import UNKNOWN as _UNKNOWN
from plan.compile import Compiler, NotPlannable, Plan
from plan.cost import CostCache, size_variables
from plan.documents import BoundedCache, DocumentCache, check_operation_name
from plan.execute import Run, execute
from queries.sql import current_dialect

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Planned:
    """The outcome of planning one document and operation name."""

    plan: Plan | None
    reason: str = ""
    document: Any = None
    """The parsed document (for its cost)."""
    sizes: tuple[str, ...] = ()
    """The variables its cost depends on (``plan.cost.size_variables``)."""


_PLAIN_SCALARS: dict[str, type] = {"String": str, "ID": str, "Boolean": bool}
"""Scalars whose JSON values coerce to themselves."""


def plain_signatures(schema: GraphQLSchema, plan: Plan) -> dict[str, tuple[Any, type, bool]] | None:
    """Per variable: its signature, the Python type of its value and whether it is required; None when any
    variable is not a plain string, ID or boolean without a default (those go through graphql-core)."""
    found: dict[str, tuple[Any, type, bool]] = {}
    for definition in plan.operation.variable_definitions or ():
        type_node = definition.type
        required = isinstance(type_node, NonNullTypeNode)
        named = type_node.type if isinstance(type_node, NonNullTypeNode) else type_node
        accepted = _PLAIN_SCALARS.get(named.name.value) if isinstance(named, NamedTypeNode) else None
        signature = get_variable_signature(schema, definition)
        if accepted is None or definition.default_value is not None or isinstance(signature, GraphQLError):
            return None
        found[definition.variable.name.value] = (signature, accepted, required)
    return found


def plain_variables(signatures: dict[str, tuple[Any, type, bool]], given: dict[str, Any] | None) -> Any:
    """The variables as graphql-core would coerce them, when every one is given with a plain value; else None."""
    given = given or {}
    if len(given) != len(signatures):
        return None
    sources = {}
    for name, (signature, accepted, required) in signatures.items():
        value = given.get(name, _ABSENT)
        if value is _ABSENT or (value is None and required) or (value is not None and type(value) is not accepted):
            return None
        sources[name] = VariableValueSource(signature, value)
    return VariableValues(sources, dict(given))


_ABSENT = object()


class Planner:
    """Plans and runs the query operations of one schema."""

    def __init__(self, schema: Any, rules: tuple[Any, ...] = (), documents: DocumentCache | None = None) -> None:
        self.schema = schema
        self.rules = (*specified_rules, *rules)
        self.compiler = Compiler(schema._schema)
        self.documents = documents or DocumentCache(max_tokens=10_000)
        self._cache: BoundedCache[tuple[str, str | None], Planned] = BoundedCache()
        self.hits = 0
        self.misses = 0
        self.costs = CostCache()

    def plan(self, query: str, operation_name: str | None) -> Planned:
        """The plan of an operation (cached), or why there is none."""
        key = (query, operation_name)
        found = self._cache.get(key)
        if found is not None:
            self.hits += 1
            return found
        self.misses += 1
        found = self._compile(query, operation_name)
        self._cache.put(key, found, len(query))
        return found

    def _compile(self, query: str, operation_name: str | None) -> Planned:
        try:
            document = self.documents.parse(query)
            check_operation_name(document, operation_name)
        except GraphQLError:
            return Planned(None, "does not parse")
        if validate_document(self.schema._schema, document, self.rules):
            return Planned(None, "does not validate")
        try:
            return Planned(
                self.compiler.compile(document, operation_name), document=document, sizes=size_variables(document)
            )
        except NotPlannable as reason:
            return Planned(None, str(reason))

    async def execute(
        self, plan: Plan, variables: dict[str, Any] | None, context: Any, answers: FieldAnswers | None = None
    ) -> tuple[dict[str, Any], Run] | None:
        """The ``data`` of a planned operation, or None when the resolvers must answer (a client mistake).

        With ``answers``, root fields' answers kept there are used, and those made by a successful run kept.
        """
        signatures = plan.plain_signatures
        if signatures is _UNKNOWN:
            signatures = plan.plain_signatures = plain_signatures(self.schema._schema, plan)
        coerced = plain_variables(signatures, variables) if signatures is not None else None
        if coerced is None:
            coerced = get_variable_values(
                self.schema._schema, plan.operation.variable_definitions or (), variables or {}
            )
            if isinstance(coerced, list):
                return None
        run = Run(
            self.schema._schema,
            self.schema.config,
            self.schema.schema_converter.scalar_registry,
            context.viewer,
            context.settings,
            coerced,
            current_dialect(),
            variables,
        )
        try:
            data = await execute(plan, run, answers)
        except (ClientError, GraphQLError):
            return None
        except DatabaseUnavailable:
            raise  # the resolvers would wait for the same database: the request fails now, with a 503
        except Exception:
            log.exception("read plan failed; answering through the resolvers")
            return None
        if answers is not None:
            for key, value in run.answers_to_keep:
                await answers.set(key, value)
        return data, run
