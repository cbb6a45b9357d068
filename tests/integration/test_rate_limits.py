"""The rate limiter's storage: shared by every process through Redis, and still counting (in the
process) while Redis cannot be reached."""

from __future__ import annotations

import uuid

from tests.conftest import require_redis
from tests.live import free_port
from tuan.core.ratelimit import RateLimits, rule

THREE_A_MINUTE = rule("test-three", "3/minute")
THREE_APPROXIMATELY = rule("test-three-approx", "3/minute")


async def test_two_processes_share_one_count_through_redis() -> None:
    url = require_redis()
    namespace = f"tuan:test:{uuid.uuid4().hex[:8]}"
    first = RateLimits.for_deployment(url, namespace=namespace)
    second = RateLimits.for_deployment(url, namespace=namespace)
    try:
        for limits in (first, second):
            assert await limits.hit(THREE_A_MINUTE, "mei") is None
            assert await limits.hit(THREE_APPROXIMATELY, "mei") is None
        assert await first.hit(THREE_A_MINUTE, "mei") is None
        wait = await second.hit(THREE_A_MINUTE, "mei")
        assert wait is not None and 0 < wait <= 60
        assert await second.check(THREE_A_MINUTE, "ben") is None  # per key
        assert await first.hit(THREE_APPROXIMATELY, "mei") is None
        assert await second.hit(THREE_APPROXIMATELY, "mei") is not None
    finally:
        await first.reset()
        await first.close()
        await second.close()


async def test_a_lost_redis_does_not_turn_the_limits_off() -> None:
    nowhere = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    limits = RateLimits.for_deployment(nowhere, namespace="tuan:test:lost")
    try:
        answers = [await limits.hit(THREE_A_MINUTE, "mei") for _ in range(4)]
        assert answers[:3] == [None] * 3 and answers[3] is not None
        assert await limits.check(THREE_A_MINUTE, "mei") is not None
    finally:
        await limits.close()


async def test_a_rule_written_as_nothing_is_off() -> None:
    limits = RateLimits.for_deployment(None, namespace="unused")
    off = rule("test-off", "")
    assert all([await limits.hit(off, "x") is None for _ in range(100)])
