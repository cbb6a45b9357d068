"""Fakes for tests: things we control instead of mocking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tuan.core.bus import EventBus
from tuan.core.events import Envelope


class ShiftableClock:
    """Real time plus an offset the test can move forward (no sleeping for expiry tests)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


class FlakyBus(EventBus):
    """A bus that fails the next ``failures`` publishes, then records what it publishes."""

    def __init__(self, failures: int = 0) -> None:
        super().__init__()
        self.failures = failures
        self.published: list[Envelope] = []

    async def publish(self, envelope: Envelope) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionError("bus unavailable (test)")
        self.published.append(envelope)
        await self._dispatch(envelope)
