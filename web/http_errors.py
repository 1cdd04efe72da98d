"""GraphQL over HTTP at the transport level: the media type an answer takes, and errors refused before GraphQL runs.

A client that sends ``Accept: application/graphql-response+json`` gets that
media type and the status codes of the GraphQL-over-HTTP specification (400
for a request that fails before execution: unparsable, invalid, refused by a
limit). Any other client gets ``application/json``, where a GraphQL error in a
well-formed request keeps status 200.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import orjson
from starlette.responses import Response

from web.asgi import COMPLETE, Message, header

GRAPHQL_RESPONSE = "application/graphql-response+json"
"""The media type of the GraphQL-over-HTTP specification."""

JSON = "application/json"

SHORTENED = 80
"""Characters of a value the client sent that an error message repeats, at most."""


def shorten(value: object, limit: int = SHORTENED) -> str:
    """``repr`` of a value the client sent, cut to ``limit`` characters (a 1 MB slug is not echoed back)."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _quality(parameters: str) -> float:
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value.strip())
            except ValueError:
                return 0.0
    return 1.0


def response_media_type(accept: str) -> str:
    """``application/graphql-response+json`` when the client prefers it, ``application/json`` otherwise."""
    return _usual_media_type(accept) if len(accept) <= 128 else _media_type(accept)


@lru_cache(maxsize=64)
def _usual_media_type(accept: str) -> str:
    """``_media_type`` of the few ``Accept`` values clients send, worked out once each."""
    return _media_type(accept)


def _media_type(accept: str) -> str:
    best, best_quality = JSON, -1.0
    for part in accept.split(","):
        media, _, parameters = part.partition(";")
        media = media.strip().lower()
        quality = _quality(parameters)
        if media in (GRAPHQL_RESPONSE, JSON) and quality > 0 and quality > best_quality:
            best, best_quality = media, quality
    return best


def media_type_of(scope: Any) -> str:
    """The media type of the answer to this request (from its ``Accept``)."""
    return response_media_type(header(scope, b"accept"))


CONTENT_TYPES = {media: f"{media}; charset=utf-8".encode() for media in (JSON, GRAPHQL_RESPONSE)}


def answer_start(scope: Any, status: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None) -> Message:
    """The start of a complete GraphQL answer (``web.asgi.COMPLETE``): its media type, length and ``headers``."""
    return {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", CONTENT_TYPES[media_type_of(scope)]),
            (b"content-length", str(len(body)).encode()),
            *(headers or ()),
        ],
        COMPLETE: True,
    }


def error_body(message: str, code: str, **extensions: Any) -> bytes:
    """A GraphQL response with one request error and no ``data``."""
    return orjson.dumps({"errors": [{"message": message, "extensions": {"code": code, **extensions}}]})


def error_response(
    scope: Any, status: int, message: str, code: str, headers: dict[str, str] | None = None, **extensions: Any
) -> Response:
    """An error refused before GraphQL runs, in the media type the client accepts."""
    return Response(
        error_body(message, code, **extensions),
        status_code=status,
        headers=headers,
        media_type=f"{media_type_of(scope)}; charset=utf-8",
    )
