"""What a document asks for, as far as caching cares: which operation is a query, and whether it reads the clock.

Only query operations are cached. An answer that depends on the instant it
was made is not cached either: ``ApplicationCall.isOpen`` without ``at``
answers for now. (``asOf`` omitted answers for today, and the day is part of
the key: ``web.response_cache``.)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from graphql import FieldNode, GraphQLError, OperationDefinitionNode, OperationType, parse, visit
from graphql.language import Visitor

NOW_FIELDS = {"isOpen": "at"}
"""Fields that answer for the current instant when the named argument is omitted."""


@dataclass(frozen=True)
class DocumentFacts:
    """Each operation's type, by name (None for an anonymous one), and whether any field reads the clock."""

    operations: dict[str | None, OperationType]
    reads_clock: bool
    data_free: frozenset[str | None]
    """Operations whose root fields are all meta fields (``__typename``, ``__schema``, ``__type``): no data read."""

    def is_query(self, operation_name: str | None) -> bool:
        """Whether the operation the request runs is a query (and exists, unambiguously)."""
        if operation_name is None:
            if len(self.operations) != 1:
                return False
            return next(iter(self.operations.values())) is OperationType.QUERY
        return self.operations.get(operation_name) is OperationType.QUERY


class _ClockReader(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def enter_field(self, node: FieldNode, *_: object) -> None:
        argument = NOW_FIELDS.get(node.name.value)
        if argument is not None and not any(a.name.value == argument for a in node.arguments or ()):
            self.found = True


@lru_cache(maxsize=1024)
def document_facts(document: str) -> DocumentFacts | None:
    """The facts of a document, None when it does not parse (the executor reports that)."""
    try:
        parsed = parse(document)
    except GraphQLError:
        return None
    operations = {
        (node.name.value if node.name else None): node.operation
        for node in parsed.definitions
        if isinstance(node, OperationDefinitionNode)
    }
    data_free = frozenset(
        (node.name.value if node.name else None)
        for node in parsed.definitions
        if isinstance(node, OperationDefinitionNode)
        and all(
            isinstance(selection, FieldNode) and selection.name.value.startswith("__")
            for selection in node.selection_set.selections
        )
    )
    reader = _ClockReader()
    visit(parsed, reader)
    return DocumentFacts(operations, reader.found, data_free)


def cacheable(document: str, operation_name: str | None) -> bool:
    """Whether the answer to this operation may be cached: a query that does not read the clock."""
    facts = document_facts(document)
    return facts is not None and facts.is_query(operation_name) and not facts.reads_clock


def reads_no_data(document: str, operation_name: str | None) -> bool:
    """Whether the operation asks only for meta fields: its answer depends on the schema alone, not on the data."""
    facts = document_facts(document)
    if facts is None:
        return False
    if operation_name is None and len(facts.operations) == 1:
        operation_name = next(iter(facts.operations))
    return operation_name in facts.data_free
