"""Rate limits, counted by the `limits` library: in Redis when ``TUAN_REDIS_URL`` is set (so every
server process shares one count), else in this process's memory.

A :class:`Rule` is a named set of limits in the library's notation (``"5/minute;20/hour"``); a hit
must fit every one of them. Every rule counts with the library's moving window (a log of each
hit), so "30 a minute" holds for any minute: a sliding-window counter only estimates the previous
window's share, and let a burst that straddled a window boundary through.

A lost Redis must not stop people logging in or chatting, nor switch the limits off: while it
does not answer, each process counts in its own memory, and asks Redis again every few seconds
(not on every request, which would wait for it each time).
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import (
    MovingWindowRateLimiter,
    RateLimiter,
)
from limits.errors import StorageError

if TYPE_CHECKING:
    from redis.asyncio import ConnectionPool

log = logging.getLogger(__name__)
RETRY_SHARED_AFTER = 5.0  # seconds between asking a lost Redis again
REDIS_TIMEOUT = 1.0  # seconds: a Redis that does not answer by then is lost for now


@dataclass(frozen=True)
class Rule:
    """What is limited (``name``, the first part of every key) and how much: ``items``."""

    name: str
    items: tuple[RateLimitItem, ...]

    @property
    def off(self) -> bool:
        return not self.items


@cache
def rule(name: str, notation: str) -> Rule:
    """The rule ``name`` with the limits written in ``notation`` ("" for none)."""
    items = tuple(parse_many(notation)) if notation.strip() else ()
    return Rule(name, items)


class _Counters:
    """The moving-window strategy over one storage."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.limiter: RateLimiter = MovingWindowRateLimiter(storage)

    async def hit(self, rule: Rule, key: tuple[str, ...]) -> int | None:
        limiter = self.limiter
        for item in rule.items:
            if not await limiter.hit(item, rule.name, *key):
                return await self._wait(limiter, item, key, rule)
        return None

    async def check(self, rule: Rule, key: tuple[str, ...]) -> int | None:
        limiter = self.limiter
        for item in rule.items:
            if not await limiter.test(item, rule.name, *key):
                return await self._wait(limiter, item, key, rule)
        return None

    async def _wait(
        self, limiter: RateLimiter, item: RateLimitItem, key: tuple[str, ...], rule: Rule
    ) -> int:
        stats = await limiter.get_window_stats(item, rule.name, *key)
        return max(1, math.ceil(stats.reset_time - time.time()))


class RateLimits:
    """Counts hits against rules; :meth:`hit` and :meth:`check` say how long to wait, if at all."""

    def __init__(self, storage: Storage, *, pool: ConnectionPool | None = None) -> None:
        self._shared = _Counters(storage)
        self._local = _Counters(MemoryStorage())
        self._pool = pool  # Redis connections, closed with the container
        self._shared_lost_until: float | None = None  # monotonic time to ask Redis again

    @classmethod
    def for_deployment(cls, redis_url: str | None, *, namespace: str) -> RateLimits:
        """Redis storage (keys under ``namespace:limits``) when ``redis_url`` is set."""
        if not redis_url:
            return cls(MemoryStorage())
        import redis.asyncio as aioredis

        pool = aioredis.ConnectionPool.from_url(
            redis_url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT
        )
        scheme, rest = redis_url.split("://", 1)
        uri = {"redis": "async+redis", "rediss": "async+rediss", "unix": "async+redis+unix"}[scheme]
        storage = RedisStorage(
            f"{uri}://{rest}",
            wrap_exceptions=True,
            implementation="redispy",
            key_prefix=f"{namespace}:limits",
            connection_pool=pool,  # type: ignore[arg-type]  # passed through to redis-py
        )
        return cls(storage, pool=pool)

    async def hit(self, rule: Rule, *key: str) -> int | None:
        """Count one hit of ``key`` against ``rule``: None if it fits, else seconds to wait
        (a refused hit is not counted)."""
        return await self._count(rule, key, count=True)

    async def check(self, rule: Rule, *key: str) -> int | None:
        """Like :meth:`hit` without counting: would one more hit fit?"""
        return await self._count(rule, key, count=False)

    async def _count(self, rule: Rule, key: tuple[str, ...], *, count: bool) -> int | None:
        if rule.off:
            return None
        if self._shared_usable():
            shared = self._shared.hit if count else self._shared.check
            try:
                wait = await shared(rule, key)
            except StorageError:
                self._lost()
            else:
                self._found()
                return wait
        return await (self._local.hit if count else self._local.check)(rule, key)

    def _shared_usable(self) -> bool:
        lost_until = self._shared_lost_until
        return lost_until is None or time.monotonic() >= lost_until

    def _lost(self) -> None:
        if self._shared_lost_until is None:
            log.warning("rate limit storage unreachable: counting in this process until it is back")
        self._shared_lost_until = time.monotonic() + RETRY_SHARED_AFTER

    def _found(self) -> None:
        if self._shared_lost_until is not None:
            log.info("rate limit storage is back")
        self._shared_lost_until = None

    async def reset(self) -> None:
        """Forget every count (tests, between cases)."""
        await self._shared.storage.reset()
        await self._local.storage.reset()

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.disconnect()
