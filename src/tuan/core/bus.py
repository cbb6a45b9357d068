"""The event bus: one interface, an in-process implementation and a Redis one.

The bus only *announces*: the database holds the truth (messages, orders, outbox rows), so a
subscriber that misses an announcement recovers from positions it can re-read. With Redis every
server process receives every envelope through one pub/sub channel and dispatches it to its own
local subscribers. The publishing process hands its envelopes to its own subscribers at once,
without a round trip through Redis, and ignores them when they come back on the channel.

While Redis is unreachable each process still delivers to its own subscribers. What peers may
have missed is recovered with :data:`RESYNC_TOPIC`: a process whose publish failed announces it
once Redis answers again, and a process whose subscription dropped tells its own subscribers when
it is back; subscribers (the WebSocket hub) then re-read from their positions.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import uuid
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import orjson

from tuan.core.events import Envelope

log = logging.getLogger(__name__)

Subscriber = Callable[[Envelope], Awaitable[None]]
CHANNEL = "tuan:events"
RESYNC_TOPIC = "bus.resync"  # "announcements may have been lost: re-read from your positions"
RESYNC_RETRY_SECONDS = 0.5


class EventBus(ABC):
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call ``subscriber`` for every envelope; returns a function that unsubscribes."""
        self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subscribers.remove(subscriber)

        return unsubscribe

    async def _dispatch(self, envelope: Envelope) -> None:
        for subscriber in list(self._subscribers):
            try:
                await subscriber(envelope)
            except Exception:
                log.exception("subscriber failed on %s %s", envelope.topic, envelope.id)

    @abstractmethod
    async def publish(self, envelope: Envelope) -> None:
        """Announce ``envelope``; raises if it could not be handed over."""

    async def publish_many(self, envelopes: list[Envelope]) -> None:
        """Announce several envelopes in order (one round trip where the transport allows)."""
        for envelope in envelopes:
            await self.publish(envelope)

    async def announce(self, topic: str, payload: dict[str, Any], occurred_at: datetime) -> None:
        """Best-effort live announcement of something that is not stored (typing)."""
        try:
            await self.publish(Envelope.wrap(topic, payload, occurred_at))
        except Exception:
            log.warning("live announcement %s not published", topic)

    async def start(self) -> None:  # noqa: B027 - optional hook, a no-op in process
        """Begin receiving."""

    async def close(self) -> None:  # noqa: B027 - optional hook, a no-op in process
        """Stop receiving and release connections."""

    async def ping(self) -> bool:
        return True


class InProcessBus(EventBus):
    """Delivers to the subscribers of this process only (the embedded default)."""

    async def publish(self, envelope: Envelope) -> None:
        await self._dispatch(envelope)


class RedisBus(EventBus):
    """Delivers to the subscribers of every process connected to the same Redis."""

    def __init__(self, url: str, channel: str = CHANNEL) -> None:
        super().__init__()
        import redis.asyncio as aioredis

        self._redis = aioredis.from_url(url)
        self._channel = channel
        self._origin = uuid.uuid4().hex  # this process, so it can skip its own envelopes
        self._listener: asyncio.Task[None] | None = None
        self._resync: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def publish(self, envelope: Envelope) -> None:
        await self._dispatch(envelope)
        try:
            await self._redis.publish(self._channel, self._wire(envelope))
        except Exception:
            self._peers_missed(1)

    async def publish_many(self, envelopes: list[Envelope]) -> None:
        for envelope in envelopes:
            await self._dispatch(envelope)
        try:
            async with self._redis.pipeline(transaction=False) as pipe:
                for envelope in envelopes:
                    pipe.publish(self._channel, self._wire(envelope))
                await pipe.execute()
        except Exception:
            self._peers_missed(len(envelopes))

    def _wire(self, envelope: Envelope) -> bytes:
        return orjson.dumps({**dataclasses.asdict(envelope), "origin": self._origin})

    def _peers_missed(self, count: int) -> None:
        """Redis did not take an announcement: this process delivered it, the others will re-read
        once this process can tell them to."""
        log.warning("redis unreachable: %d announcements reached this process only", count)
        if self._resync is None or self._resync.done():
            self._resync = asyncio.create_task(self._announce_resync(), name="redis-bus-resync")

    async def _announce_resync(self) -> None:
        resync = Envelope.wrap(RESYNC_TOPIC, {}, datetime.now(UTC))
        while True:
            await asyncio.sleep(RESYNC_RETRY_SECONDS)
            try:
                await self._redis.publish(self._channel, self._wire(resync))
            except Exception:
                log.debug("redis still unreachable; will ask for a resync again", exc_info=True)
                continue
            log.info("redis is back: asked every process to resync")
            return

    async def start(self) -> None:
        if self._listener is None:
            self._listener = asyncio.create_task(self._listen(), name="redis-bus-listener")
            await asyncio.wait_for(self._ready.wait(), timeout=10)

    async def _listen(self) -> None:
        subscribed_before = False
        while True:
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self._channel)
                self._ready.set()
                if subscribed_before:  # what was announced while we were away is lost to us
                    await self._dispatch(Envelope.wrap(RESYNC_TOPIC, {}, datetime.now(UTC)))
                subscribed_before = True
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        await self._receive(message["data"])
            except asyncio.CancelledError:
                await _close_quietly(pubsub)
                raise
            except Exception:
                log.exception("redis bus listener lost its connection; reconnecting")
                await _close_quietly(pubsub)
                await asyncio.sleep(0.5)

    async def _receive(self, raw: bytes) -> None:
        data = orjson.loads(raw)
        if data.get("origin") != self._origin:  # our own were delivered when we published
            await self._dispatch(Envelope.from_json(raw))

    async def close(self) -> None:
        for task in (self._listener, self._resync):
            if task is not None:
                task.cancel()
                await asyncio.wait({task}, timeout=5)
        self._listener = self._resync = None
        await self._redis.aclose()

    async def ping(self) -> bool:
        try:
            return bool(await self._redis.ping())
        except Exception:
            return False


async def _close_quietly(pubsub: Any) -> None:
    """Close a subscription without letting a dead connection hang shutdown."""
    with contextlib.suppress(Exception):
        async with asyncio.timeout(2):
            await pubsub.aclose()


def create_bus(redis_url: str | None, channel: str = CHANNEL) -> EventBus:
    return RedisBus(redis_url, channel) if redis_url else InProcessBus()
