"""Waiting for a kick or a timeout, whichever comes first, in a way cancellation always ends.

``asyncio.wait_for(event.wait(), t)`` runs the wait in an inner task; on Python 3.11 a
cancellation that races that inner task can leave the outer task waiting for it forever (seen
as a worker that never stops at shutdown). ``asyncio.timeout`` waits in the caller's own task,
so a cancel reaches it directly.
"""

from __future__ import annotations

import asyncio
import contextlib


async def wait_for_kick(kicked: asyncio.Event, seconds: float) -> None:
    """Return when ``kicked`` is set (and clear it) or after ``seconds``."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await kicked.wait()
    kicked.clear()
