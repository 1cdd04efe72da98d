"""Who is calling: the API key of ``Authorization: Bearer <key>``, checked once per request before anything runs.

A request without the header is anonymous (``domain.access.PUBLIC``). A
request with a key that opens nothing gets 401 with one GraphQL error
(``UNAUTHENTICATED``) that says nothing of whether the key ever existed. The
caller is kept in the ASGI scope (``VIEWER``) for the rest of the request.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import orjson
from starlette.responses import Response

from domain.access import PUBLIC, Viewer
from services.keys import InvalidKey, bearer_token, viewer_for
from web.asgi import header

VIEWER = "directory.viewer"
"""Scope key of the request's caller."""

UNAUTHENTICATED = {
    "errors": [
        {
            "message": "The API key is not valid: send a current key as `Authorization: Bearer <key>`, or none.",
            "extensions": {"code": "UNAUTHENTICATED"},
        }
    ]
}


async def identify(scope: MutableMapping[str, Any], secret: str) -> Response | None:
    """Put the caller in ``scope[VIEWER]``; a 401 response when the request's key opens nothing."""
    try:
        key = bearer_token(header(scope, b"authorization") or None)
        viewer = PUBLIC if key is None else await viewer_for(key, secret)
    except InvalidKey:
        return Response(
            orjson.dumps(UNAUTHENTICATED),
            status_code=401,
            media_type="application/json",
            headers={"WWW-Authenticate": 'Bearer realm="directory"'},
        )
    scope[VIEWER] = viewer
    return None


def viewer_of(scope: MutableMapping[str, Any]) -> Viewer:
    """The caller ``identify`` found (anonymous when it did not run)."""
    viewer = scope.get(VIEWER, PUBLIC)
    assert isinstance(viewer, Viewer)
    return viewer
