"""The event bus: in-process delivery, and Redis delivery across independent bus instances
(standing in for server processes; the two-process chat test exercises real processes)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from pathlib import Path

from tests.conftest import require_redis
from tests.live import private_redis
from tuan.core.bus import RESYNC_TOPIC, InProcessBus, RedisBus
from tuan.core.clock import SystemClock
from tuan.core.events import Envelope


def _envelope(n: int) -> Envelope:
    return Envelope.wrap("test.ping", {"n": n}, SystemClock().now())


async def test_in_process_bus_delivers_to_every_subscriber_until_unsubscribed() -> None:
    bus = InProcessBus()
    first: list[int] = []
    second: list[int] = []

    async def to_first(e: Envelope) -> None:
        first.append(e.payload["n"])

    async def to_second(e: Envelope) -> None:
        second.append(e.payload["n"])

    bus.subscribe(to_first)
    unsubscribe = bus.subscribe(to_second)
    await bus.publish(_envelope(1))
    unsubscribe()
    await bus.publish(_envelope(2))
    assert first == [1, 2] and second == [1]


async def test_a_failing_subscriber_does_not_stop_the_others() -> None:
    bus = InProcessBus()
    got: list[int] = []

    async def broken(_e: Envelope) -> None:
        raise RuntimeError("boom")

    async def fine(e: Envelope) -> None:
        got.append(e.payload["n"])

    bus.subscribe(broken)
    bus.subscribe(fine)
    await bus.publish(_envelope(3))
    assert got == [3]


async def test_redis_bus_delivers_to_every_connected_process_in_order() -> None:
    url = require_redis()
    channel = f"tuan:test:{uuid.uuid4().hex[:8]}"
    a, b = RedisBus(url, channel), RedisBus(url, channel)
    received: dict[str, list[int]] = {"a": [], "b": []}
    done = asyncio.Event()

    def collector(name: str):  # type: ignore[no-untyped-def]
        async def collect(e: Envelope) -> None:
            received[name].append(e.payload["n"])
            if all(len(v) == 50 for v in received.values()):
                done.set()

        return collect

    a.subscribe(collector("a"))
    b.subscribe(collector("b"))
    await a.start()
    await b.start()
    try:
        for n in range(50):
            await a.publish(_envelope(n))
        await asyncio.wait_for(done.wait(), timeout=10)
    finally:
        await a.close()
        await b.close()
    assert received["a"] == received["b"] == list(range(50))


async def test_redis_bus_ping_reports_reachability() -> None:
    url = require_redis()
    bus = RedisBus(url)
    assert await bus.ping() is True
    await bus.close()
    dead = RedisBus("redis://127.0.0.1:1/0")
    assert await dead.ping() is False
    await dead.close()


async def until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    async with asyncio.timeout(seconds):
        while not condition():
            await asyncio.sleep(0.02)


async def test_a_process_delivers_its_own_envelopes_once_and_without_redis(
    tmp_path: Path,
) -> None:
    with private_redis(tmp_path) as redis:
        bus = RedisBus(redis.url)
        got: list[int] = []

        async def collect(e: Envelope) -> None:
            got.append(e.payload["n"])

        bus.subscribe(collect)
        await bus.start()
        try:
            await bus.publish(_envelope(1))
            assert got == [1]  # at once, not after a round trip through Redis
            await asyncio.sleep(0.3)
            assert got == [1]  # and its echo from the channel is not delivered again
            redis.stop()
            await bus.publish(_envelope(2))  # Redis is gone: no error, still delivered here
            await bus.publish_many([_envelope(3), _envelope(4)])
            assert got == [1, 2, 3, 4]
        finally:
            await bus.close()


async def test_after_redis_comes_back_every_process_is_told_to_resync(tmp_path: Path) -> None:
    with private_redis(tmp_path) as redis:
        poster, follower = RedisBus(redis.url), RedisBus(redis.url)
        seen: list[str] = []

        async def record(e: Envelope) -> None:
            seen.append(e.topic if e.topic == RESYNC_TOPIC else str(e.payload["n"]))

        follower.subscribe(record)
        await poster.start()
        await follower.start()
        try:
            await poster.publish(_envelope(1))
            await until(lambda: seen == ["1"])
            redis.stop()
            await poster.publish(_envelope(2))  # the follower cannot hear this one
            await asyncio.sleep(0.5)
            redis.start()  # same port, empty, nothing replayed
            await until(lambda: RESYNC_TOPIC in seen)
            assert "2" not in seen  # it must re-read from its positions: that is the point
        finally:
            await poster.close()
            await follower.close()
