"""Limits on what one document may ask, checked while it is validated (so before anything runs, on both read paths).

``MAX_ALIASES``: aliased fields in the whole document; ``MAX_ROOT_FIELDS``:
fields at the root of any operation (through fragments too). Tokens are
limited when parsing (``schema.document_cache``), rows by the cost
(``plan.cost``), and the entities looked up by key by ``MAX_ENTITIES``.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
)
from graphql.language.visitor import SKIP

from plan.documents import too_complex


def _aliases(document: DocumentNode) -> int:
    count = 0
    stack: list[Any] = list(document.definitions)
    while stack:
        node = stack.pop()
        if isinstance(node, FieldNode) and node.alias is not None:
            count += 1
        selection_set = getattr(node, "selection_set", None)
        if selection_set is not None:
            stack.extend(selection_set.selections)
    return count


def _root_fields(selection_set: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode]) -> int:
    count = 0
    seen: set[str] = set()
    stack: list[Any] = list(selection_set.selections)
    while stack:
        node = stack.pop()
        if isinstance(node, FieldNode):
            count += 1
        elif isinstance(node, InlineFragmentNode):
            stack.extend(node.selection_set.selections)
        elif isinstance(node, FragmentSpreadNode) and node.name.value not in seen:
            seen.add(node.name.value)
            fragment = fragments.get(node.name.value)
            if fragment is not None:
                stack.extend(fragment.selection_set.selections)
    return count


def limits_rule(max_aliases: int, max_root_fields: int) -> type[ValidationRule]:
    """The validation rule refusing a document over ``max_aliases`` aliases or ``max_root_fields`` root fields.

    Built once per schema: the validation caches are keyed by the rule classes.
    """

    class RequestLimits(ValidationRule):
        def enter_document(self, node: DocumentNode, *_: Any) -> Any:
            aliases = _aliases(node)
            if aliases > max_aliases:
                self.report_error(
                    too_complex(
                        f"The document has {aliases:,} aliases, over the limit of {max_aliases:,} (MAX_ALIASES).",
                        "MAX_ALIASES",
                        max_aliases,
                        aliases,
                    )
                )
            fragments = {d.name.value: d for d in node.definitions if isinstance(d, FragmentDefinitionNode)}
            for definition in node.definitions:
                if isinstance(definition, OperationDefinitionNode):
                    roots = _root_fields(definition.selection_set, fragments)
                    if roots > max_root_fields:
                        self.report_error(
                            too_complex(
                                f"The operation asks for {roots:,} root fields, over the limit of "
                                f"{max_root_fields:,} (MAX_ROOT_FIELDS).",
                                "MAX_ROOT_FIELDS",
                                max_root_fields,
                                roots,
                            )
                        )
                        break
            return SKIP

    return RequestLimits
