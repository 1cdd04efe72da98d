"""Compiling an operation into a read plan, once per document and operation name.

The plan mirrors the operation's selections, fragments resolved, one
``FieldPlan`` per response key. Each field is produced by a step
(``plan.steps``):

- the step in the field's metadata (``PLAN``), when it has one;
- a plain column (``Column``) for a field without a resolver on a row type
  (an entity, a link row, a row of a small list), a plain attribute for a
  value type (a country, a partial date, a count);
- the field's own resolver, called per parent, when it does not need the
  request (no ``info``): computed values such as ``country`` or ``founded``.

Anything else makes the operation unplannable and it runs through the
resolvers (``Plan`` is None): mutations and subscriptions, ``@skip`` and
``@include``, introspection, and fields whose resolver needs the request but
that have no step yet (the README lists them).
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_leaf_type,
    print_ast,
)

from plan.steps import PLAN, READS, Column, GlobalId, ImmediateStep, Lookup, Step, Typename
from plan.types import ROW_TYPES, Resolved
from queries.tables import Table


def _has_variable(value: Any) -> bool:
    if isinstance(value, VariableNode):
        return True
    if isinstance(value, ListValueNode):
        return any(_has_variable(item) for item in value.values)
    if isinstance(value, ObjectValueNode):
        return any(_has_variable(item.value) for item in value.fields)
    return False


UNKNOWN: Any = object()
"""Not worked out yet (``Plan.plain_signatures``, ``FieldPlan.answer_text`` before the first run)."""


class NotPlannable(Exception):
    """The operation runs through the resolvers."""


@dataclass
class FieldPlan:
    """One response key of a selection: its field, its step, and the selections of what it returns."""

    key: str
    name: str
    parent_type: str
    table: Table | None
    definition: GraphQLField
    nodes: list[FieldNode]
    step: Step
    children: dict[str, ObjectPlan] = field(default_factory=dict)
    """The selection on each object type the field can return (its nodes' type, for a connection)."""
    connection: ConnectionPlan | None = None
    edge_children: dict[str, ObjectPlan] = field(default_factory=dict)
    """For a connection: the selection under ``edges { node }`` (``children`` is the one under ``nodes``)."""

    argument_names: list[tuple[Any, str, bool, bool]] | None = None
    """Per argument of the resolver: the argument, its GraphQL name, and whether it needs no conversion."""
    static_arguments: dict[str, Any] | None = None
    """The arguments as the resolver receives them, kept by the first run when no variable is among them."""
    answer_text: Any = UNKNOWN
    """For a root field: its text and variables (``plan.answer_keys.field_text``), worked out by the first run
    that caches root fields' answers."""

    @cached_property
    def strawberry_field(self) -> Any:
        return self.definition.extensions.get("strawberry-definition")

    @cached_property
    def shape(self) -> str:
        """The field's name and selection as text: aliases with the same shape produce the same kind of answer."""
        return self.name + "".join(print_ast(node.selection_set) for node in self.nodes if node.selection_set)

    @cached_property
    def uses_variables(self) -> bool:
        """Whether a variable is among the field's arguments (else they are the same on every run)."""
        return any(_has_variable(argument.value) for node in self.nodes for argument in node.arguments or ())

    def child_columns(self, table: Table) -> list[str]:
        """The columns the selections on rows of ``table`` read."""
        known = self._child_columns.get(table.name)
        if known is None:
            found: dict[str, None] = {"id": None}
            for child in (*self.children.values(), *self.edge_children.values()):
                if child.table is table:
                    found.update(dict.fromkeys(child.columns))
            known = self._child_columns[table.name] = list(found)
        return list(known)

    @cached_property
    def _child_columns(self) -> dict[str, list[str]]:
        return {}


@dataclass
class ObjectPlan:
    """The selection on one object type: its fields in response order, and the columns they read."""

    type_name: str
    table: Table | None
    fields: list[FieldPlan]

    @cached_property
    def columns(self) -> tuple[str, ...]:
        """The columns of the rows the selection reads: every column when a resolver reads them as it likes."""
        if self.table is not None and any(
            isinstance(plan.step, Resolved) and plan.step.resolver is not None and plan.step.reads is None
            for plan in self.fields
        ):
            return self.table.columns
        found: dict[str, None] = {"id": None} if self.table is not None else {}
        for plan in self.fields:
            for column in plan.step.columns:
                found[column] = None
        return tuple(found)


@dataclass
class ConnectionPlan:
    """The selection on a connection: which of edges, nodes, pageInfo and totalCount, in response order."""

    fields: list[tuple[str, str, Any]]
    """(response key, field name, sub-selection) in order: for ``edges`` a list of (key, name) of Edge's
    fields, for ``pageInfo`` a list of (key, name) of PageInfo's fields."""



@dataclass
class Plan:
    """A compiled query operation: the plans of its root fields."""

    operation: OperationDefinitionNode
    root: ObjectPlan
    fragments: dict[str, FragmentDefinitionNode] = field(default_factory=dict)
    """The document's fragments, by name."""

    @cached_property
    def root_groups(self) -> list[list[FieldPlan]]:
        """The root fields in response order, aliases of one lookup with the same selection grouped
        (``plan.steps.Lookup``: answered together)."""
        groups: list[list[FieldPlan]] = []
        by_shape: dict[tuple[int, str], list[FieldPlan]] = {}
        for field_plan in self.root.fields:
            if not isinstance(field_plan.step, Lookup):
                groups.append([field_plan])
                continue
            key = (id(field_plan.step), field_plan.shape)
            if key in by_shape:
                by_shape[key].append(field_plan)
            else:
                by_shape[key] = [field_plan]
                groups.append(by_shape[key])
        return groups

    @cached_property
    def reading_root_fields(self) -> int:
        """How many root fields may read rows (those whose step is not an ``ImmediateStep``, like ``__typename``)."""
        return sum(not isinstance(field_plan.step, ImmediateStep) for field_plan in self.root.fields)

    plain_signatures: Any = UNKNOWN
    """The variables' signatures when all are plain scalars (``plan.plain_signatures``), None when not."""


class Compiler:
    """Compiles the operations of one schema."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema

    def compile(self, document: DocumentNode, operation_name: str | None) -> Plan:
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        if operation_name is None:
            if len(operations) != 1:
                raise NotPlannable("several operations and no operation name")
            operation = operations[0]
        else:
            named = [o for o in operations if o.name is not None and o.name.value == operation_name]
            if len(named) != 1:
                raise NotPlannable("no such operation")
            operation = named[0]
        if operation.operation is not OperationType.QUERY:
            raise NotPlannable("only queries are planned")
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        query_type = self.schema.query_type
        assert query_type is not None
        return Plan(operation, self.object_plan(query_type, None, [operation.selection_set]), self.fragments)

    # ------- selections -------

    def _collect(
        self, type_: GraphQLObjectType, selection_sets: Sequence[SelectionSetNode], into: dict[str, list[FieldNode]]
    ) -> None:
        for selection_set in selection_sets:
            for selection in selection_set.selections:
                if selection.directives:
                    raise NotPlannable("directives")
                if isinstance(selection, FieldNode):
                    key = selection.alias.value if selection.alias else selection.name.value
                    into.setdefault(key, []).append(selection)
                elif isinstance(selection, InlineFragmentNode):
                    if selection.type_condition is None or self._applies(selection.type_condition.name.value, type_):
                        self._collect(type_, [selection.selection_set], into)
                elif isinstance(selection, FragmentSpreadNode):
                    fragment = self.fragments.get(selection.name.value)
                    if fragment is None:
                        raise NotPlannable("unknown fragment")
                    if self._applies(fragment.type_condition.name.value, type_):
                        self._collect(type_, [fragment.selection_set], into)

    def _applies(self, condition: str, type_: GraphQLObjectType) -> bool:
        if condition == type_.name:
            return True
        named = self.schema.get_type(condition)
        if isinstance(named, GraphQLInterfaceType):
            return named in type_.interfaces
        if isinstance(named, GraphQLUnionType):
            return type_ in named.types
        return False

    def object_plan(
        self, type_: GraphQLObjectType, table: Table | None, selection_sets: Sequence[SelectionSetNode]
    ) -> ObjectPlan:
        grouped: dict[str, list[FieldNode]] = {}
        self._collect(type_, selection_sets, grouped)
        return ObjectPlan(
            type_.name, table, [self.field_plan(type_, table, key, nodes) for key, nodes in grouped.items()]
        )

    def field_plan(self, parent: GraphQLObjectType, table: Table | None, key: str, nodes: list[FieldNode]) -> FieldPlan:
        name = nodes[0].name.value
        if name == "__typename":
            return FieldPlan(key, name, parent.name, table, _TYPENAME, nodes, Typename())
        if name.startswith("__"):
            raise NotPlannable("introspection")
        definition = parent.fields.get(name)
        if definition is None:
            raise NotPlannable(f"unknown field {parent.name}.{name}")
        strawberry_field = definition.extensions.get("strawberry-definition")
        step = self._step(parent, table, name, strawberry_field)
        plan = FieldPlan(key, name, parent.name, table, definition, nodes, step)
        named = get_named_type(definition.type)
        if not is_leaf_type(named):
            sub = [node.selection_set for node in nodes if node.selection_set is not None]
            self._children(plan, named, sub)
        return plan

    def _children(self, plan: FieldPlan, named: GraphQLNamedType, sub: list[SelectionSetNode]) -> None:
        if isinstance(named, GraphQLObjectType) and named.name.endswith("Connection") and "pageInfo" in named.fields:
            plan.connection, node_type, node_sets, edge_sets = self._connection(named, sub)
            for concrete in self._concrete(node_type):
                table = ROW_TYPES.get(concrete.name)
                if node_sets:
                    plan.children[concrete.name] = self.object_plan(concrete, table, node_sets)
                if edge_sets:
                    plan.edge_children[concrete.name] = self.object_plan(concrete, table, edge_sets)
            return
        for concrete in self._concrete(named):
            plan.children[concrete.name] = self.object_plan(concrete, ROW_TYPES.get(concrete.name), sub)

    def _concrete(self, named: GraphQLNamedType) -> list[GraphQLObjectType]:
        if isinstance(named, GraphQLObjectType):
            return [named]
        if isinstance(named, GraphQLUnionType):
            return list(named.types)
        if isinstance(named, GraphQLInterfaceType):
            return list(self.schema.get_implementations(named).objects)
        raise NotPlannable(f"{named} has no fields")

    def _connection(
        self, type_: GraphQLObjectType, sub: list[SelectionSetNode]
    ) -> tuple[ConnectionPlan, GraphQLNamedType, list[SelectionSetNode], list[SelectionSetNode]]:
        grouped: dict[str, list[FieldNode]] = {}
        self._collect(type_, sub, grouped)
        node_type = get_named_type(type_.fields["nodes"].type)
        node_sets: list[SelectionSetNode] = []
        edge_sets: list[SelectionSetNode] = []
        fields: list[tuple[str, str, Any]] = []
        for key, nodes in grouped.items():
            name = nodes[0].name.value
            inner = [node.selection_set for node in nodes if node.selection_set is not None]
            if name == "nodes":
                node_sets.extend(inner)
                fields.append((key, name, None))
            elif name == "edges":
                edge_type = get_named_type(type_.fields["edges"].type)
                assert isinstance(edge_type, GraphQLObjectType)
                edge: dict[str, list[FieldNode]] = {}
                self._collect(edge_type, inner, edge)
                for edge_nodes in edge.values():
                    if edge_nodes[0].name.value == "node":
                        edge_sets.extend(n.selection_set for n in edge_nodes if n.selection_set is not None)
                fields.append((key, name, [(k, v[0].name.value) for k, v in edge.items()]))
            elif name == "pageInfo":
                info_type = get_named_type(type_.fields["pageInfo"].type)
                assert isinstance(info_type, GraphQLObjectType)
                page_info: dict[str, list[FieldNode]] = {}
                self._collect(info_type, inner, page_info)
                fields.append((key, name, [(k, v[0].name.value) for k, v in page_info.items()]))
            elif name in ("totalCount", "__typename"):
                fields.append((key, name, None))
            else:
                raise NotPlannable(f"connection field {name}")
        return ConnectionPlan(fields), node_type, node_sets, edge_sets

    def _step(self, parent: GraphQLObjectType, table: Table | None, name: str, strawberry_field: Any) -> Step:
        if parent is self.schema.query_type and name == "_entities":
            from plan.fields import ENTITIES  # federation adds this field; its step is the directory's own

            return ENTITIES
        if strawberry_field is None:
            raise NotPlannable(f"{parent.name}.{name} is not a Strawberry field")
        planned = strawberry_field.metadata.get(PLAN)
        if planned is not None:
            return planned
        if name == "id" and table is not None:
            return GlobalId()
        resolver = strawberry_field.base_resolver
        if resolver is None:
            if table is not None:
                if strawberry_field.python_name not in table.columns:
                    raise NotPlannable(f"{parent.name}.{name} is no column of {table.name}")
                return Column(strawberry_field.python_name)
            return Resolved(None, strawberry_field.python_name)
        parameters = inspect.signature(resolver.wrapped_func).parameters
        if resolver.info_parameter is not None or "info" in parameters:
            raise NotPlannable(f"{parent.name}.{name} needs the request and has no plan step")
        reads = strawberry_field.metadata.get(READS)
        return Resolved(resolver, strawberry_field.python_name, tuple(reads) if reads is not None else None)


_TYPENAME: Any = None
