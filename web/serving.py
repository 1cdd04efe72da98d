"""How uvicorn serves the application: keep-alive and header timeouts against slow clients.

uvicorn closes an idle keep-alive connection after ``timeout_keep_alive``
(``KEEP_ALIVE_TIMEOUT``), but waits for a request's headers forever: a client
sending a byte a second holds a connection (and a file descriptor) for as
long as it likes. ``HeaderTimeoutProtocol`` closes a connection whose request
headers are not complete ``HEADER_TIMEOUT`` seconds after it opened or after
its previous request; the body has ``BODY_TIMEOUT`` (``web.front_door``).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from settings import Settings

log = logging.getLogger(__name__)


@functools.cache
def _header_timeout() -> float:
    """``HEADER_TIMEOUT`` of this process (uvicorn's workers start the protocol by name, without our settings)."""
    return Settings.from_env().header_timeout


class HeaderTimeoutProtocol(HttpToolsProtocol):
    """uvicorn's HTTP protocol (httptools), closing connections whose request headers are too slow."""

    header_timeout: float | None = None
    """Seconds a request's headers may take; None: ``HEADER_TIMEOUT`` from the environment."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        self._disarm()
        seconds = self.header_timeout if self.header_timeout is not None else _header_timeout()
        self._header_timer = self.loop.call_later(seconds, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            log.info("closing a connection whose request headers did not arrive in time")
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's settings for this service (``manage.py serve``, the soak test)."""
    return {
        "http": HeaderTimeoutProtocol,
        "timeout_keep_alive": settings.keep_alive_timeout,
    }
