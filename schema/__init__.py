"""The GraphQL schema (an Apollo Federation v2 subgraph) and its printed SDL."""

from __future__ import annotations

import time
from contextlib import nullcontext
from typing import Any, Final

import strawberry
from graphql import GraphQLError
from strawberry.extensions import AddValidationRules, MaskErrors
from strawberry.extensions.query_depth_limiter import create_validator
from strawberry.federation.schema import FederationAny
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionResult

from context import record_cost
from db.meter import metering
from db.pinning import pinned_connection
from db.read_connections import reading
from plan import Planner
from plan.answer_keys import FieldAnswers
from plan.cost import limit_error
from plan.documents import DocumentCache
from resolvers.lookup import representation_error
from schema.document_cache import CachedDocuments
from schema.error_codes import ErrorCodes
from schema.extensions import CostLimit, OneConnectionPerQuery, RequestStats, should_mask, stats_of
from schema.limits import limits_rule
from schema.mutations import Mutation
from schema.query import Query

FEDERATION_VERSION: Final = "2.7"
"""Federation spec version the SDL links to; supergraph routers must support at least this."""


class DirectorySchema(strawberry.federation.Schema):
    """The federation schema, logging only the errors that are ours to fix.

    ``_entities`` answers a representation that names no entity type (not an
    object, no or an unknown ``__typename``) with an error in that entry only;
    Strawberry's own resolver would fail the whole field.
    """

    def entities_resolver(self, info: strawberry.Info, representations: list[FederationAny]) -> list[FederationAny]:
        errors = [representation_error(representation) for representation in representations]
        valid = [representation for representation, error in zip(representations, errors, strict=True) if error is None]
        resolved = iter(super().entities_resolver(info, valid))
        return [next(resolved) if error is None else error for error in errors]  # type: ignore[misc]

    planner: Planner
    """Compiles and runs read plans (``plan``); the resolvers answer what it cannot."""

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        super().process_errors([error for error in errors if should_mask(error)], execution_context)

    async def execute_plan(
        self, query: str, operation_name: str | None, variables: Any, context: Any, answers: FieldAnswers | None = None
    ) -> ExecutionResult | None:
        """The answer of a planned query operation, or None when the resolvers must answer.

        With ``answers`` (``plan.answer_keys``), root fields' answers are taken from there and kept there; the
        ``data`` may then hold ``orjson.Fragment`` values, JSON to be written as it is.
        """
        planned = self.planner.plan(query, operation_name)
        if planned.plan is None:
            return None
        settings = context.settings
        cost = self.planner.costs.cost(
            self._schema,
            query,
            planned.document,
            planned.sizes,
            operation_name,
            variables,
            default_page=settings.default_page_size,
            max_page=settings.max_page_size,
        )
        if limit_error(cost, settings.max_query_cost, settings.max_entities) is not None:
            return None  # the resolvers' CostLimit refuses it, as it refuses any operation
        record_cost(context, cost.rows)
        started = time.perf_counter()
        with metering() if context.wants_stats else nullcontext() as meter:
            async with reading(context.read_pool) if context.read_pool else pinned_connection():
                ran = await self.planner.execute(planned.plan, variables, context, answers)
        if ran is None:
            return None
        data, _ = ran
        extensions: dict[str, Any] = {"cost": cost.as_json()}
        if meter is not None:
            extensions["stats"] = {**stats_of(meter, started), "engine": "plan"}
        return ExecutionResult(data=data, errors=None, extensions=extensions)


def build_schema(
    *,
    max_depth: int = 12,
    max_page_size: int = 100,
    max_tokens: int = 10_000,
    max_aliases: int = 100,
    max_root_fields: int = 50,
) -> DirectorySchema:
    """The directory's schema with its caches, limits and error masking.

    The depth and limits rules are built once: the validation cache is keyed by
    the rule classes, so a rule class made per request would miss the cache every time.
    """
    depth_rule = create_validator(max_depth, None, None)
    request_limits = limits_rule(max_aliases, max_root_fields)
    documents = DocumentCache(max_tokens)
    schema = DirectorySchema(
        query=Query,
        mutation=Mutation,
        federation_version=FEDERATION_VERSION,
        config=StrawberryConfig(relay_max_results=max_page_size),
        extensions=[
            lambda: CachedDocuments(documents),
            lambda: AddValidationRules([depth_rule, request_limits]),
            ErrorCodes,
            RequestStats,
            CostLimit,
            OneConnectionPerQuery,
            lambda: MaskErrors(should_mask_error=should_mask),
        ],
    )
    schema.planner = Planner(schema, (depth_rule, request_limits), documents)
    return schema


def print_sdl() -> str:
    """The schema's SDL as checked in to schema.graphql."""
    return str(build_schema().as_str()) + "\n"
