"""What the answer of one root field depends on in its document, so that it can be cached on its own.

Pages of the intranet compose different operations from the same root fields
(a network's members, an organization's card), and one operation often asks
for several of them under aliases. A root field's answer depends only on the
field itself: its name, its arguments and its selection (fragments inlined),
the values of the variables it uses, and, as for a whole answer, who asks,
the data version and the day. ``field_text`` writes the first part once per
plan: the field's text without its alias, fragments written out in place,
variables numbered in the order they appear (so that ``$s0`` of one alias and
``$s3`` of another share the text), followed by each variable's type and
default. ``field_values`` gives the second part per request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import orjson
from graphql import (
    DirectiveNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    SelectionSetNode,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    print_ast,
)


class _NotKeyable(Exception):
    """The field uses what the text does not capture (fragment arguments): its answer is not cached alone."""


class _Printer:
    """Writes selections with fragments inlined and variables numbered."""

    def __init__(self, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.variables: list[str] = []

    def variable(self, name: str) -> str:
        if name not in self.variables:
            self.variables.append(name)
        return f"${self.variables.index(name)}"

    def value(self, node: ValueNode) -> str:
        if isinstance(node, VariableNode):
            return self.variable(node.name.value)
        if isinstance(node, ListValueNode):
            return "[" + ",".join(self.value(item) for item in node.values) + "]"
        if isinstance(node, ObjectValueNode):
            return "{" + ",".join(f"{item.name.value}:{self.value(item.value)}" for item in node.fields) + "}"
        return print_ast(node)

    def arguments(self, nodes: Sequence[Any] | None) -> str:
        if not nodes:
            return ""
        return "(" + ",".join(f"{node.name.value}:{self.value(node.value)}" for node in nodes) + ")"

    def directives(self, nodes: Sequence[DirectiveNode] | None) -> str:
        return "".join(f"@{node.name.value}{self.arguments(node.arguments)}" for node in nodes or ())

    def field(self, node: FieldNode, alias: bool = True) -> str:
        named = f"{node.alias.value}:" if alias and node.alias else ""
        return (
            f"{named}{node.name.value}{self.arguments(node.arguments)}{self.directives(node.directives)}"
            f"{self.selections(node.selection_set)}"
        )

    def selections(self, selection_set: SelectionSetNode | None) -> str:
        if selection_set is None:
            return ""
        parts = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                parts.append(self.field(selection))
            elif isinstance(selection, InlineFragmentNode):
                condition = f" on {selection.type_condition.name.value}" if selection.type_condition else ""
                parts.append(f"...{condition}{self.directives(selection.directives)}{self.selections(selection.selection_set)}")
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
                if getattr(selection, "arguments", None) or getattr(fragment, "variable_definitions", None):
                    raise _NotKeyable
                parts.append(
                    f"... on {fragment.type_condition.name.value}{self.directives(selection.directives)}"
                    f"{self.directives(fragment.directives)}{self.selections(fragment.selection_set)}"
                )
        return "{" + " ".join(parts) + "}"


def field_text(
    nodes: Sequence[FieldNode],
    fragments: dict[str, FragmentDefinitionNode],
    definitions: Sequence[VariableDefinitionNode],
) -> tuple[str, tuple[str, ...]] | None:
    """A root field's text (``nodes``, its alias left out) and the names of the variables it uses, in order;
    None when its answer is not to be cached on its own."""
    printer = _Printer(fragments)
    try:
        text = "&".join(printer.field(node, alias=False) for node in nodes)
    except _NotKeyable:
        return None
    by_name = {definition.variable.name.value: definition for definition in definitions}
    for number, name in enumerate(printer.variables):
        definition = by_name[name]
        default = f"={print_ast(definition.default_value)}" if definition.default_value is not None else ""
        text += f"\n${number}:{print_ast(definition.type)}{default}"
    return text, tuple(printer.variables)


def field_values(names: tuple[str, ...], variables: dict[str, Any] | None) -> bytes:
    """The values the request gives the variables ``names``, in order, as JSON with sorted keys: ``[value]``
    for a variable given (null included), ``[]`` for one left out (its default applies)."""
    given = variables or {}
    return orjson.dumps([[given[name]] if name in given else [] for name in names], option=orjson.OPT_SORT_KEYS)


class FieldAnswers(Protocol):
    """Where the answers of root fields are kept for one request (``web.response_cache.FieldAnswerCache``)."""

    def key(self, text: str, values: bytes) -> str:
        """The key of a root field's answer: its text (``field_text``), its values (``field_values``) and
        whatever else the request's answers depend on (who asks, the data version, the day)."""

    async def get(self, key: str) -> bytes | None:
        """A root field's answer as JSON, if kept."""

    async def set(self, key: str, value: bytes) -> None:
        """Keep a root field's answer (JSON)."""
