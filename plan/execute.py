"""Running a read plan: level by level, each step once for all the parents of its level.

``Run.fill_plan`` fills the fields of a selection, in response order, for a
list of parents and their output dicts; a step that fetches rows (``plan.steps``)
runs one statement for all the parents and fills its children's selection on
the rows it got. The output is plain dicts and lists, encoded once at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from graphql import GraphQLSchema, get_named_type
from graphql.execution.values import VariableValues, get_argument_values
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema_converter import get_arguments
from strawberry.types.arguments import convert_argument
from strawberry.types.base import StrawberryMaybe, StrawberryOptional

from domain.access import Viewer
from models.dates import Certainty
from plan.answer_keys import FieldAnswers, field_text, field_values
from plan.compile import UNKNOWN, FieldPlan, ObjectPlan, Plan
from plan.rows import ModelRow, adapt, column_json, raw_of, to_json
from plan.steps import ImmediateStep
from queries.batch import Relation, rows_by
from queries.pages import Page, PageRequest
from queries.tables import Table
from settings import Settings

_PLAIN_TYPES = (str, int, bool, str | None, int | None, bool | None)
"""Argument types whose coerced GraphQL value is already what the resolver receives."""


class Run:
    """One execution of a plan: the caller, the variables, and what the steps share."""

    def __init__(
        self,
        graphql_schema: GraphQLSchema,
        config: StrawberryConfig,
        scalar_registry: Any,
        viewer: Viewer,
        settings: Settings,
        variables: VariableValues,
        dialect: str,
        given: dict[str, Any] | None = None,
    ) -> None:
        self.graphql_schema = graphql_schema
        self.config = config
        self.scalar_registry = scalar_registry
        self.viewer = viewer
        self.settings = settings
        self.variables = variables
        self.dialect = dialect
        self.given = given
        """The variables as the request gave them (JSON), for the keys of root fields' answers."""
        self.answers_to_keep: list[tuple[str, bytes]] = []
        """Root fields' answers this run made, by key, for the caller to keep once the whole run succeeded."""
        self._raw: dict[int, dict[str, Any]] = {}
        self._lists: dict[tuple[Relation, tuple[Any, ...]], dict[Any, list[Any]]] = {}
        self._converted: dict[int, dict[str, Any]] = {}

    # ------- arguments -------

    def raw_arguments(self, plan: FieldPlan) -> dict[str, Any]:
        """The field's arguments as GraphQL coerced them (variables substituted, defaults applied)."""
        key = id(plan)
        if key not in self._raw:
            self._raw[key] = get_argument_values(plan.definition, plan.nodes[0], self.variables)
        return self._raw[key]

    def arguments(self, plan: FieldPlan) -> dict[str, Any]:
        """The field's arguments as its resolver receives them (input types built, omitted ones UNSET).

        Arguments without variables are the same on every run: the plan keeps them.
        """
        if plan.static_arguments is not None:
            return plan.static_arguments
        key = id(plan)
        if key not in self._converted:
            raw = self.raw_arguments(plan)
            converted: dict[str, Any] = {}
            for argument, name, plain, optional in self._argument_names(plan):
                if name not in raw:  # an omitted argument takes its resolver's default (UNSET when it has none)
                    converted[argument.python_name] = argument.default
                elif plain or (optional and raw[name] is None):  # null of an optional type is None
                    converted[argument.python_name] = raw[name]
                else:
                    converted[argument.python_name] = convert_argument(
                        raw[name], argument.type, self.scalar_registry, self.config, path=(name,)
                    )
            self._converted[key] = converted
            if not plan.uses_variables:
                plan.static_arguments = converted
        return self._converted[key]

    def _argument_names(self, plan: FieldPlan) -> list[tuple[Any, str, bool, bool]]:
        """Each argument of the field's resolver, its GraphQL name, whether its value needs no conversion, and
        whether its type is a plain optional one (its null is None)."""
        if plan.argument_names is None:
            arguments = plan.strawberry_field.arguments if plan.strawberry_field is not None else []
            plan.argument_names = [
                (
                    argument,
                    self.config.name_converter.from_argument(argument),
                    argument.type in _PLAIN_TYPES,
                    isinstance(argument.type, StrawberryOptional) and not isinstance(argument.type, StrawberryMaybe),
                )
                for argument in arguments
            ]
        return plan.argument_names

    def page_request(self, arguments: dict[str, Any]) -> PageRequest:
        """``first``/``after``/``last``/``before`` checked against the settings' page sizes."""
        pagination = {name: arguments.get(name) for name in ("first", "after", "last", "before")}
        return PageRequest(**pagination).validated(self.settings.default_page_size, self.settings.max_page_size)

    def codec(self, table: Table | None, column: str) -> Any:
        if table is None:
            return to_json
        return column_json(table, column, self.dialect)

    # ------- fetching -------

    async def rows(
        self, relation: Relation, keys: Sequence[Any], plan: FieldPlan, type_name: str | None = None
    ) -> dict[Any, list[Any]]:
        """Rows of a relation by key, with the columns the field's selection reads (one statement)."""
        if not keys:
            return {}
        table = relation.table
        columns = _columns_for(plan, table, type_name)
        return await rows_by(relation, keys, self.viewer, columns)

    async def every_row(self, relation: Relation, keys: Sequence[Any]) -> dict[Any, list[Any]]:
        """Every column of the relation's rows by key, fetched once per run for the same keys (small lists)."""
        wanted = tuple(dict.fromkeys(keys))
        cache_key = (relation, wanted)
        if cache_key not in self._lists:
            self._lists[cache_key] = await rows_by(relation, wanted, self.viewer) if wanted else {}
        return self._lists[cache_key]

    # ------- filling selections -------

    async def fill_plan(self, plan: ObjectPlan, parents: Sequence[Any], outputs: list[dict[str, Any]]) -> None:
        """Every field of a selection, in response order, for every parent."""
        for field in plan.fields:
            step = field.step
            if isinstance(step, ImmediateStep):
                step.fill_now(field, parents, outputs, self)
            else:
                await step.fill(field, parents, outputs, self)

    def _child(self, plan: FieldPlan, type_name: str | None = None) -> ObjectPlan:
        if type_name is not None:
            return plan.children[type_name]
        (child,) = plan.children.values()
        return child

    async def fill_objects(
        self, plan: FieldPlan, table: Table, children: Sequence[Any], outputs: list[dict[str, Any]]
    ) -> None:
        """A to-one field: each parent's child row (or None) filled with the field's selection."""
        child = self._child(plan)
        present = [(i, adapt(row, table)) for i, row in enumerate(children) if row is not None]
        filled: list[dict[str, Any]] = [{} for _ in present]
        await self.fill_plan(child, [row for _, row in present], filled)
        values: list[Any] = [None] * len(children)
        for (i, _), output in zip(present, filled, strict=True):
            values[i] = output
        for output, value in zip(outputs, values, strict=True):
            output[plan.key] = value

    async def fill_typed(
        self, plan: FieldPlan, typed: Sequence[tuple[str, Any] | None], outputs: list[dict[str, Any]]
    ) -> None:
        """A field of a union type: each parent's child row with the selection of its own type."""
        from plan.types import ROW_TYPES

        values: list[Any] = [None] * len(typed)
        by_type: dict[str, list[tuple[int, Any]]] = {}
        for i, item in enumerate(typed):
            if item is not None:
                by_type.setdefault(item[0], []).append((i, item[1]))
        for type_name, items in by_type.items():
            child = plan.children[type_name]
            rows = [adapt(row, ROW_TYPES[type_name]) for _, row in items]
            filled: list[dict[str, Any]] = [{} for _ in items]
            await self.fill_plan(child, rows, filled)
            for (i, _), output in zip(items, filled, strict=True):
                values[i] = output
        for output, value in zip(outputs, values, strict=True):
            output[plan.key] = value

    async def fill_typed_list(self, plan: FieldPlan, value: Any, outputs: list[dict[str, Any]]) -> None:
        """A root field of an abstract type: one (type name, row) or None, or a list of them."""
        items = value if isinstance(value, list) else [value]
        filled: list[dict[str, Any]] = [{} for _ in items]
        await self.fill_typed(plan, items, filled)
        results = [output[plan.key] for output in filled]
        outputs[0][plan.key] = results if isinstance(value, list) else results[0]

    async def fill_lists(
        self, plan: FieldPlan, table: Table, lists: Sequence[Sequence[Any]], outputs: list[dict[str, Any]]
    ) -> None:
        """A list field: each parent's rows, filled with the field's selection in one pass over all of them."""
        child = self._child(plan)
        flat = [adapt(row, table) for rows in lists for row in rows]
        filled: list[dict[str, Any]] = [{} for _ in flat]
        await self.fill_plan(child, flat, filled)
        position = 0
        for output, rows in zip(outputs, lists, strict=True):
            output[plan.key] = filled[position : position + len(rows)]
            position += len(rows)

    async def fill_pages(
        self, plan: FieldPlan, table: Table, pages: Sequence[Page | None], outputs: list[dict[str, Any]]
    ) -> None:
        """A connection field: each parent's page as ``{edges, nodes, pageInfo, totalCount}`` as selected."""
        assert plan.connection is not None
        flat = [adapt(row, table) for page in pages if page is not None for row in page.rows]
        by_nodes = await self._filled(plan.children, flat)
        by_edges = await self._filled(plan.edge_children, flat)
        position = 0
        for output, page in zip(outputs, pages, strict=True):
            if page is None:
                output[plan.key] = None
                continue
            size = len(page.rows)
            connection: dict[str, Any] = {}
            for key, name, sub in plan.connection.fields:
                if name == "nodes":
                    connection[key] = by_nodes[position : position + size]
                elif name == "edges":
                    edge_type = _edge_type(plan)
                    connection[key] = [
                        _edge(sub, cursor, node, edge_type)
                        for cursor, node in zip(page.cursors, by_edges[position : position + size], strict=True)
                    ]
                elif name == "pageInfo":
                    connection[key] = _page_info(sub, page)
                elif name == "totalCount":
                    connection[key] = int(await page.total())
                elif name == "__typename":
                    connection[key] = get_named_type(plan.definition.type).name
            output[plan.key] = connection
            position += size

    async def _filled(self, children: dict[str, ObjectPlan], rows: list[Any]) -> list[Any]:
        if not children:
            return [None] * len(rows)
        (child,) = children.values()
        filled: list[dict[str, Any]] = [{} for _ in rows]
        await self.fill_plan(child, rows, filled)
        return filled

    async def fill_values(self, plan: FieldPlan, values: Sequence[Any], outputs: list[dict[str, Any]]) -> None:
        """A field whose values were computed in Python: scalars as JSON, objects filled with their selection."""
        key = plan.key
        if not plan.children:
            for output, value in zip(outputs, values, strict=True):
                output[key] = [to_json(item) for item in value] if isinstance(value, list) else to_json(value)
            return
        if plan.connection is not None:
            from plan.types import ROW_TYPES

            (type_name,) = plan.children or plan.edge_children
            pages = [getattr(value, "page", value) if value is not None else None for value in values]
            await self.fill_pages(plan, ROW_TYPES[type_name], pages, outputs)
            return
        flat: list[tuple[int, int | None, Any]] = []
        for i, value in enumerate(values):
            if isinstance(value, list):
                flat.extend((i, j, item) for j, item in enumerate(value))
            elif value is not None:
                flat.append((i, None, value))
        results: list[Any] = [None] * len(values)
        for i, value in enumerate(values):
            if isinstance(value, list):
                results[i] = [None] * len(value)
        by_type: dict[str, list[tuple[int, int | None, Any]]] = {}
        for item in flat:
            by_type.setdefault(self._type_of(plan, item[2]), []).append(item)
        for type_name, items in by_type.items():
            child = plan.children[type_name]
            objects = [adapt(item[2], child.table) if child.table is not None else item[2] for item in items]
            filled: list[dict[str, Any]] = [{} for _ in items]
            await self.fill_plan(child, objects, filled)
            for (i, j, _), output in zip(items, filled, strict=True):
                if j is None:
                    results[i] = output
                else:
                    results[i][j] = output
        for output, result in zip(outputs, results, strict=True):
            output[key] = result

    def _type_of(self, plan: FieldPlan, value: Any) -> str:
        if len(plan.children) == 1:
            return next(iter(plan.children))
        for type_name in plan.children:
            definition = self.graphql_schema.get_type(type_name)
            strawberry_type = definition.extensions.get("strawberry-definition") if definition else None
            is_type_of = getattr(getattr(strawberry_type, "origin", None), "is_type_of", None)
            if is_type_of is not None and is_type_of(value, None):
                return type_name
        raise TypeError(f"cannot tell the type of {value!r}")


def _columns_for(plan: FieldPlan, table: Table, type_name: str | None) -> list[str]:
    if type_name is None:
        return plan.child_columns(table)
    child = plan.children.get(type_name)
    return list(child.columns) if child is not None else ["id"]


def _edge_type(plan: FieldPlan) -> str:
    connection = get_named_type(plan.definition.type)
    return get_named_type(connection.fields["edges"].type).name  # type: ignore[attr-defined]


def _edge(fields: list[tuple[str, str]], cursor: str, node: Any, type_name: str) -> dict[str, Any]:
    edge: dict[str, Any] = {}
    for key, name in fields:
        if name == "cursor":
            edge[key] = cursor
        elif name == "node":
            edge[key] = node
        elif name == "__typename":
            edge[key] = type_name
    return edge


def _page_info(fields: list[tuple[str, str]], page: Page) -> dict[str, Any]:
    values = {
        "hasNextPage": page.has_next_page,
        "hasPreviousPage": page.has_previous_page,
        "startCursor": page.cursors[0] if page.cursors else None,
        "endCursor": page.cursors[-1] if page.cursors else None,
        "__typename": "PageInfo",
    }
    return {key: values[name] for key, name in fields}


async def execute(plan: Plan, run: Run, answers: FieldAnswers | None = None) -> dict[str, Any]:
    """The ``data`` of a planned operation: root fields in response order, aliases of a lookup together.

    With ``answers``, for an operation of several root fields that read rows,
    a root field whose answer is kept there is not run: its JSON goes into the
    output as it is (``orjson.Fragment``). The answers of the root fields that
    ran are left in ``run.answers_to_keep``. (An operation of one such field
    is cached whole, by the response cache: its field would be kept twice.)
    """
    output: dict[str, Any] = dict.fromkeys(field.key for field in plan.root.fields)
    groups = plan.root_groups
    to_keep: list[tuple[str, str]] = []
    if answers is not None and plan.reading_root_fields > 1:
        answered = await _kept_answers(plan, run, answers, output, to_keep)
        if answered:
            groups = [kept for group in groups if (kept := [field for field in group if field.key not in answered])]
    for group in groups:
        if len(group) == 1:
            await group[0].step.fill(group[0], [None], [output], run)
        else:
            await group[0].step.fill_together(group, output, run)  # type: ignore[attr-defined]
    for key, response_key in to_keep:
        value = orjson.dumps(output[response_key])
        output[response_key] = orjson.Fragment(value)
        run.answers_to_keep.append((key, value))
    return output


async def _kept_answers(
    plan: Plan, run: Run, answers: FieldAnswers, output: dict[str, Any], to_keep: list[tuple[str, str]]
) -> set[str]:
    """Fill the root fields whose answers are kept; the response keys filled. The others' keys go to ``to_keep``."""
    answered: set[str] = set()
    for field in plan.root.fields:
        if isinstance(field.step, ImmediateStep):
            continue  # nothing to save: it reads no rows
        text = field.answer_text
        if text is UNKNOWN:
            text = field.answer_text = field_text(field.nodes, plan.fragments, plan.operation.variable_definitions or ())
        if text is None:
            continue
        key = answers.key(text[0], field_values(text[1], run.given))
        found = await answers.get(key)
        if found is None:
            to_keep.append((key, field.key))
        else:
            output[field.key] = orjson.Fragment(found)
            answered.add(field.key)
    return answered


__all__ = ["Certainty", "ModelRow", "Run", "adapt", "execute", "get_arguments", "raw_of"]
