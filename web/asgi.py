"""The ASGI types and the two helpers every layer in front of the application shares."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


COMPLETE = "directory.complete"
"""Key of an ``http.response.start`` message whose GraphQL answer is complete as it is: a JSON answer without
errors, already in the media type the client accepts (``web.http_errors.answer_start``). The front door passes
it on untouched instead of holding it to inspect its errors (``web.front_door``)."""


def header(scope: Scope, name: bytes) -> str:
    """A request header's value (``""`` when absent); ``name`` in lower case, as ASGI gives it."""
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return ""


def replay_body(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands out ``body`` once, then the real messages (a disconnect)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed
