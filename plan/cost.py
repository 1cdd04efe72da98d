"""What an operation can cost, known before its first statement: the most rows it can produce, and its statements.

Rows are counted as GitHub counts its node limit: every object a field can
return, multiplied by the page sizes of the connections above it. A
connection counts ``first`` or ``last`` (the default page size when neither is
given) rows per parent; ``nodes(ids:)`` and ``_entities`` count their list; a
plain list of objects (dates, locations, former names, thematic areas, the
``path`` of a membership) counts at most ``LIST_BOUND``; a single object counts
one. Statements count the fields that read the database: each connection
(one more for ``totalCount``), each list of rows and each entity reached by a
key, at any depth (one per field, whatever the number of parents).

The same count serves both read paths: over ``MAX_QUERY_COST`` the operation
is refused with ``COST_LIMIT`` before it reaches the database, and every
answer reports its cost in ``extensions.cost``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    ListValueNode,
    Node,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_leaf_type,
)
from graphql.execution.values import get_argument_values, get_variable_values

from plan.documents import BoundedCache

SIZE_ARGUMENTS = frozenset({"first", "last", "ids", "representations"})
"""Arguments whose values change what an operation costs."""

LIST_BOUND = 20
"""Objects counted for a plain list field (the lists that are not connections are short by nature)."""


@dataclass(frozen=True)
class Cost:
    """The most rows an operation can produce, and how many statements it runs at most."""

    rows: int
    statements: int
    lookups: int = 0
    """Entities looked up by key: the ids of every ``nodes`` and the representations of every ``_entities``."""

    def as_json(self) -> dict[str, int]:
        return {"rows": self.rows, "statements": self.statements}


class EntityLimitError(GraphQLError):
    """An operation that looks up more entities by key than the limit (``MAX_ENTITIES``): refused before it runs."""

    def __init__(self, lookups: int, limit: int) -> None:
        super().__init__(
            f"This operation looks up {lookups:,} entities by key (`nodes` ids and `_entities` representations, "
            f"all aliases together), over the limit of {limit:,} (MAX_ENTITIES).",
            extensions={"code": "QUERY_TOO_COMPLEX", "limit": "MAX_ENTITIES", "max": limit, "found": lookups},
        )


def limit_error(cost: Cost, max_cost: int, max_entities: int) -> GraphQLError | None:
    """The error refusing an operation of this cost, or None when it is within the limits."""
    if cost.lookups > max_entities:
        return EntityLimitError(cost.lookups, max_entities)
    if cost.rows > max_cost:
        return CostLimitError(cost, max_cost)
    return None


class CostLimitError(GraphQLError):
    """An operation that could produce more rows than the limit: refused before it runs."""

    def __init__(self, cost: Cost, limit: int) -> None:
        super().__init__(
            f"This operation could produce up to {cost.rows:,} rows, over the limit of {limit:,}: ask for smaller "
            "pages (first/last) or fewer nested lists.",
            extensions={"code": "COST_LIMIT", "cost": cost.rows, "limit": limit},
        )


def _list_of_objects(type_: Any) -> bool:
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


class _Counter:
    def __init__(
        self, schema: GraphQLSchema, document: DocumentNode, variables: Any, default_page: int, max_page: int
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.default_page = default_page
        self.max_page = max_page
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.rows = 0
        self.statements = 0
        self.lookups = 0

    def fields(
        self, selection_set: SelectionSetNode | None, type_: Any, seen: frozenset[str] = frozenset()
    ) -> list[tuple[FieldNode, Any]]:
        """The fields of a selection on a type (on any of its possible types, for an abstract one)."""
        found: list[tuple[FieldNode, Any]] = []
        if selection_set is None:
            return found
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                found.append((selection, type_))
            elif isinstance(selection, InlineFragmentNode):
                condition = (
                    self.schema.get_type(selection.type_condition.name.value) if selection.type_condition else type_
                )
                found.extend(self.fields(selection.selection_set, condition or type_, seen))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    condition = self.schema.get_type(fragment.type_condition.name.value)
                    found.extend(self.fields(fragment.selection_set, condition or type_, seen | {name}))
        return found

    def field_definition(self, type_: Any, name: str) -> Any:
        candidates = [type_]
        if isinstance(type_, GraphQLUnionType):
            candidates = list(type_.types)
        elif isinstance(type_, GraphQLInterfaceType):
            candidates = [type_, *self.schema.get_implementations(type_).objects]
        for candidate in candidates:
            definition = getattr(candidate, "fields", {}).get(name)
            if definition is not None:
                return definition
        return None

    def walk(self, selection_set: SelectionSetNode | None, type_: Any, multiplier: int, root: bool = False) -> None:
        for node, parent in self.fields(selection_set, type_):
            name = node.name.value
            if name.startswith("__"):
                continue
            definition = self.field_definition(parent, name)
            if definition is None:
                continue
            named = get_named_type(definition.type)
            if is_leaf_type(named):
                continue
            arguments = self.arguments(definition, node)
            if isinstance(named, GraphQLObjectType) and "pageInfo" in named.fields and "nodes" in named.fields:
                size = self.page_size(arguments)
                self.statements += 1
                inner = [n for n, _ in self.fields(node.selection_set, named) if n.name.value == "totalCount"]
                self.statements += 1 if inner else 0
                node_type = get_named_type(named.fields["nodes"].type)
                for child, _ in self.fields(node.selection_set, named):
                    if child.name.value == "nodes":
                        self.count(child, node_type, multiplier * size)
                    elif child.name.value == "edges":
                        edge_type = get_named_type(named.fields["edges"].type)
                        for edge_child, _ in self.fields(child.selection_set, edge_type):
                            if edge_child.name.value == "node":
                                self.count(edge_child, node_type, multiplier * size)
                continue
            size = 1
            if _list_of_objects(definition.type):
                if root and name == "nodes":
                    size = len(arguments.get("ids") or ())
                    self.lookups += size
                elif root and name == "_entities":
                    size = len(arguments.get("representations") or ())
                    self.lookups += size
                else:
                    size = LIST_BOUND
            if node.selection_set is not None and not self.is_value_type(named):
                self.statements += 1
            self.count(node, named, multiplier * size)

    def count(self, node: FieldNode, type_: Any, rows: int) -> None:
        self.rows += rows
        self.walk(node.selection_set, type_, rows)

    def is_value_type(self, named: Any) -> bool:
        from plan.types import ROW_TYPES

        if isinstance(named, GraphQLUnionType | GraphQLInterfaceType):
            return False
        return named.name not in ROW_TYPES

    def arguments(self, definition: Any, node: FieldNode) -> dict[str, Any]:
        try:
            return dict(get_argument_values(definition, node, self.variables))
        except GraphQLError:
            return {}

    def page_size(self, arguments: dict[str, Any]) -> int:
        sizes = [value for value in (arguments.get("first"), arguments.get("last")) if isinstance(value, int)]
        if not sizes:
            return self.default_page
        return max(0, min(max(sizes), self.max_page))


def cost_of(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    *,
    default_page: int,
    max_page: int,
) -> Cost:
    """The cost of the operation of ``document`` named ``operation_name`` (the only one when None)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen: Sequence[OperationDefinitionNode] = [
        o for o in operations if operation_name is None or (o.name is not None and o.name.value == operation_name)
    ]
    if len(chosen) != 1:
        return Cost(0, 0)
    operation = chosen[0]
    root = schema.get_root_type(operation.operation)
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables or {})
    if isinstance(coerced, list):  # the variables do not fit: the operation is refused before any cost
        return Cost(0, 0)
    counter = _Counter(schema, document, coerced, default_page, max_page)
    counter.walk(operation.selection_set, root, 1, root=True)
    return Cost(counter.rows, counter.statements, counter.lookups)


def _variables_in(node: Node) -> Iterator[str]:
    if isinstance(node, VariableNode):
        yield node.name.value
    elif isinstance(node, ListValueNode):
        for value in node.values:
            yield from _variables_in(value)
    elif isinstance(node, ObjectValueNode):
        for field in node.fields:
            yield from _variables_in(field.value)


def size_variables(document: DocumentNode) -> tuple[str, ...]:
    """The variables a document passes to ``first``, ``last``, ``ids`` or ``representations``: all its cost depends on."""
    found: set[str] = set()
    stack: list[Any] = list(document.definitions)
    while stack:
        node = stack.pop()
        if isinstance(node, FieldNode):
            for argument in node.arguments or ():
                if argument.name.value in SIZE_ARGUMENTS:
                    found.update(_variables_in(argument.value))
        selection_set = getattr(node, "selection_set", None)
        if selection_set is not None:
            stack.extend(selection_set.selections)
    return tuple(sorted(found))


class CostCache:
    """Costs already counted, by document, operation and the values of its size variables (small documents only,
    bounded in bytes, least recent out).

    An operation whose sizes are literals (``first: 20``) costs the same
    whatever its other variables: it is counted once.
    """

    def __init__(self) -> None:
        self._costs: BoundedCache[tuple[str, str | None, bytes], Cost] = BoundedCache()

    def cost(
        self,
        schema: GraphQLSchema,
        query: str,
        document: DocumentNode,
        sizes: tuple[str, ...],
        operation_name: str | None,
        variables: dict[str, Any] | None,
        *,
        default_page: int,
        max_page: int,
    ) -> Cost:
        """``cost_of`` the operation (``query`` parsed as ``document``), counted once per value of its size variables."""
        given = variables or {}
        try:
            values = orjson.dumps([given.get(name) for name in sizes])
        except TypeError:
            values = repr([given.get(name) for name in sizes]).encode()
        key = (query, operation_name, values)
        found = self._costs.get(key)
        if found is not None:
            return found
        found = cost_of(schema, document, operation_name, variables, default_page=default_page, max_page=max_page)
        self._costs.put(key, found, len(query) + len(values))
        return found
