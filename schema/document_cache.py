"""Strawberry's parse and validation steps through the schema's bounded document caches (``plan.documents``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from plan.documents import DocumentCache, check_operation_name


class CachedDocuments(SchemaExtension):
    """Parses and validates through the schema's ``DocumentCache`` (Strawberry's ParserCache and ValidationCache, bounded)."""

    def __init__(self, cache: DocumentCache, *, execution_context: Any = None) -> None:
        self.cache = cache

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query:
            try:
                context.graphql_document = self.cache.parse(context.query)
            except GraphQLSyntaxError as error:
                error.extensions = {**(error.extensions or {}), "code": "GRAPHQL_PARSE_FAILED"}
                raise
            check_operation_name(context.graphql_document, context._provided_operation_name)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and context.query:
            context.pre_execution_errors = self.cache.validate(
                context.schema._schema, context.query, context.graphql_document, tuple(context.validation_rules)
            )
        yield
