"""The per-request GraphQL context: settings, the caller, and fresh loaders."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from starlette.requests import Request
from starlette.responses import Response

from db.read_connections import ReadPool
from domain.access import PUBLIC, Viewer
from loaders import Loaders
from settings import Settings
from web.asgi import header
from web.identity import viewer_of


@dataclass
class Context:
    """What every resolver receives as ``info.context``."""

    request: Request
    response: Response | None
    settings: Settings
    viewer: Viewer = PUBLIC
    wants_stats: bool = False
    read_plans: bool = True
    """Whether planned queries run their read plan (``plan``) rather than the resolvers."""
    read_pool: ReadPool | None = None
    """The connections of read plans on PostgreSQL (``db.read_connections``); None on SQLite."""

    @cached_property
    def loaders(self) -> Loaders:
        """This request's loaders, made when a resolver first needs one (read plans need none)."""
        return Loaders(self.viewer)


OPERATION_COST = "directory.cost"
"""ASGI scope key holding the cost (rows, ``plan.cost``) of the operation a request ran, for the rate limits."""


def record_cost(context: Context, rows: int) -> None:
    """Note the cost of the request's operation (``web.rate_limits`` charges it to the client)."""
    context.request.scope[OPERATION_COST] = rows


def build_context(request: Request, response: Response | None, settings: Settings) -> Context:
    """A fresh context for one request, for the caller ``web.identity`` found (anonymous: PUBLIC)."""
    scope = request.scope
    wants_stats = settings.stats_always or header(scope, b"x-directory-stats") == "1"
    read_plans = settings.read_plans
    if settings.engine_header and header(scope, b"x-directory-engine") == "resolvers":
        read_plans = False
    read_pool = scope.get("state", {}).get("read_pool")
    return Context(
        request=request,
        response=response,
        settings=settings,
        viewer=viewer_of(request.scope),
        wants_stats=wants_stats,
        read_plans=read_plans,
        read_pool=read_pool,
    )
