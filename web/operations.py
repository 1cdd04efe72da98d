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
    reader = _ClockReader()
    visit(parsed, reader)
    return DocumentFacts(operations, reader.found)


def cacheable(document: str, operation_name: str | None) -> bool:
    """Whether the answer to this operation may be cached: a query that does not read the clock."""
    facts = document_facts(document)
    return facts is not None and facts.is_query(operation_name) and not facts.reads_clock
