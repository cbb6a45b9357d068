"""What an operator sees of the outbox and may do to it: the backlog, the failing and dead
events, and retrying or discarding one (``tuan admin outbox``, ``/readyz``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from tuan.core.db import Database, changed_one, write_session
from tuan.core.outbox import Backlog, OutboxRow, backlog

__all__ = ["Backlog", "FailedEvent", "backlog", "discard", "failed_events", "retry"]


@dataclass(frozen=True)
class FailedEvent:
    id: int
    event_id: str
    topic: str
    attempts: int
    next_attempt_at: datetime | None
    dead_at: datetime | None
    last_error: str | None
    occurred_at: datetime


async def failed_events(db: Database, *, limit: int = 100) -> list[FailedEvent]:
    """Events that failed at least once and are neither published nor discarded, oldest first."""
    async with db.read_sessions() as session:
        rows = await session.scalars(
            select(OutboxRow)
            .where(
                OutboxRow.published_at.is_(None),
                OutboxRow.discarded_at.is_(None),
                OutboxRow.attempts > 0,
            )
            .order_by(OutboxRow.id)
            .limit(limit)
        )
        return [
            FailedEvent(
                id=row.id,
                event_id=row.event_id,
                topic=row.topic,
                attempts=row.attempts,
                next_attempt_at=row.next_attempt_at,
                dead_at=row.dead_at,
                last_error=row.last_error,
                occurred_at=row.occurred_at,
            )
            for row in rows
        ]


async def retry(db: Database, row_id: int) -> bool:
    """Give a failed or dead event a fresh start (due now, attempts from zero); False if there
    is no such undelivered event."""
    async with write_session(db) as session:
        result = await session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.id == row_id,
                OutboxRow.published_at.is_(None),
                OutboxRow.discarded_at.is_(None),
            )
            .values(attempts=0, next_attempt_at=None, dead_at=None, claimed_until=None)
        )
        await session.commit()
    return changed_one(result)


async def discard(db: Database, row_id: int, now: datetime) -> bool:
    """Give up on an undelivered event for good (its handlers never run); False if none."""
    async with write_session(db) as session:
        result = await session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.id == row_id,
                OutboxRow.published_at.is_(None),
                OutboxRow.discarded_at.is_(None),
            )
            .values(discarded_at=now, dead_at=func.coalesce(OutboxRow.dead_at, now))
        )
        await session.commit()
    return changed_one(result)
