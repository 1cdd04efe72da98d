"""The short way for planned queries: a POSTed JSON query with a read plan is answered here, everything else by Strawberry.

Strawberry's view parses the request through several adapters, builds a
context with loaders, and runs its extensions around every operation: about a
third of the time of a small query. A query operation that has a read plan
(``plan``) needs none of it. This ASGI app takes the request's parameters as
the front door read them (``web.envelope.PARAMETERS``); when they hold one
operation whose plan answers it (no client mistake, within the cost limit),
it sends the answer itself, exactly as Strawberry would (``200``,
``application/json``, ``data`` then ``extensions``). Anything else
(GraphiQL, mutations, unplannable documents, errors of any kind) goes on to
Strawberry's view with the request untouched, so the two paths cannot
differ in what they accept or refuse.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from context import build_context
from db.availability import DatabaseUnavailable
from settings import Settings
from web.asgi import ASGIApp, Receive, Scope, Send, header
from web.envelope import parameters_of
from web.http_errors import answer_start
from web.response_cache import FIELD_ANSWERS

log = logging.getLogger(__name__)

ACCEPTED = ("", "*/*", "application/json", "application/*", "application/graphql-response+json")
"""``Accept`` values the short way answers (``web.front_door`` gives the answer the media type asked for)."""


def _accepts_json(accept: str) -> bool:
    return all(part.split(";", 1)[0].strip().lower() in ACCEPTED for part in accept.split(",")) if accept else True


ENGINE_HEADER = "x-directory-engine"
"""With ``ENGINE_HEADER`` on (tests), answers of the short way say so in this header."""

PLAN_TRIED = "directory.plan_tried"
"""Scope key set when the short way ran the plan and handed the request on: Strawberry's view does not run it again."""


def unavailable_response(error: DatabaseUnavailable) -> Response:
    """503, as the GraphQL view answers when the database did not (``server.DirectoryGraphQL``)."""
    body = {"data": None, "errors": [{"message": str(error), "extensions": error.extensions}]}
    return Response(orjson.dumps(body), status_code=503, media_type="application/json", headers={"Retry-After": "1"})


class PlannedQueries:
    """Answers planned query operations POSTed to ``path`` before the application (``fallback``) sees them."""

    def __init__(self, view: Any, settings: Settings, path: str = "/graphql") -> None:
        self.schema = view.schema
        self.settings = settings
        self.path = path
        self.engine = [(ENGINE_HEADER.encode(), b"plan")] if settings.engine_header else []

    def wants(self, scope: Scope) -> bool:
        """Whether the request may be a planned query: a GraphQL request (POST or GET) that accepts JSON."""
        return (
            scope["type"] == "http"
            and scope["path"] == self.path
            and scope["method"] in ("POST", "GET")
            and _accepts_json(header(scope, b"accept"))
        )

    async def handle(self, scope: Scope, receive: Receive, send: Send, fallback: ASGIApp) -> None:
        """Answer the request when its plan can; hand it to ``fallback`` (its body untouched) when not."""
        try:
            body = await self._answer(scope)
        except DatabaseUnavailable as error:
            await unavailable_response(error)(scope, receive, send)
            return
        except Exception:
            log.exception("the short way failed; Strawberry answers")
            body = None
        if body is None:
            scope[PLAN_TRIED] = True
            await fallback(scope, receive, send)
            return
        await send(answer_start(scope, 200, body, self.engine))
        await send({"type": "http.response.body", "body": body})

    async def _answer(self, scope: Scope) -> bytes | None:
        """The answer to a planned operation, or None for Strawberry to answer."""
        payload = parameters_of(scope)  # read and checked by the front door (web.envelope)
        if payload is None or payload.get("extensions") is not None:
            return None
        query, variables, operation_name = payload.get("query"), payload.get("variables"), payload.get("operationName")
        if not isinstance(query, str):
            return None
        context = build_context(Request(scope), None, self.settings)
        if not context.read_plans:
            return None
        result = await self.schema.execute_plan(query, operation_name, variables, context, scope.get(FIELD_ANSWERS))
        if result is None:
            return None
        return orjson.dumps({"data": result.data, "extensions": result.extensions})
