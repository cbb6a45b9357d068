"""The event bus: one interface, an in-process implementation and a Redis one.

The bus only *announces*: the database holds the truth (messages, orders, outbox rows), so a
subscriber that misses an announcement recovers from positions it can re-read. With Redis every
server process receives every envelope through one pub/sub channel and dispatches it to its own
local subscribers; the publishing process receives its own envelopes the same way, so local and
remote subscribers see exactly the same stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from tuan.core.events import Envelope

log = logging.getLogger(__name__)

Subscriber = Callable[[Envelope], Awaitable[None]]
CHANNEL = "tuan:events"


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
        self._listener: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def publish(self, envelope: Envelope) -> None:
        await self._redis.publish(self._channel, envelope.to_json())

    async def publish_many(self, envelopes: list[Envelope]) -> None:
        async with self._redis.pipeline(transaction=False) as pipe:
            for envelope in envelopes:
                pipe.publish(self._channel, envelope.to_json())
            await pipe.execute()

    async def start(self) -> None:
        if self._listener is None:
            self._listener = asyncio.create_task(self._listen(), name="redis-bus-listener")
            await asyncio.wait_for(self._ready.wait(), timeout=10)

    async def _listen(self) -> None:
        while True:
            pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
            try:
                await pubsub.subscribe(self._channel)
                self._ready.set()
                async for message in pubsub.listen():
                    if message.get("type") == "message":
                        await self._dispatch(Envelope.from_json(message["data"]))
            except asyncio.CancelledError:
                await _close_quietly(pubsub)
                raise
            except Exception:
                log.exception("redis bus listener lost its connection; reconnecting")
                await _close_quietly(pubsub)
                await asyncio.sleep(0.5)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            await asyncio.wait({self._listener}, timeout=5)
            self._listener = None
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
