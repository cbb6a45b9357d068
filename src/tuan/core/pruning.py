"""Deleting what the system has finished with: handled events and jobs, 7 days on (ADR 0011).

An outbox row, a due job and a handler's ``processed_events`` record are the system's record of
work in flight. Once the work is handled they are kept :data:`HANDLED_KEPT_FOR` (to look into
what happened), then deleted by a daily due job (:func:`register`) or by
``tuan admin prune``. What is not handled is never touched: an event waiting, retrying or dead
(until an operator discards it), a job not yet done — the pruning job's own row included, which
is pending while it runs.

A heavy instance has millions of rows, so each statement deletes at most ``batch_size`` of them
and commits: on SQLite the process has one writer, and a chat message waits only for one batch,
never for the whole prune.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from tuan.core import periodic
from tuan.core.db import Base, Database, rows_changed, write_session
from tuan.core.outbox import OutboxRow, ProcessedEvent
from tuan.core.periodic import every
from tuan.core.scheduler import DueJob
from tuan.core.uow import UnitOfWork
from tuan.core.wiring import Wiring

log = logging.getLogger(__name__)

HANDLED_KEPT_FOR = timedelta(days=7)
PRUNE_BATCH_SIZE = 5000
PRUNE_JOB = "core.prune_handled"
PRUNE_EVERY = timedelta(days=1)
# Slots start at 19:00 UTC, 03:00 in China, when the shops are quiet.
_SLOT_EPOCH = datetime(2026, 1, 1, 19, tzinfo=UTC)


@dataclass(frozen=True)
class Pruned:
    """How many rows a prune deleted, per table."""

    outbox: int = 0
    due_jobs: int = 0
    processed_events: int = 0


async def prune_handled(
    db: Database, *, before: datetime, batch_size: int = PRUNE_BATCH_SIZE
) -> Pruned:
    """Delete the outbox rows published or discarded before ``before``, the due jobs done
    before it, and the handlers' records of events processed before it whose event is no longer
    waiting to be delivered. Each statement deletes at most ``batch_size`` rows in its own
    transaction; it is safe to run twice at once or to stop half way."""
    outbox = await _delete_all(
        db, OutboxRow, (OutboxRow.id,), OutboxRow.published_at < before, batch_size
    ) + await _delete_all(
        db,
        OutboxRow,
        (OutboxRow.id,),
        # Discarded rows are never published; the pending index still narrows them down.
        OutboxRow.published_at.is_(None) & (OutboxRow.discarded_at < before),
        batch_size,
    )
    due_jobs = await _delete_all(db, DueJob, (DueJob.id,), DueJob.done_at < before, batch_size)
    processed = await _delete_all(
        db,
        ProcessedEvent,
        (ProcessedEvent.handler, ProcessedEvent.event_id),
        (ProcessedEvent.processed_at < before) & ~_still_to_deliver(),
        batch_size,
    )
    return Pruned(outbox=outbox, due_jobs=due_jobs, processed_events=processed)


def _still_to_deliver() -> ColumnElement[bool]:
    """The record's event is in the outbox and not delivered: a handler that already applied
    it must still find its record when the event is retried (an operator may retry a dead
    event weeks later), or it would apply it twice."""
    return exists().where(
        OutboxRow.event_id == ProcessedEvent.event_id,
        OutboxRow.published_at.is_(None),
        OutboxRow.discarded_at.is_(None),
    )


async def _delete_all(
    db: Database,
    table: type[Base],
    key: tuple[InstrumentedAttribute[Any], ...],
    handled: ColumnElement[bool],
    batch_size: int,
) -> int:
    """Delete the rows of ``table`` matching ``handled``, ``batch_size`` at a time, each batch
    committed; ``key`` is the table's primary key."""
    row = tuple_(*key) if len(key) > 1 else key[0]
    deleted = 0
    while True:
        batch = select(*key).where(handled).limit(batch_size)
        # The condition is repeated so PostgreSQL re-checks it on the locked row.
        statement = (
            delete(table)
            .where(row.in_(batch), handled)
            .execution_options(synchronize_session=False)
        )
        async with write_session(db) as session:
            count = rows_changed(await session.execute(statement))
            await session.commit()
        deleted += count
        if count < batch_size:
            return deleted


def slot_start(now: datetime) -> datetime:
    """The start of the daily prune slot holding ``now``."""
    return periodic.slot_start(now, PRUNE_EVERY, _SLOT_EPOCH)


def register(wiring: Wiring) -> None:
    """The daily prune: a due job per slot, asked for at start and at each slot's start."""
    scheduler = wiring.scheduler

    async def prune(job: DueJob) -> Pruned:
        # Before the job's transaction opens: each batch commits on its own (see the module
        # docstring). A claim lost meanwhile only means another sweeper prunes the rest.
        return await prune_handled(wiring.db, before=wiring.clock.now() - HANDLED_KEPT_FOR)

    async def report(uow: UnitOfWork, job: DueJob, pruned: Pruned) -> None:
        log.info(
            "pruned %d outbox events, %d due jobs and %d processed-event records handled "
            "more than %s ago",
            pruned.outbox,
            pruned.due_jobs,
            pruned.processed_events,
            HANDLED_KEPT_FOR,
        )

    scheduler.register_prepared(PRUNE_JOB, prune, report)

    every(
        wiring, kind=PRUNE_JOB, period=PRUNE_EVERY, epoch=_SLOT_EPOCH, worker="prune-handled-daily"
    )
