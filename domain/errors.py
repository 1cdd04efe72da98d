"""Errors a client can cause and fix. Their messages reach the client as they are."""

from __future__ import annotations


class ClientError(Exception):
    """A mistake in the request: a bad argument, cursor or identifier.

    ``code`` goes to the error's ``extensions.code`` so clients can branch on it.
    """

    code = "BAD_USER_INPUT"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.extensions = {"code": self.code}


class InvalidCursor(ClientError):
    """A cursor that this service did not issue, or issued for another ordering."""

    code = "INVALID_CURSOR"


class InvalidId(ClientError):
    """A global ID that is malformed or names another type."""

    code = "INVALID_ID"


class Forbidden(ClientError):
    """A field or a change the caller's role does not allow (``domain.access``): the field answers null."""

    code = "FORBIDDEN"
