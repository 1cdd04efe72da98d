"""Request deadlines kept by one sweeper behave as ``asyncio.timeout`` does (the HTTP side: test_limits,
test_http_transport)."""

from __future__ import annotations

import asyncio

import pytest

from web.deadlines import DeadlineSweeper


async def test_a_block_past_its_deadline_raises_timeout_error_within_the_resolution() -> None:
    sweeper = DeadlineSweeper(resolution=0.02)
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(TimeoutError):
        async with sweeper.deadline(0.05):
            await asyncio.sleep(5)
    assert 0.05 <= loop.time() - started < 0.5
    assert asyncio.current_task().cancelling() == 0  # type: ignore[union-attr]


async def test_a_block_within_its_deadline_and_a_moved_deadline_are_left_alone() -> None:
    sweeper = DeadlineSweeper(resolution=0.02)
    async with sweeper.deadline(1):
        await asyncio.sleep(0.05)
    async with sweeper.deadline(0.05) as deadline:
        deadline.reschedule(asyncio.get_running_loop().time() + 1)
        await asyncio.sleep(0.15)


async def test_a_cancellation_from_outside_stays_a_cancellation() -> None:
    sweeper = DeadlineSweeper(resolution=0.02)

    async def guarded() -> None:
        async with sweeper.deadline(5):
            await asyncio.sleep(5)

    task = asyncio.create_task(guarded())
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_many_blocks_share_one_sweeper_and_only_the_late_ones_expire() -> None:
    sweeper = DeadlineSweeper(resolution=0.02)

    async def block(seconds: float, work: float) -> str:
        try:
            async with sweeper.deadline(seconds):
                await asyncio.sleep(work)
        except TimeoutError:
            return "expired"
        return "done"

    results = await asyncio.gather(*(block(0.05, 1) if i % 2 else block(1, 0.01) for i in range(20)))
    assert results == ["expired" if i % 2 else "done" for i in range(20)]
