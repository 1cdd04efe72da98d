"""The Starlette application: GraphQL at /graphql, GraphiQL for browsers, /healthz.

Run with ``uvicorn server:create_app --factory`` or ``python manage.py serve``.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import orjson
from graphql import GraphQLError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from strawberry.asgi import GraphQL
from strawberry.types import ExecutionResult

from context import Context, build_context
from db import meter
from db.availability import DatabaseLimits, DatabaseUnavailable, database_unavailable_in
from db.health import check_database, describe
from db.lifecycle import open_database
from db.read_connections import ReadPool
from db.redis import redis_client
from schema import build_schema
from settings import Settings
from web.cached_reads import CachedReads, namespace_of
from web.calendar import calendar_feed
from web.front_door import front_door
from web.graphiql import GRAPHIQL_ASSET_PREFIX, graphiql_assets_app, graphiql_page
from web.identity import identify
from web.planned_queries import PLAN_TRIED, PlannedQueries, unavailable_response
from web.rate_limits import RateLimiter

log = logging.getLogger(__name__)

NODE_MODULES = Path(__file__).resolve().parent / "node_modules"


class DirectoryGraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI view with our context and a GraphiQL page that needs no CDN."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(
            build_schema(
                max_depth=settings.max_query_depth,
                max_page_size=settings.max_page_size,
                max_tokens=settings.max_query_tokens,
                max_aliases=settings.max_aliases,
                max_root_fields=settings.max_root_fields,
            ),
            graphql_ide="graphiql" if settings.graphiql else None,
            allow_queries_via_get=True,
        )
        self.settings = settings

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        return build_context(request, response, self.settings)

    async def execute_operation(
        self,
        request: Request,
        request_adapter: Any,
        request_data: Any,
        context: Context,
        root_value: Any,
        sub_response: Any,
    ) -> Any:
        """A planned query runs its read plan (``plan``); everything else, and any client mistake, the resolvers."""
        tried = request.scope.get(PLAN_TRIED, False)
        try:
            if context.read_plans and not tried and not isinstance(request_data, list) and request_data.query:
                result = await self.schema.execute_plan(  # type: ignore[attr-defined]
                    request_data.query, request_data.operation_name, request_data.variables, context
                )
                if result is not None:
                    return result
            result = await super().execute_operation(
                request, request_adapter, request_data, context, root_value, sub_response
            )
        except DatabaseUnavailable as error:
            result = ExecutionResult(data=None, errors=[GraphQLError(str(error), original_error=error)])
        if database_unavailable_in(result):
            sub_response.status_code = 503
            sub_response.headers["Retry-After"] = "1"
        return result

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse(graphiql_page())


GC_YOUNG_THRESHOLD = 20_000
"""Allocations between two collections of the youngest generation (Python's default: 700)."""


def settle_garbage_collector() -> None:
    """Keep the cyclic garbage collector off the objects that live as long as the process.

    A read builds thousands of short-lived dicts and lists that reference
    counting frees; with Python's defaults the collector still runs every 700
    allocations and, now and then, walks every object of the schema and the
    plans. Objects made at startup are frozen out of its scans, and the young
    generation is collected less often (the same policy large Python services use).
    """
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, middle, old)


IDENTIFIED_PATHS = frozenset({"/graphql", "/calendar.ics"})
"""Paths whose answers depend on the caller (``web.identity``)."""


class DirectoryApp(Starlette):
    """The Starlette application, with planned queries answered before routing (``web.planned_queries``)."""

    def __init__(
        self, planned: PlannedQueries, cached_reads: CachedReads, settings: Settings, limiter: RateLimiter, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.planned = planned
        self.cached_reads = cached_reads
        self.settings = settings
        self.limiter = limiter
        self.front_door = front_door(self.dispatch, settings)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.front_door(scope, receive, send)

    async def dispatch(self, scope: Any, receive: Any, send: Any) -> None:
        """The request, once through the front door (``web.front_door``): identified, rate-limited, answered."""
        if scope["type"] != "http" or scope["path"] not in IDENTIFIED_PATHS:
            await super().__call__(scope, receive, send)
            return
        try:
            refusal = await identify(scope, self.settings.api_key_secret)
        except DatabaseUnavailable as error:
            refusal = unavailable_response(error)
        # Counted even when the key was refused (by address, then): guessing keys is limited too.
        refusal = await self.limiter.admit(scope) or refusal
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        try:
            if self.cached_reads.wants(scope):
                await self.cached_reads.handle(scope, receive, send, self._route)
            else:
                await self._route(scope, receive, send)
        finally:
            await self.limiter.charge(scope)

    async def _route(self, scope: Any, receive: Any, send: Any) -> None:
        if self.planned.wants(scope):
            scope["app"] = self
            await self.planned.handle(scope, receive, send, super().__call__)
        else:
            await super().__call__(scope, receive, send)


async def healthz(request: Request) -> JSONResponse:
    """200 when the database answers, 503 when it does not; asked outside the pools, so never stuck behind them."""
    database = await check_database(request.app.settings.database_url)
    redis = await request.app.limiter.redis_status()
    shown = {"database": database.status} | ({"redis": redis} if redis is not None else {})
    if not database.ok:
        return JSONResponse({"status": "unavailable", **shown}, status_code=503)
    if redis not in (None, "ok"):
        if not request.app.settings.rate_limit_fail_open:
            return JSONResponse({"status": "unavailable", **shown}, status_code=503)
        return JSONResponse({"status": "degraded", **shown})
    return JSONResponse({"status": "ok", **shown})


async def database_unavailable(request: Request, error: Exception) -> Response:
    """503 with the reason, for a route whose database did not answer (the calendar): never a 500."""
    return PlainTextResponse(str(error), status_code=503, headers={"Retry-After": "1"})


def create_app(settings: Settings | None = None) -> DirectoryApp:
    """Build the application; the database opens and closes with its lifespan."""
    settings = settings or Settings.from_env()
    meter.install()
    limits = DatabaseLimits(settings.db_statement_timeout, settings.db_acquire_timeout)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        database = await check_database(settings.database_url)
        if not database.ok:
            log.error("Not starting: the database %s is %s (%s).", describe(settings.database_url), database.status, database.detail)
            raise RuntimeError(f"the database {describe(settings.database_url)} is {database.status}")
        async with open_database(settings.database_url, limits):
            settle_garbage_collector()
            read_pool = (
                ReadPool(settings.database_url, settings.read_pool_size, limits=limits) if settings.on_postgres else None
            )
            try:
                yield {"read_pool": read_pool}
            finally:
                await cached_reads.close()
                await limiter.close()
                if read_pool is not None:
                    await read_pool.close()

    limiter = RateLimiter(settings, redis_client(settings.redis_url))
    graphql = DirectoryGraphQL(settings)
    routes: list[Any] = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/calendar.ics", calendar_feed, methods=["GET"]),
    ]
    if settings.graphiql:
        routes.append(Mount(GRAPHIQL_ASSET_PREFIX, app=graphiql_assets_app(NODE_MODULES)))
    cached_reads = CachedReads(settings, namespace_of(graphql.schema.as_str(), settings))
    return DirectoryApp(
        PlannedQueries(graphql, settings),
        cached_reads,
        settings,
        limiter,
        routes=routes,
        lifespan=lifespan,
        debug=False,
        exception_handlers={DatabaseUnavailable: database_unavailable},
    )
