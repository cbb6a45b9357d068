"""Handled events and jobs are deleted 7 days on (ADR 0011); nothing still to do is touched."""

from __future__ import annotations

import asyncio
import itertools
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from tuan.bootstrap import Container
from tuan.core.db import write_session
from tuan.core.outbox import OutboxRow, ProcessedEvent
from tuan.core.pruning import (
    HANDLED_KEPT_FOR,
    PRUNE_JOB,
    Pruned,
    prune_handled,
    slot_start,
)
from tuan.core.scheduler import DueJob, schedule_once

OLD = HANDLED_KEPT_FOR + timedelta(hours=1)
RECENT = HANDLED_KEPT_FOR - timedelta(hours=1)
_numbers = itertools.count(1)


class Rows:
    """Outbox rows, due jobs and processed-event records, each named for what it is."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.now = container.clock.now()
        self.events: dict[str, str] = {}  # name -> event id
        self.jobs: list[str] = []

    async def event(self, name: str, **state: Any) -> str:
        event_id = f"{next(_numbers):032d}"
        row = {"event_id": event_id, "topic": "test.pruned", "payload": {"name": name}}
        row |= {"occurred_at": self.now - timedelta(days=30), "attempts": 0} | state
        await self._insert(OutboxRow, row)
        self.events[name] = event_id
        return event_id

    async def job(self, name: str, **state: Any) -> None:
        # A kind no scheduler handles: the container's sweeper leaves pending ones alone.
        row = {"kind": "test.not_run", "key": name, "payload": {}, "attempts": 0}
        row |= {"run_at": self.now - timedelta(days=30), "created_at": self.now} | state
        await self._insert(DueJob, row)
        self.jobs.append(name)

    async def handled(self, handler: str, event_id: str, processed_at: datetime) -> None:
        row = {"handler": handler, "event_id": event_id, "processed_at": processed_at}
        await self._insert(ProcessedEvent, row)

    async def _insert(self, model: Any, row: dict[str, Any]) -> None:
        async with write_session(self.container.db) as session:
            await session.execute(insert(model).values(**row))
            await session.commit()

    async def remaining(self) -> tuple[set[str], set[str], set[tuple[str, str]]]:
        names = {event_id: name for name, event_id in self.events.items()}
        async with self.container.db.read_sessions() as session:
            events = {names[e] for e in await session.scalars(select(OutboxRow.event_id))}
            jobs = set(
                await session.scalars(select(DueJob.key).where(DueJob.kind == "test.not_run"))
            )
            records = {
                (handler, names.get(event_id, event_id))
                for handler, event_id in await session.execute(
                    select(ProcessedEvent.handler, ProcessedEvent.event_id)
                )
            }
        return events, jobs, records


async def some_of_everything(rows: Rows) -> None:
    """Handled long ago, handled lately, and every kind of work still to do."""
    now = rows.now
    for n in range(5):  # more than a batch of 2
        old = await rows.event(f"published_old_{n}", published_at=now - OLD)
        await rows.handled("ledger.settle", old, now - OLD)
    await rows.event("published_recent", published_at=now - RECENT)
    await rows.event("discarded_old", dead_at=now - OLD, discarded_at=now - OLD)
    await rows.event("discarded_recent", dead_at=now - OLD, discarded_at=now - RECENT)
    later = now + timedelta(minutes=10)
    await rows.event("waiting", next_attempt_at=later)  # not due, so no relay takes it
    retrying = await rows.event("retrying", attempts=3, next_attempt_at=later, last_error="x")
    dead = await rows.event("dead", attempts=10, next_attempt_at=later, dead_at=now - OLD)
    # A handler that applied an event whose other handler still fails: its record must stay,
    # or retrying the event (an operator may, weeks later) would apply it twice.
    await rows.handled("ledger.settle", retrying, now - OLD)
    await rows.handled("trust.count", dead, now - OLD)
    await rows.handled("trust.count", rows.events["published_recent"], now - RECENT)

    for n in range(3):
        await rows.job(f"done_old_{n}", done_at=now - OLD)
    await rows.job("done_recent", done_at=now - RECENT)
    await rows.job("pending_overdue")
    await rows.job("pending_later", run_at=now + timedelta(days=30))
    await rows.job("retrying_job", attempts=4, last_error="provider down")


STILL_THERE = (
    {"published_recent", "discarded_recent", "waiting", "retrying", "dead"},
    {"done_recent", "pending_overdue", "pending_later", "retrying_job"},
    {
        ("ledger.settle", "retrying"),
        ("trust.count", "dead"),
        ("trust.count", "published_recent"),
    },
)


async def test_only_what_was_handled_more_than_7_days_ago_is_deleted(
    container: Container,
) -> None:
    await container.stop_workers()  # no relay or sweeper touches the rows meanwhile
    rows = Rows(container)
    await some_of_everything(rows)

    pruned = await prune_handled(
        container.db, before=container.clock.now() - HANDLED_KEPT_FOR, batch_size=2
    )

    assert pruned == Pruned(outbox=6, due_jobs=3, processed_events=5)
    assert await rows.remaining() == STILL_THERE
    # Once more changes nothing: everything left is recent or still to do.
    again = await prune_handled(container.db, before=container.clock.now() - HANDLED_KEPT_FOR)
    assert again == Pruned() and await rows.remaining() == STILL_THERE


async def test_the_server_schedules_a_daily_prune_that_deletes_old_handled_rows(
    container: Container,
) -> None:
    today = slot_start(container.clock.now()).isoformat()
    async with asyncio.timeout(10):  # asked for at start, by the server's own worker
        while not await prune_job(container, today):
            await asyncio.sleep(0.02)

    rows = Rows(container)
    await some_of_everything(rows)
    async with container.uow() as uow:  # as the worker does when the next day's slot starts
        assert await schedule_once(
            uow.session, kind=PRUNE_JOB, key="tomorrow", run_at=uow.now, now=uow.now
        )
        uow.on_commit(container.scheduler.kick)
        await uow.commit()
    async with asyncio.timeout(10):  # run by the server's own sweeper
        while (job := await prune_job(container, "tomorrow")) and job.done_at is None:
            await asyncio.sleep(0.02)

    assert job is not None and job.attempts == 0  # it did not fail on its own pending row
    assert await rows.remaining() == STILL_THERE


async def prune_job(container: Container, key: str) -> DueJob | None:
    async with container.db.read_sessions() as session:
        job: DueJob | None = await session.scalar(
            select(DueJob).where(DueJob.kind == PRUNE_JOB, DueJob.key == key)
        )
        return job
