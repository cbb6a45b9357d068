"""The unit of work: one write transaction, its durable events and its live notifications.

Service functions own their transaction::

    async with container.uow() as uow:
        uow.session.add(thing)
        uow.emit(ThingCreated(...))       # durable: outbox row, same transaction
        uow.notify("chat.message", {...})  # live: bus, after commit, recoverable from positions
        await uow.commit()

Leaving the block without ``commit`` rolls everything back; nothing is published.
"""

from __future__ import annotations

import logging
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.core.bus import EventBus
from tuan.core.clock import Clock
from tuan.core.db import Database, write_session
from tuan.core.events import DomainEvent, Envelope
from tuan.core.outbox import OutboxRelay, OutboxRow

log = logging.getLogger(__name__)
_INSERT_OUTBOX = insert(cast(Table, OutboxRow.__table__))


class UnitOfWork:
    session: AsyncSession

    def __init__(self, db: Database, bus: EventBus, clock: Clock, relay: OutboxRelay) -> None:
        self._db = db
        self._bus = bus
        self.clock = clock
        self._relay = relay
        self._events: list[DomainEvent] = []
        self._notifications: list[Envelope] = []
        self._committed = False
        self._session_cm: AbstractAsyncContextManager[AsyncSession] | None = None

    async def __aenter__(self) -> UnitOfWork:
        self._session_cm = write_session(self._db)
        self.session = await self._session_cm.__aenter__()
        self.now = self.clock.now()
        return self

    def emit(self, event: DomainEvent) -> None:
        """Record a durable event; it is written to the outbox when the transaction commits."""
        self._events.append(event)

    def notify(self, topic: str, payload: dict[str, Any]) -> None:
        """Announce something live after commit; subscribers recover a miss from positions."""
        self._notifications.append(Envelope.wrap(topic, payload, self.now))

    async def commit(self) -> None:
        if self._events:
            # One INSERT (executemany) on the table, not an ORM flush: every write pays for this.
            rows = []
            for event in self._events:
                envelope = Envelope.wrap(event.topic, event.payload(), self.now)
                rows.append(
                    {
                        "event_id": envelope.id,
                        "topic": envelope.topic,
                        "payload": envelope.payload,
                        "occurred_at": self.now,
                        "claim_token": None,
                        "claimed_until": None,
                        "published_at": None,
                        "attempts": 0,
                    }
                )
            await self.session.execute(_INSERT_OUTBOX, rows)
        await self.session.commit()
        self._committed = True

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session_cm is not None
        try:
            if not self._committed:
                await self.session.rollback()
        finally:  # even if the rollback fails (a broken connection), give the session back
            await self._session_cm.__aexit__(exc_type, exc, tb)
        if self._committed:
            await self._after_commit()

    async def _after_commit(self) -> None:
        if self._events:
            self._relay.kick()
        if not self._notifications:
            return
        try:
            await self._bus.publish_many(self._notifications)
        except Exception:
            log.warning(
                "%d live notifications not published; clients resync", len(self._notifications)
            )
