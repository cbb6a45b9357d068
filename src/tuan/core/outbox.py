"""The transactional outbox and its relay.

A change and the events it causes commit together: ``UnitOfWork.emit`` adds an ``outbox`` row in
the same transaction. After commit the relay *claims* due rows with a conditional update (so two
relays, in one process or in two, never take the same row), runs the durable handlers registered
for the topic, publishes the envelope on the bus and marks the row published. Handlers make their
effects exactly-once with :func:`first_time`, which records ``(handler, event id)`` in the
handler's own transaction; a process that dies mid-way leaves a claim that expires.

Each row fails on its own. A row whose handler raises is retried with growing back-off
(``attempts``, ``next_attempt_at``, ``last_error``) while the rows behind it go on; after
:data:`MAX_ATTEMPTS` it is *dead* (``dead_at``) until an operator retries or discards it
(``tuan admin outbox``). A bus that cannot publish is not a row's fault: the batch is given back
untouched and the next drain — periodic, and at start-up — tries again.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, ColumnElement, Index, Integer, String, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from tuan.core.bus import EventBus
from tuan.core.clock import Clock
from tuan.core.db import Base, BigId, Database, UTCDateTime, write_session
from tuan.core.events import BadEventPayload, Envelope, decode
from tuan.core.wake import wait_for_kick

log = logging.getLogger(__name__)

DurableHandler = Callable[[Envelope], Awaitable[None]]
MAX_ATTEMPTS = 10
FIRST_BACKOFF_SECONDS = 2
MAX_BACKOFF_SECONDS = 3600


def backoff(attempts: int) -> timedelta:
    """How long a row waits after its ``attempts``-th failure: 2 s, 4 s, 8 s… at most an hour."""
    exponent = min(max(attempts - 1, 0), 20)
    return timedelta(seconds=min(MAX_BACKOFF_SECONDS, FIRST_BACKOFF_SECONDS * 2**exponent))


class OutboxRow(Base):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(32), unique=True)
    topic: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(32), default=None)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    dead_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    discarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    __table_args__ = (Index("ix_outbox_pending", "published_at", "id"),)

    def envelope(self) -> Envelope:
        return Envelope(
            id=self.event_id,
            topic=self.topic,
            payload=self.payload,
            occurred_at=self.occurred_at.isoformat(),
        )


class ProcessedEvent(Base):
    """Which durable handler has already applied which event."""

    __tablename__ = "processed_events"

    handler: Mapped[str] = mapped_column(String(100), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


async def first_time(session: AsyncSession, handler: str, event_id: str, now: datetime) -> bool:
    """Record that ``handler`` applies ``event_id`` in this transaction; False if it already did."""
    async with session.begin_nested():
        try:
            session.add(ProcessedEvent(handler=handler, event_id=event_id, processed_at=now))
            await session.flush()
        except IntegrityError:
            return False
    return True


@dataclass(frozen=True)
class Backlog:
    waiting: int  # not yet published, not dead (due now or after a back-off)
    retrying: int  # of those, failed at least once
    dead: int  # gave up after MAX_ATTEMPTS; an operator decides


async def backlog(db: Database) -> Backlog:
    """How many events wait, retry after failing, or are dead."""
    undelivered = OutboxRow.published_at.is_(None) & OutboxRow.discarded_at.is_(None)
    async with db.read_sessions() as session:
        waiting, retrying, dead = (
            await session.execute(
                select(
                    func.count().filter(OutboxRow.dead_at.is_(None)),
                    func.count().filter(OutboxRow.dead_at.is_(None), OutboxRow.attempts > 0),
                    func.count().filter(OutboxRow.dead_at.is_not(None)),
                ).where(undelivered)
            )
        ).one()
    return Backlog(waiting=int(waiting), retrying=int(retrying), dead=int(dead))


class OutboxRelay:
    def __init__(
        self,
        db: Database,
        bus: EventBus,
        clock: Clock,
        *,
        batch_size: int = 200,
        claim_seconds: int = 60,
    ) -> None:
        self._db = db
        self._bus = bus
        self._clock = clock
        self._batch_size = batch_size
        self._claim = timedelta(seconds=claim_seconds)
        self._handlers: dict[str, list[DurableHandler]] = defaultdict(list)
        self._wake = asyncio.Event()

    def register(self, topic: str, handler: DurableHandler) -> None:
        """Run ``handler`` (exactly once in effect, see :func:`first_time`) for every ``topic``."""
        self._handlers[topic].append(handler)

    def kick(self) -> None:
        """Ask the running relay loop to drain now instead of at its next poll."""
        self._wake.set()

    async def drain(self) -> int:
        """Publish every due outbox row; returns how many were published."""
        published = 0
        while True:
            token, rows = await self._claim_batch()
            if not rows:
                return published
            done: list[int] = []
            failed: list[tuple[OutboxRow, Exception]] = []
            for row in rows:
                envelope = row.envelope()
                try:
                    decode(envelope)  # a payload that does not fit its class fails here, once
                    for handler in self._handlers.get(row.topic, ()):
                        await handler(envelope)
                except Exception as exc:
                    log.exception("durable handler of %s %s failed", row.topic, row.event_id)
                    failed.append((row, exc))
                    continue
                try:
                    await self._bus.publish(envelope)
                except Exception:
                    log.warning("bus publish failed; the outbox retries on the next drain")
                    await self._settle(token, done, failed)
                    return published + len(done)
                done.append(row.id)
            await self._settle(token, done, failed)
            published += len(done)

    async def settle(self) -> None:
        """Drain until no row is due, including rows another drain has claimed meanwhile (a
        synchronisation point for tests and one-off commands; bound it with
        ``asyncio.timeout``). Rows waiting out a back-off, and dead rows, are not due."""
        while True:
            await self.drain()
            async with self._db.read_sessions() as session:
                due = await session.scalar(
                    select(func.count())
                    .select_from(OutboxRow)
                    .where(_undelivered(), _retry_due(self._clock.now()))
                )
            if not due:
                return
            await asyncio.sleep(0.02)

    async def _claim_batch(self) -> tuple[str, list[OutboxRow]]:
        now = self._clock.now()
        token = uuid.uuid4().hex
        due = (
            _undelivered()
            & _retry_due(now)
            & (OutboxRow.claimed_until.is_(None) | (OutboxRow.claimed_until < now))
        )
        async with write_session(self._db) as session:
            candidates = (
                select(OutboxRow.id).where(due).order_by(OutboxRow.id).limit(self._batch_size)
            )
            # The repeated condition is re-checked on the locked row by PostgreSQL, so two
            # relays racing for the same rows cannot both win them.
            await session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(candidates.scalar_subquery()), due)
                .values(claim_token=token, claimed_until=now + self._claim)
                .execution_options(synchronize_session=False)
            )
            await session.commit()
        async with self._db.read_sessions() as session:
            rows = (
                await session.scalars(
                    select(OutboxRow).where(OutboxRow.claim_token == token).order_by(OutboxRow.id)
                )
            ).all()
        return token, list(rows)

    async def _settle(
        self, token: str, published_ids: list[int], failed: list[tuple[OutboxRow, Exception]]
    ) -> None:
        """Mark what was published, put each failed row on back-off (or dead), and give back the
        rest of the batch untouched."""
        now = self._clock.now()
        async with write_session(self._db) as session:
            if published_ids:
                await session.execute(
                    update(OutboxRow)
                    .where(OutboxRow.id.in_(published_ids), OutboxRow.claim_token == token)
                    .values(published_at=now, claimed_until=None)
                )
            for row, exc in failed:
                attempts = row.attempts + 1
                # Bad data stays bad: it waits for an operator at once instead of ten retries.
                dead = attempts >= MAX_ATTEMPTS or isinstance(exc, BadEventPayload)
                await session.execute(
                    update(OutboxRow)
                    .where(OutboxRow.id == row.id, OutboxRow.claim_token == token)
                    .values(
                        claim_token=None,
                        claimed_until=None,
                        attempts=attempts,
                        next_attempt_at=now + backoff(attempts),
                        last_error=f"{type(exc).__name__}: {exc}"[:500],
                        dead_at=now if dead else None,
                    )
                )
                if dead:
                    log.error(
                        "outbox event %s (%s) is dead after %d attempts: %s; "
                        "see `tuan admin outbox`",
                        row.event_id,
                        row.topic,
                        attempts,
                        exc,
                    )
            await session.execute(
                update(OutboxRow)
                .where(OutboxRow.claim_token == token, OutboxRow.published_at.is_(None))
                .values(claim_token=None, claimed_until=None)
            )
            await session.commit()
        if failed:
            counts = await backlog(self._db)
            log.warning(
                "outbox: %d events waiting, %d of them retrying after a failure, %d dead",
                counts.waiting,
                counts.retrying,
                counts.dead,
            )

    async def run(self, poll_seconds: float) -> None:
        """Drain at start, then whenever kicked or every ``poll_seconds``; runs until cancelled."""
        while True:
            try:
                await self.drain()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox drain failed")
            await wait_for_kick(self._wake, poll_seconds)


def _undelivered() -> ColumnElement[bool]:
    return OutboxRow.published_at.is_(None) & OutboxRow.dead_at.is_(None)


def _retry_due(now: datetime) -> ColumnElement[bool]:
    return OutboxRow.next_attempt_at.is_(None) | (OutboxRow.next_attempt_at <= now)
