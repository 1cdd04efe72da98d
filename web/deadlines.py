"""Deadlines of requests in flight, kept by one sweeper instead of a timer per request.

``asyncio.timeout`` arms an event-loop timer on entry and cancels it on exit:
a few microseconds each, twice per request (its body, then its work), a
tenth of the time of an answer from the cache. Here a request registers its
deadline in a set; one timer, armed only while requests are in flight, looks
at them every ``RESOLUTION`` seconds and cancels the task of each request
past its deadline, which then raises ``TimeoutError`` from its ``async with``
block exactly as ``asyncio.timeout`` would (the same cancel and uncancel
rules). A deadline is so kept to within ``RESOLUTION`` seconds.
"""

from __future__ import annotations

import asyncio
from types import TracebackType

RESOLUTION = 0.1
"""Seconds between two looks at the deadlines in flight."""


class Deadline:
    """``async with`` block that raises ``TimeoutError`` when its task outlives ``when`` (the loop's clock)."""

    __slots__ = ("_cancelling", "_sweeper", "_task", "expired", "when")

    def __init__(self, sweeper: DeadlineSweeper, when: float) -> None:
        self._sweeper = sweeper
        self.when = when
        self.expired = False
        self._task: asyncio.Task[object] | None = None
        self._cancelling = 0

    def reschedule(self, when: float) -> None:
        """Move the deadline (a block that has expired stays expired)."""
        self.when = when

    async def __aenter__(self) -> Deadline:
        task = asyncio.current_task()
        if task is None:
            raise RuntimeError("a deadline needs a task")
        self._task = task
        self._cancelling = task.cancelling()
        self._sweeper.add(self)
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._sweeper.discard(self)
        if (
            self.expired
            and self._task is not None
            and self._task.uncancel() <= self._cancelling  # our cancellation, taken back
            and kind is asyncio.CancelledError
        ):
            raise TimeoutError from error

    def expire(self) -> None:
        """Cancel the block's task (the sweeper's call)."""
        if not self.expired and self._task is not None:
            self.expired = True
            self._task.cancel()


class DeadlineSweeper:
    """The deadlines of one event loop's requests, and the one timer that enforces them."""

    def __init__(self, resolution: float = RESOLUTION) -> None:
        self.resolution = resolution
        self._deadlines: set[Deadline] = set()
        self._timer: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def deadline(self, seconds: float) -> Deadline:
        """A block that may last ``seconds`` from now."""
        return Deadline(self, asyncio.get_running_loop().time() + seconds)

    def add(self, deadline: Deadline) -> None:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # another event loop (tests): the old one's timer is gone with it
            self._loop, self._timer = loop, None
            self._deadlines = set()
        self._deadlines.add(deadline)
        if self._timer is None:
            self._timer = loop.call_later(self.resolution, self._sweep)

    def discard(self, deadline: Deadline) -> None:
        self._deadlines.discard(deadline)

    def _sweep(self) -> None:
        assert self._loop is not None
        now = self._loop.time()
        for deadline in [deadline for deadline in self._deadlines if deadline.when <= now]:
            self._deadlines.discard(deadline)
            deadline.expire()
        self._timer = self._loop.call_later(self.resolution, self._sweep) if self._deadlines else None
