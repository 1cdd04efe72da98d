"""What every HTTP request goes through before the application: bounded bodies, a deadline, checked envelopes.

``FrontDoor`` wraps the whole application (both the planned queries' short
way and Strawberry's view are behind it):

- the body is read here, at most ``MAX_BODY_BYTES`` (413 ``REQUEST_TOO_LARGE``
  as soon as more arrives, or at once when ``Content-Length`` says so) within
  ``BODY_TIMEOUT`` seconds (408 ``BODY_TIMEOUT``), then handed on;
- a GraphQL request's envelope is checked (``web.envelope``: 400 with a code) and its parameters are kept in
  the scope (``web.envelope.PARAMETERS``), so nothing behind parses the request again;
- the whole request has ``REQUEST_TIMEOUT`` seconds: past it, its work is
  cancelled (which returns its database connection) and it answers 504
  ``REQUEST_TIMEOUT``;
- GraphQL answers take the media type the client accepts (``web.http_errors``),
  Strawberry's plain-text refusals become GraphQL errors with a code, and an
  error without a code (a failure of ours) is masked as ``INTERNAL_SERVER_ERROR``;
- every answer carries the browser security headers (``web.security_headers``).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import orjson

from settings import Settings
from web.asgi import COMPLETE, ASGIApp, Message, Receive, Scope, Send, header, replay_body
from web.deadlines import DeadlineSweeper
from web.envelope import PARAMETERS, BadRequest, check_get_parameters, check_post_body
from web.http_errors import GRAPHQL_RESPONSE, error_response, media_type_of
from web.security_headers import security_headers

log = logging.getLogger(__name__)

GRAPHQL_PATH = "/graphql"

PLAIN_TEXT_CODES = {400: "BAD_REQUEST", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 415: "UNSUPPORTED_MEDIA_TYPE"}
"""``extensions.code`` of Strawberry's plain-text refusals, by status."""


class _TooLarge(Exception):
    pass


async def read_body(receive: Receive, limit: int) -> tuple[bytes, bool]:
    """The whole body (at most ``limit`` bytes) and whether the client left; the caller keeps the time."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks), True
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), False


def _content_length(scope: Scope) -> int | None:
    value = header(scope, b"content-length")
    return int(value) if value.isdigit() else None


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


Refusal = tuple[int, str, str, dict[str, Any]]
"""A request refused before the application: status, message, code and extensions."""


class FrontDoor:
    """The ASGI middleware described in this module's docstring."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.deadlines = DeadlineSweeper()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = security_headers(scope, send, self.settings)
        started = _Started(send)
        refusal: Refusal | Receive | None = None
        # One deadline per request (web.deadlines): the body's, then, from the body's end, the work's.
        try:
            async with self.deadlines.deadline(self.settings.body_timeout) as deadline:
                refusal = await self._refusal(scope, receive)
                if not isinstance(refusal, tuple):
                    if scope["path"] == GRAPHQL_PATH:
                        started.send = _GraphQLAnswer(scope, send)
                    deadline.reschedule(asyncio.get_running_loop().time() + self.settings.request_timeout)
                    await self.app(scope, refusal, started)
        except TimeoutError:
            if refusal is None:  # the body did not arrive in time
                timeout = self.settings.body_timeout
                message = f"The request body did not arrive within {timeout:g} s (BODY_TIMEOUT)."
                refusal = (408, message, "BODY_TIMEOUT", {"limit": timeout})
            else:
                await self._timed_out(scope, receive, started)
        if isinstance(refusal, tuple):
            status, message, code, extensions = refusal
            headers = {"Connection": "close"} if status in (408, 413) else None
            await error_response(scope, status, message, code, headers, **extensions)(scope, receive, send)
            return
        if isinstance(started.send, _GraphQLAnswer):
            await started.send.flush()

    async def _timed_out(self, scope: Scope, receive: Receive, started: _Started) -> None:
        """504 for a request whose work outlived ``REQUEST_TIMEOUT`` (nothing when its answer had begun)."""
        limit = self.settings.request_timeout
        log.warning("request to %s cancelled after %s s", scope["path"], limit)
        if started.started:
            return
        response = error_response(
            scope,
            504,
            f"The request took longer than the limit of {limit:g} s (REQUEST_TIMEOUT) and was stopped: "
            "ask for less (smaller pages, fewer fields) or try again later.",
            "REQUEST_TIMEOUT",
            limit=limit,
        )
        await response(scope, receive, started)

    async def _refusal(self, scope: Scope, receive: Receive) -> Refusal | Receive:
        """Why the request is refused, or the ``receive`` to go on with (the body read, replayed)."""
        limit = self.settings.max_body_bytes
        too_large = (
            413,
            f"The request body is larger than the limit of {limit:,} bytes (MAX_BODY_BYTES).",
            "REQUEST_TOO_LARGE",
            {"limit": limit},
        )
        length = _content_length(scope)
        if length is not None and length > limit:
            return too_large
        try:
            body, _ = await read_body(receive, limit)
        except _TooLarge:
            return too_large
        if scope["path"] == GRAPHQL_PATH:
            try:
                if scope["method"] == "POST" and _is_json(header(scope, b"content-type")):
                    scope[PARAMETERS] = check_post_body(body)
                elif scope["method"] == "POST":
                    raise BadRequest(
                        "Send the GraphQL request as JSON, with `Content-Type: application/json`.",
                        "UNSUPPORTED_MEDIA_TYPE",
                        415,
                    )
                elif scope["method"] == "GET" and scope.get("query_string"):
                    scope[PARAMETERS] = check_get_parameters(scope["query_string"])
            except BadRequest as error:
                return error.status, error.message, error.code, {}
        return replay_body(body, receive)


class _Started:
    """A ``send`` that remembers whether the response has started."""

    def __init__(self, send: Send) -> None:
        self.send = send
        self.started = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        await self.send(message)


class _GraphQLAnswer:
    """Holds a GraphQL answer until it is complete, then sends it in the media type the client accepts.

    An answer marked ``web.asgi.COMPLETE`` (a cached answer, a read plan's) is
    already so and goes through at once.

    With ``application/graphql-response+json``, an answer with errors and no
    ``data`` (the request failed before execution) is a 400 without a
    ``data`` entry. A plain-text refusal (Strawberry's) becomes a GraphQL error
    with a code. HTML (GraphiQL) goes through untouched.
    """

    def __init__(self, scope: Scope, send: Send) -> None:
        self.scope = scope
        self.send = send
        self.start: Message | None = None
        self.chunks: list[bytes] = []
        self.passing = False
        self.done = False

    async def __call__(self, message: Message) -> None:
        if self.passing:
            await self.send(message)
            return
        if message["type"] == "http.response.start":
            if message.get(COMPLETE):
                self.passing = True
                await self.send(message)
                return
            content_type = _response_header(message, b"content-type")
            if content_type.startswith(("application/json", "text/plain")):
                self.start = message
                return
            self.passing = True
            await self.send(message)
            return
        if message["type"] == "http.response.body" and self.start is not None:
            self.chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                await self._send_whole()
            return
        await self.send(message)

    async def flush(self) -> None:
        """Send what is held (an answer whose body never ended)."""
        if self.start is not None and not self.done:
            await self._send_whole()

    async def _send_whole(self) -> None:
        assert self.start is not None
        self.done = True
        status = int(self.start["status"])
        body = b"".join(self.chunks)
        media = media_type_of(self.scope)
        content_type = _response_header(self.start, b"content-type")
        if content_type.startswith("text/plain"):
            code = PLAIN_TEXT_CODES.get(status, "BAD_REQUEST")
            message = body.decode("utf-8", "replace").strip() or "The request cannot be answered."
            body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})
        elif b'"errors"' in body:
            answer = orjson.loads(body)
            if _mask_uncoded(answer) and answer.get("data") is None and status == 200:
                status = 500  # our failure before the operation ran
            elif media == GRAPHQL_RESPONSE and status == 200 and _failed_before_execution(answer):
                answer.pop("data", None)
                status = 400
            body = orjson.dumps(answer)
        headers = [
            (name, value) for name, value in self.start.get("headers", []) if name not in (b"content-type", b"content-length")
        ]
        headers.append((b"content-type", f"{media}; charset=utf-8".encode()))
        headers.append((b"content-length", str(len(body)).encode()))
        await self.send({"type": "http.response.start", "status": status, "headers": headers})
        await self.send({"type": "http.response.body", "body": body, "more_body": False})


def front_door(app: ASGIApp, settings: Settings) -> ASGIApp:
    """``app`` behind the front door, and behind CORS when ``CORS_ORIGINS`` names origins (none by default)."""
    guarded: ASGIApp = FrontDoor(app, settings)
    if settings.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        return CORSMiddleware(
            guarded,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Accept", "Authorization", "Content-Type", "X-Directory-Stats"],
            max_age=600,
        )
    return guarded


INTERNAL_ERROR = {"message": "Unexpected error.", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}
"""What an error without a code becomes: every error a client can cause has one (``schema.error_codes``), so one
without is ours, and its message is not the client's business (the service logged it)."""


def _mask_uncoded(answer: Any) -> bool:
    """Replace the errors without ``extensions.code`` by ``INTERNAL_ERROR``; whether there were any."""
    if not isinstance(answer, dict) or not isinstance(answer.get("errors"), list):
        return False
    masked = False
    for index, error in enumerate(answer["errors"]):
        if not (isinstance(error, dict) and (error.get("extensions") or {}).get("code")):
            kept = {key: error[key] for key in ("locations", "path") if isinstance(error, dict) and key in error}
            answer["errors"][index] = {**INTERNAL_ERROR, **kept}
            masked = True
    return masked


def _failed_before_execution(answer: Any) -> bool:
    """Whether a GraphQL answer is a request error: errors, no data, and no error on a field's path."""
    return (
        isinstance(answer, dict)
        and answer.get("data") is None
        and bool(answer.get("errors"))
        and not any("path" in error for error in answer["errors"])
    )


def _response_header(message: Message, name: bytes) -> str:
    for key, value in message.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1").lower()
    return ""
