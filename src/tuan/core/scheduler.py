"""A durable scheduler: jobs that must run at a time, kept in the database, never in memory.

Deadlines (a reservation that expires, a team purchase that must fill within 24 hours, a refund to
send to the payment provider) are rows in ``due_jobs``. A sweep *claims* the due rows with one
conditional ``UPDATE`` (the same pattern as the outbox relay: two sweepers, in one process or two,
never win the same row), then runs each job's handler **in a transaction that also marks the job
done** — and only while its claim still holds. So a job's effects commit exactly once, a process
that dies mid-way leaves a claim that expires, and a restart changes nothing: the sweep at start-up
finds whatever fell due while no process was running.

Handlers are registered per ``kind``; a job's ``key`` is unique per kind, so scheduling the same
deadline twice (a retried request) keeps one job.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from tuan.core.clock import Clock
from tuan.core.db import Base, BigId, Database, UTCDateTime, changed_one, write_session
from tuan.core.uow import UnitOfWork
from tuan.core.wake import wait_for_kick

log = logging.getLogger(__name__)

JobHandler = Callable[[UnitOfWork, "DueJob"], Awaitable[None]]
Preparation = Callable[["DueJob"], Awaitable[Any]]
PreparedHandler = Callable[[UnitOfWork, "DueJob", Any], Awaitable[None]]
SWEEP_POLL_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 300


class DueJob(Base):
    __tablename__ = "due_jobs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(60))
    key: Mapped[str] = mapped_column(String(120))
    run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    claim_token: Mapped[str | None] = mapped_column(String(32), default=None)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("kind", "key"),
        Index("ix_due_jobs_pending", "done_at", "run_at"),
    )


class ClaimLost(Exception):
    """Another sweeper took the job over (our claim expired); our work is rolled back."""


_INSERT_JOB = insert(cast(Table, DueJob.__table__))


async def schedule(
    session: AsyncSession,
    *,
    kind: str,
    key: str,
    run_at: datetime,
    now: datetime,
    payload: dict[str, Any] | None = None,
) -> None:
    """Add a job in the caller's transaction. The key must be new (see :func:`schedule_once`).

    One prebuilt Core ``INSERT``, not an ORM flush: a checkout schedules its reservation's expiry
    with it, so every paid order pays for this statement.
    """
    await session.execute(
        _INSERT_JOB,
        {
            "kind": kind,
            "key": key,
            "run_at": run_at,
            "payload": payload or {},
            "claim_token": None,
            "claimed_until": None,
            "done_at": None,
            "attempts": 0,
            "last_error": None,
            "created_at": now,
        },
    )


async def schedule_once(
    session: AsyncSession,
    *,
    kind: str,
    key: str,
    run_at: datetime,
    now: datetime,
    payload: dict[str, Any] | None = None,
) -> bool:
    """Add a job unless one with the same kind and key exists; False if it already did."""
    try:
        async with session.begin_nested():
            await schedule(session, kind=kind, key=key, run_at=run_at, now=now, payload=payload)
    except IntegrityError:
        return False
    return True


class Scheduler:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        new_uow: Callable[[], UnitOfWork],
        *,
        batch_size: int = 50,
        claim_seconds: int = 120,
    ) -> None:
        self._db = db
        self._clock = clock
        self._new_uow = new_uow
        self._batch_size = batch_size
        self._claim = timedelta(seconds=claim_seconds)
        self._handlers: dict[str, Callable[..., Awaitable[None]]] = {}
        self._preparations: dict[str, Preparation] = {}
        self._side_by_side: dict[str, int] = {}
        self._wake = asyncio.Event()

    def register(self, kind: str, handler: JobHandler) -> None:
        self._add(kind, handler)

    def register_prepared(
        self,
        kind: str,
        prepare: Preparation,
        handler: PreparedHandler,
        *,
        side_by_side: int = 1,
    ) -> None:
        """A job with heavy work that needs no transaction (a model to compute, a request to
        post).

        ``prepare`` runs once the job is claimed, before its transaction opens, so on SQLite it
        does not hold the process's write lock and other writes go on meanwhile; ``handler`` then
        writes what it returned, in the transaction that marks the job done. A claim lost while
        preparing is found there as always, and the prepared result is dropped.

        ``side_by_side`` > 1 runs up to that many of a sweep's jobs of this kind at once: jobs
        that wait on another server (a push service) and touch nothing in common, so that a
        hundred of them due together do not queue one behind another.
        """
        self._add(kind, handler)
        self._preparations[kind] = prepare
        self._side_by_side[kind] = max(1, side_by_side)

    def _add(self, kind: str, handler: Callable[..., Awaitable[None]]) -> None:
        if kind in self._handlers:
            raise ValueError(f"a handler for due job kind {kind!r} is already registered")
        self._handlers[kind] = handler

    def kick(self) -> None:
        """Ask the running sweeper to sweep now instead of at its next poll."""
        self._wake.set()

    async def sweep(self) -> int:
        """Run every job that is due; returns how many completed."""
        completed = 0
        while True:
            token, jobs = await self._claim_batch()
            if not jobs:
                return completed
            together = [job for job in jobs if self._side_by_side.get(job.kind, 1) > 1]
            for job in jobs:
                if job not in together and await self._run(job, token):
                    completed += 1
            completed += await self._run_side_by_side(together, token)

    async def _run_side_by_side(self, jobs: list[DueJob], token: str) -> int:
        if not jobs:
            return 0
        room = asyncio.Semaphore(max(self._side_by_side[job.kind] for job in jobs))

        async def run(job: DueJob) -> bool:
            async with room:
                return await self._run(job, token)

        return sum(await asyncio.gather(*(run(job) for job in jobs)))

    async def _claim_batch(self) -> tuple[str, list[DueJob]]:
        now = self._clock.now()
        token = uuid.uuid4().hex
        due = (
            DueJob.done_at.is_(None)
            & (DueJob.run_at <= now)
            & (DueJob.claimed_until.is_(None) | (DueJob.claimed_until < now))
            & DueJob.kind.in_(sorted(self._handlers))
        )
        async with write_session(self._db) as session:
            candidates = (
                select(DueJob.id).where(due).order_by(DueJob.run_at).limit(self._batch_size)
            )
            # The condition is repeated so PostgreSQL re-checks it on the locked row.
            await session.execute(
                update(DueJob)
                .where(DueJob.id.in_(candidates.scalar_subquery()), due)
                .values(claim_token=token, claimed_until=now + self._claim)
                .execution_options(synchronize_session=False)
            )
            await session.commit()
        async with self._db.read_sessions() as session:
            jobs = (
                await session.scalars(
                    select(DueJob).where(DueJob.claim_token == token).order_by(DueJob.run_at)
                )
            ).all()
        return token, list(jobs)

    async def _run(self, job: DueJob, token: str) -> bool:
        handler = self._handlers[job.kind]
        prepare = self._preparations.get(job.kind)
        try:
            prepared = () if prepare is None else (await prepare(job),)
            async with self._new_uow() as uow:
                await handler(uow, job, *prepared)
                finished = await uow.session.execute(
                    update(DueJob)
                    .where(
                        DueJob.id == job.id,
                        DueJob.claim_token == token,
                        DueJob.done_at.is_(None),
                    )
                    .values(done_at=uow.now, claimed_until=None)
                )
                if not changed_one(finished):
                    raise ClaimLost()
                await uow.commit()
            return True
        except ClaimLost:
            log.warning("due job %s %s was taken over by another sweeper", job.kind, job.key)
            return False
        except Exception as exc:
            log.exception("due job %s %s failed; it will be retried", job.kind, job.key)
            await self._release_after_failure(job, token, exc)
            return False

    async def _release_after_failure(self, job: DueJob, token: str, exc: Exception) -> None:
        now = self._clock.now()
        backoff = timedelta(seconds=min(MAX_BACKOFF_SECONDS, 2 ** min(job.attempts + 1, 16)))
        async with write_session(self._db) as session:
            await session.execute(
                update(DueJob)
                .where(DueJob.id == job.id, DueJob.claim_token == token)
                .values(
                    claim_token=None,
                    claimed_until=None,
                    attempts=DueJob.attempts + 1,
                    run_at=now + backoff,
                    last_error=f"{type(exc).__name__}: {exc}"[:500],
                )
            )
            await session.commit()

    async def run(self, poll_seconds: float = SWEEP_POLL_SECONDS) -> None:
        """Sweep at start, then whenever kicked or every ``poll_seconds``; runs until cancelled."""
        while True:
            try:
                await self.sweep()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("due job sweep failed")
            await wait_for_kick(self._wake, poll_seconds)
