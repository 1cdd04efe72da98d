"""The envelope of a GraphQL request, checked before GraphQL sees it: every mistake is a 400 with a code.

A POST body must be UTF-8 JSON holding one object (batches are not
supported) whose ``query`` is a string, ``variables`` and ``extensions``
objects or null, ``operationName`` a string or null; nothing in it may nest
deeper than ``MAX_JSON_DEPTH``. A GET's ``variables`` and ``extensions``
parameters follow the same rules.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import parse_qs

import orjson

MAX_JSON_DEPTH = 32
"""Deepest nesting of arrays and objects a request may hold (variables included)."""

BAD_REQUEST = "BAD_REQUEST"
"""``extensions.code`` of a request that is not a well-formed GraphQL-over-HTTP request."""


PARAMETERS = "directory.graphql_parameters"
"""Scope key: the request's GraphQL parameters (``query``, ``operationName``, ``variables``, ``extensions``), as
the front door read and checked them; every later layer reads them from here instead of parsing the request again."""


def parameters_of(scope: MutableMapping[str, Any]) -> dict[str, Any] | None:
    """The GraphQL parameters the front door read (None for a request it did not read as GraphQL)."""
    parameters = scope.get(PARAMETERS)
    return parameters if isinstance(parameters, dict) else None


class BadRequest(Exception):
    """A request GraphQL cannot read: answered 400 with ``code``."""

    def __init__(self, message: str, code: str = BAD_REQUEST, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


def _depth(value: Any) -> int:
    """How deeply ``value`` nests (a scalar is 0), without recursion; only arrays and objects are visited."""
    if not isinstance(value, dict | list):
        return 0
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > MAX_JSON_DEPTH + 1:
                break
        for child in item.values() if isinstance(item, dict) else item:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
    return deepest


def _parse_json(text: bytes | str, what: str) -> Any:
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        if "depth limit" in str(error):
            raise BadRequest(f"{what} nests deeper than {MAX_JSON_DEPTH} levels.", "JSON_TOO_DEEP") from error
        raise BadRequest(f"{what} is not valid JSON: {error}.") from error
    return value


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def check_parameters(payload: dict[str, Any], *, require_query: bool = True) -> None:
    """BadRequest unless the request's parameters have the types the specification gives them."""
    query = payload.get("query")
    extensions = payload.get("extensions")
    persisted = isinstance(extensions, dict) and "persistedQuery" in extensions  # the document comes by its hash
    if query is None and require_query and not persisted:
        raise BadRequest("The request has no `query`: send the GraphQL document as a string in `query`.")
    if query is not None and not isinstance(query, str):
        raise BadRequest(f"`query` must be a string, not {_type_name(query)}.")
    name = payload.get("operationName")
    if name is not None and not isinstance(name, str):
        raise BadRequest(f"`operationName` must be a string or null, not {_type_name(name)}.")
    for key in ("variables", "extensions"):
        value = payload.get(key)
        if value is not None and not isinstance(value, dict):
            raise BadRequest(f"`{key}` must be an object or null, not {_type_name(value)}.")
    if _depth(payload) > MAX_JSON_DEPTH:
        raise BadRequest(f"The request nests deeper than {MAX_JSON_DEPTH} levels.", "JSON_TOO_DEEP")


class _Checked:
    """The parameters of the request texts checked last (at most ``ENTRIES``, each at most ``MAX_BYTES``).

    A request repeated byte for byte (an embedded query, a client's retry) is
    not parsed and checked again, and gets the very same parameters object, by
    which later layers find what they worked out of it (``web.cached_reads``).
    Those objects are shared: nothing may change them.
    """

    ENTRIES = 4096
    MAX_BYTES = 4096

    def __init__(self) -> None:
        self._parameters: OrderedDict[bytes, dict[str, Any]] = OrderedDict()

    def get(self, text: bytes) -> dict[str, Any] | None:
        parameters = self._parameters.get(text)
        if parameters is not None:
            self._parameters.move_to_end(text)
        return parameters

    def keep(self, text: bytes, parameters: dict[str, Any]) -> dict[str, Any]:
        if len(text) <= self.MAX_BYTES:
            self._parameters[text] = parameters
            if len(self._parameters) > self.ENTRIES:
                self._parameters.popitem(last=False)
        return parameters


_checked_bodies = _Checked()
_checked_query_strings = _Checked()


def check_post_body(body: bytes) -> dict[str, Any]:
    """The parameters of ``body``; BadRequest unless it is one well-formed GraphQL request in UTF-8 JSON."""
    known = _checked_bodies.get(body)
    return known if known is not None else _checked_bodies.keep(body, _check_post_body(body))


def _check_post_body(body: bytes) -> dict[str, Any]:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRequest(f"The request body is not valid UTF-8 (byte {error.start}).", "INVALID_UTF8") from error
    if not body.strip():
        raise BadRequest("The request body is empty: send a JSON object with a `query`.")
    payload = _parse_json(body, "The request body")
    if isinstance(payload, list):
        raise BadRequest("Batched requests (a JSON array) are not supported: send one JSON object per request.")
    if not isinstance(payload, dict):
        raise BadRequest(f"The request body must be a JSON object with a `query`, not {_type_name(payload)}.")
    check_parameters(payload)
    return payload


def check_get_parameters(query_string: bytes) -> dict[str, Any]:
    """A GET's parameters; BadRequest unless its ``variables`` and ``extensions`` are JSON objects (when given)."""
    known = _checked_query_strings.get(query_string)
    return known if known is not None else _checked_query_strings.keep(query_string, _check_get_parameters(query_string))


def _check_get_parameters(query_string: bytes) -> dict[str, Any]:
    try:
        parameters = parse_qs(query_string.decode("utf-8", "strict"), errors="strict")
    except UnicodeDecodeError as error:
        raise BadRequest("The query string is not valid UTF-8.", "INVALID_UTF8") from error
    payload: dict[str, Any] = {}
    for key in ("query", "operationName"):
        if key in parameters:
            payload[key] = parameters[key][0]
    for key in ("variables", "extensions"):
        if key in parameters and parameters[key][0] not in ("", "null"):
            payload[key] = _parse_json(parameters[key][0], f"`{key}`")
    check_parameters(payload, require_query=False)
    return payload
