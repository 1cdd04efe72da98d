"""Browser security headers on every answer; the GraphiQL page gets its strict Content-Security-Policy.

Every answer: ``X-Content-Type-Options: nosniff``, ``Referrer-Policy:
no-referrer``. HTML (the GraphiQL page) may run only its own scripts and
styles (``web.graphiql.content_security_policy``) and be framed only by
``GRAPHIQL_FRAME_ANCESTORS`` (``'none'`` by default, with
``X-Frame-Options: DENY``; ``'self'`` gives ``SAMEORIGIN``). Every other
answer is data, which no page may run or frame: ``default-src 'none';
frame-ancestors 'none'``.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from settings import Settings
from web.asgi import COMPLETE, Message, Send
from web.graphiql import content_security_policy

DATA_POLICY = b"default-src 'none'; frame-ancestors 'none'"
"""The Content-Security-Policy of answers that are not pages."""


def _frame_options(frame_ancestors: str) -> bytes | None:
    value = frame_ancestors.strip().lower()
    if value == "'none'":
        return b"DENY"
    if value == "'self'":
        return b"SAMEORIGIN"
    return None  # a list of origins: only frame-ancestors can say it


COMMON = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
DATA = [*COMMON, (b"content-security-policy", DATA_POLICY), (b"x-frame-options", b"DENY")]
"""The security headers of an answer that is data (not a page)."""


def security_headers(scope: MutableMapping[str, Any], send: Send, settings: Settings) -> Send:
    """``send`` adding the security headers to the response's start."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start" and message.get(COMPLETE):  # a GraphQL answer, ours: data
            message["headers"] = [*message["headers"], *DATA]
        elif message["type"] == "http.response.start":
            headers = [(name, value) for name, value in message.get("headers", []) if name.lower() != b"x-frame-options"]
            content_type = next((bytes(v).lower() for n, v in headers if n.lower() == b"content-type"), b"")
            headers.extend(COMMON)
            if content_type.startswith(b"text/html"):
                policy = content_security_policy(settings.graphiql_frame_ancestors).encode()
                frame_options = _frame_options(settings.graphiql_frame_ancestors)
            else:
                policy, frame_options = DATA_POLICY, b"DENY"
            headers.append((b"content-security-policy", policy))
            if frame_options is not None:
                headers.append((b"x-frame-options", frame_options))
            message = {**message, "headers": headers}
        await send(message)

    return sending
