"""Every error of an answer carries ``extensions.code``, so clients can branch on it.

Errors from our code already have one (``domain.errors``, the limits); this
extension gives the others theirs: ``GRAPHQL_PARSE_FAILED`` (syntax),
``GRAPHQL_VALIDATION_FAILED`` (the document does not fit the schema),
``BAD_USER_INPUT`` (a variable or argument value that does not fit its type),
``INTERNAL_SERVER_ERROR`` (a masked error of ours).
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import SchemaExtension

from schema.extensions import PUBLIC_ERRORS


def code_of(error: GraphQLError, validation_errors: list[GraphQLError]) -> str:
    """The code an error without one gets."""
    if isinstance(error, GraphQLSyntaxError):
        return "GRAPHQL_PARSE_FAILED"
    if error.message.startswith("Variable '$") and not error.path and (
        "invalid value" in error.message or "was not provided" in error.message
    ):
        return "BAD_USER_INPUT"  # a variable's value does not fit its type
    if any(error is known for known in validation_errors):
        return "GRAPHQL_VALIDATION_FAILED"
    original = error.original_error
    if original is None or isinstance(original, (GraphQLError, *PUBLIC_ERRORS)):
        return "BAD_USER_INPUT"
    return "INTERNAL_SERVER_ERROR"


class ErrorCodes(SchemaExtension):
    """Sets ``extensions.code`` on the errors that have none (after masking: list it before ``MaskErrors``)."""

    def on_operation(self) -> Iterator[None]:
        yield
        context = self.execution_context
        result = context.result
        if result is None or not result.errors:
            return
        validation_errors = context.pre_execution_errors or []
        for error in result.errors:
            if not (error.extensions or {}).get("code"):
                error.extensions = {**(error.extensions or {}), "code": code_of(error, validation_errors)}
