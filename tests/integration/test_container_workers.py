"""Stopping a container stops its background workers, even one that swallowed a cancel."""

from __future__ import annotations

import asyncio

import pytest

import tuan.bootstrap
from tests.conftest import TEST_PASSWORDS
from tests.fakes import ShiftableClock
from tuan.bootstrap import bootstrap
from tuan.settings import Settings


async def test_a_worker_that_swallowed_its_first_cancel_is_still_stopped(
    settings: Settings,
) -> None:
    """On Python 3.11 asyncio.wait_for, which redis-py wraps around every send, can drop a
    cancel. The outbox relay then ran on after its container closed, draining the next test's
    events from the shared database."""
    ticks: list[int] = []
    swallowed: list[int] = []

    async def stubborn() -> None:
        while True:
            try:
                await asyncio.sleep(0.005)
            except asyncio.CancelledError:
                if swallowed:
                    raise
                swallowed.append(1)  # what a dropped cancel looks like from inside the worker
            ticks.append(1)

    container = bootstrap(settings, clock=ShiftableClock(), passwords=TEST_PASSWORDS)
    container.add_worker("stubborn", stubborn)
    await container.start()
    try:
        while len(ticks) < 3:
            await asyncio.sleep(0.005)
        assert await container.stop_workers() == []
        stopped_at = len(ticks)
        await asyncio.sleep(0.05)
        assert swallowed == [1]
        assert len(ticks) == stopped_at  # it no longer runs
    finally:
        await container.close()


async def test_a_worker_that_ignores_every_cancel_is_named_and_shutdown_does_not_hang(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tuan.bootstrap, "CLOSE_TIMEOUT_SECONDS", 0.3)
    released, running = asyncio.Event(), asyncio.Event()

    async def obstinate() -> None:
        running.set()
        while not released.is_set():
            try:
                await asyncio.sleep(0.005)
            except asyncio.CancelledError:
                continue

    container = bootstrap(settings, clock=ShiftableClock(), passwords=TEST_PASSWORDS)
    container.add_worker("obstinate", obstinate)
    await container.start()
    try:
        await running.wait()
        assert await container.stop_workers() == ["obstinate"]
    finally:
        released.set()  # let it end, so it does not outlive this test
        await container.close()
