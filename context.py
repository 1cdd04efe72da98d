"""The per-request GraphQL context: settings, the caller, and fresh loaders."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response

from domain.access import PUBLIC, Viewer
from loaders import Loaders
from settings import Settings


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
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.viewer)


def build_context(request: Request, response: Response | None, settings: Settings) -> Context:
    """A fresh context for one request (anonymous callers are public viewers)."""
    wants_stats = settings.stats_always or request.headers.get("x-directory-stats") == "1"
    read_plans = settings.read_plans
    if settings.engine_header and request.headers.get("x-directory-engine") == "resolvers":
        read_plans = False
    return Context(request=request, response=response, settings=settings, wants_stats=wants_stats, read_plans=read_plans)
