"""The durable scheduler: jobs live in the database, run once each however many sweep, are
retried after a failure, and survive a restart."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from tests.fakes import ShiftableClock
from tuan.bootstrap import Container
from tuan.core.scheduler import DueJob, Scheduler, schedule, schedule_once
from tuan.core.uow import UnitOfWork
from tuan.ledger.models import LedgerAccount

KIND = "test.write_marker"


def scheduler_with(container: Container, calls: list[str], fail_first: int = 0) -> Scheduler:
    """A scheduler whose job writes a row (so 'ran twice' would show in the database)."""
    scheduler = Scheduler(container.db, container.clock, container.uow)
    failures = {"left": fail_first}

    async def write_marker(uow: UnitOfWork, job: DueJob) -> None:
        if failures["left"] > 0:
            failures["left"] -= 1
            raise RuntimeError("the provider is down (test)")
        calls.append(job.key)
        uow.session.add(
            LedgerAccount(code=f"marker:{job.key}", kind="test", currency="CNY", created_at=uow.now)
        )

    scheduler.register(KIND, write_marker)
    return scheduler


async def add_jobs(container: Container, count: int, *, in_seconds: float = 0) -> None:
    async with container.uow() as uow:
        for n in range(count):
            await schedule(
                uow.session,
                kind=KIND,
                key=f"job{n}",
                run_at=uow.now + timedelta(seconds=in_seconds),
                now=uow.now,
            )
        await uow.commit()


async def markers(container: Container) -> int:
    async with container.db.read_sessions() as session:
        return int(
            await session.scalar(
                select(func.count()).select_from(LedgerAccount).where(LedgerAccount.kind == "test")
            )
            or 0
        )


async def test_a_job_runs_when_due_and_not_before(
    container: Container, clock: ShiftableClock
) -> None:
    calls: list[str] = []
    scheduler = scheduler_with(container, calls)
    await add_jobs(container, 1, in_seconds=60)
    assert await scheduler.sweep() == 0 and calls == []
    clock.advance(seconds=61)
    assert await scheduler.sweep() == 1 and calls == ["job0"]
    assert await scheduler.sweep() == 0


async def test_four_sweepers_at_once_run_every_job_exactly_once(container: Container) -> None:
    calls: list[str] = []
    schedulers = [scheduler_with(container, calls) for _ in range(4)]
    await add_jobs(container, 40)
    done = await asyncio.gather(*(s.sweep() for s in schedulers))
    assert sum(done) == 40 and sorted(calls) == sorted(f"job{n}" for n in range(40))
    assert await markers(container) == 40


async def test_a_failed_job_is_retried_later_and_its_half_work_rolled_back(
    container: Container, clock: ShiftableClock
) -> None:
    calls: list[str] = []
    scheduler = scheduler_with(container, calls, fail_first=1)
    await add_jobs(container, 1)
    assert await scheduler.sweep() == 0 and await markers(container) == 0
    async with container.db.read_sessions() as session:
        job = await session.scalar(select(DueJob).where(DueJob.kind == KIND))
    assert job is not None and job.attempts == 1 and "provider is down" in (job.last_error or "")
    clock.advance(seconds=3)  # the back-off
    assert await scheduler.sweep() == 1 and await markers(container) == 1


async def test_a_restarted_process_finds_what_fell_due_while_it_was_down(
    container: Container, clock: ShiftableClock
) -> None:
    await add_jobs(container, 3, in_seconds=3600)
    clock.advance(hours=2)  # "the server was down"
    calls: list[str] = []
    fresh = scheduler_with(container, calls)  # a new process: nothing in memory
    assert await fresh.sweep() == 3


async def test_scheduling_the_same_key_twice_keeps_one_job(container: Container) -> None:
    async with container.uow() as uow:
        first = await schedule_once(uow.session, kind=KIND, key="same", run_at=uow.now, now=uow.now)
        second = await schedule_once(
            uow.session, kind=KIND, key="same", run_at=uow.now, now=uow.now
        )
        await uow.commit()
    assert (first, second) == (True, False)
    calls: list[str] = []
    assert await scheduler_with(container, calls).sweep() == 1


async def test_a_job_whose_claim_was_taken_over_commits_nothing(
    container: Container, clock: ShiftableClock
) -> None:
    """A sweeper that stalls past its claim loses the job to another; its work is rolled back."""
    calls: list[str] = []
    slow = Scheduler(container.db, container.clock, container.uow, claim_seconds=1)
    fast = scheduler_with(container, calls)
    release = asyncio.Event()

    async def stall(uow: UnitOfWork, job: DueJob) -> None:
        uow.session.add(
            LedgerAccount(code="marker:slow", kind="test", currency="CNY", created_at=uow.now)
        )
        await release.wait()

    slow.register(KIND, stall)
    await add_jobs(container, 1)
    stalled = asyncio.create_task(slow.sweep())
    await asyncio.sleep(0.2)
    clock.advance(seconds=5)  # the slow sweeper's claim has expired
    if container.db.is_sqlite:
        # One process on SQLite: the stalled job holds the write lock, so nobody can take it
        # over; it simply finishes, and the other sweeper finds nothing left to do.
        release.set()
        assert await stalled == 1
        assert await fast.sweep() == 0 and calls == []
    else:
        assert await fast.sweep() == 1
        release.set()
        assert await stalled == 0
        assert calls == ["job0"]
    assert await markers(container) == 1


async def test_a_prepared_jobs_heavy_work_does_not_hold_up_other_writes(
    container: Container,
) -> None:
    """A model computed for a job (the For-you retrain) is computed before the job's write
    transaction opens: on SQLite, where a process writes one transaction at a time, a chat
    message or an order written meanwhile does not wait for it."""
    scheduler = Scheduler(container.db, container.clock, container.uow)
    computing = asyncio.Event()
    finish = asyncio.Event()
    stored: list[str] = []

    async def compute(job: DueJob) -> str:
        computing.set()
        await finish.wait()
        return f"model for {job.key}"

    async def store(uow: UnitOfWork, job: DueJob, model: str) -> None:
        stored.append(model)
        uow.session.add(
            LedgerAccount(code=f"marker:{job.key}", kind="test", currency="CNY", created_at=uow.now)
        )

    scheduler.register_prepared(KIND, compute, store)
    await add_jobs(container, 1)
    sweep = asyncio.create_task(scheduler.sweep())

    async def write_meanwhile() -> None:
        async with container.uow() as uow:
            uow.session.add(
                LedgerAccount(
                    code="marker:meanwhile", kind="test", currency="CNY", created_at=uow.now
                )
            )
            await uow.commit()

    try:
        await asyncio.wait_for(computing.wait(), timeout=30)
        await asyncio.wait_for(write_meanwhile(), timeout=30)  # would wait for the job
        assert await markers(container) == 1 and stored == []
    finally:
        finish.set()
    assert await sweep == 1
    assert stored == ["model for job0"] and await markers(container) == 2
    assert await scheduler.sweep() == 0  # done once


async def test_a_prepared_job_that_fails_to_prepare_is_retried(
    container: Container, clock: ShiftableClock
) -> None:
    scheduler = Scheduler(container.db, container.clock, container.uow)
    attempts: list[int] = []
    stored: list[int] = []

    async def compute(job: DueJob) -> int:
        attempts.append(len(attempts))
        if len(attempts) == 1:
            raise RuntimeError("out of memory (test)")
        return len(attempts)

    async def store(uow: UnitOfWork, job: DueJob, attempt: int) -> None:
        stored.append(attempt)

    scheduler.register_prepared(KIND, compute, store)
    await add_jobs(container, 1)
    assert await scheduler.sweep() == 0 and stored == []
    clock.advance(seconds=3600)
    assert await scheduler.sweep() == 1 and stored == [2]


async def test_jobs_that_wait_on_another_server_go_side_by_side_each_once(
    container: Container,
) -> None:
    """Ten pushes due together, four at a time: none waits for the one before it to finish
    (a busy group's first message would otherwise reach its hundredth phone last), and each
    still completes once."""
    scheduler = Scheduler(container.db, container.clock, container.uow)
    waiting: set[str] = set()
    most_at_once = 0
    four_waiting = asyncio.Event()
    stored: list[str] = []

    async def post(job: DueJob) -> str:
        nonlocal most_at_once
        waiting.add(job.key)
        most_at_once = max(most_at_once, len(waiting))
        if len(waiting) == 4:
            four_waiting.set()
        await asyncio.wait_for(four_waiting.wait(), timeout=30)  # the push service answers
        waiting.discard(job.key)
        return job.key

    async def record(uow: UnitOfWork, job: DueJob, key: str) -> None:
        stored.append(key)

    scheduler.register_prepared(KIND, post, record, side_by_side=4)
    await add_jobs(container, 10)
    assert await scheduler.sweep() == 10
    assert most_at_once == 4
    assert sorted(stored) == sorted(f"job{n}" for n in range(10))
    assert await scheduler.sweep() == 0
