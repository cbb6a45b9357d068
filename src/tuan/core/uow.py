"""The unit of work: one write transaction, its durable events and its live notifications.

The transaction rule (ADR 0007): a service function *takes* an open unit of work and never opens,
commits or rolls back one. Whoever calls it from outside (the HTTP edge, the outbox relay, the
scheduler, the CLI) opens it with :meth:`Transactions.run`, which commits when the use case
returns and rolls back when it raises::

    order = await transactions.run(lifecycle.ship_order, order_id=7, actor_id=3)

    async def ship_order(uow: UnitOfWork, *, order_id: int, actor_id: int) -> Order:
        ...
        uow.emit(OrderShipped(...))         # durable: outbox row, same transaction
        uow.notify("orders.changed", {...})  # live: bus, after commit, recoverable from positions

A domain that must change another in the same transaction calls that domain's ``commands`` with
the unit of work it was given.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar, cast

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.core.bus import EventBus
from tuan.core.clock import Clock
from tuan.core.db import Database, write_session
from tuan.core.events import DomainEvent, Envelope
from tuan.core.outbox import OutboxRelay, OutboxRow

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")
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
        self._on_commit: list[Callable[[], None]] = []
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

    def on_commit(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the transaction has committed (never if it rolls back): e.g.
        wake the scheduler for a job this transaction added."""
        self._on_commit.append(callback)

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
        for callback in self._on_commit:
            callback()
        if not self._notifications:
            return
        try:
            await self._bus.publish_many(self._notifications)
        except Exception:
            log.warning(
                "%d live notifications not published; clients resync", len(self._notifications)
            )


class Transactor(Protocol):
    """What opens transactions: given to the few functions that must commit between steps (a
    payment provider is asked between two transactions; heavy work runs before the write)."""

    async def run(
        self,
        use_case: Callable[Concatenate[UnitOfWork, P], Awaitable[T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T: ...


class Transactions:
    """The one place a unit of work is opened and committed."""

    def __init__(self, db: Database, bus: EventBus, clock: Clock, relay: OutboxRelay) -> None:
        self._db, self._bus, self._clock, self._relay = db, bus, clock, relay

    def uow(self) -> UnitOfWork:
        """A fresh unit of work, not yet entered (for :meth:`run` and tests)."""
        return UnitOfWork(self._db, self._bus, self._clock, self._relay)

    async def run(
        self,
        use_case: Callable[Concatenate[UnitOfWork, P], Awaitable[T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run ``use_case`` in one transaction: committed if it returns, rolled back if it raises;
        events and notifications go out only after the commit."""
        async with self.uow() as uow:
            result = await use_case(uow, *args, **kwargs)
            await uow.commit()
        return result
