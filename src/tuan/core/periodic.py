"""Work done once per period across every process: one due job per time slot, keyed by the
slot's start, so however many processes ask, the job's unique key makes one run per slot."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from tuan.core.scheduler import schedule_once
from tuan.core.uow import UnitOfWork
from tuan.core.wiring import Wiring


def slot_start(now: datetime, period: timedelta, epoch: datetime) -> datetime:
    """The start of the slot holding ``now``; every process computes the same one."""
    return epoch + ((now - epoch) // period) * period


def every(wiring: Wiring, *, kind: str, period: timedelta, epoch: datetime, worker: str) -> None:
    """Ask for a job of ``kind`` (registered with the scheduler) at the start of each slot, from
    a background worker named ``worker``."""
    scheduler = wiring.scheduler

    async def ask(uow: UnitOfWork) -> datetime:
        slot = slot_start(uow.now, period, epoch)
        if await schedule_once(
            uow.session, kind=kind, key=slot.isoformat(), run_at=slot, now=uow.now
        ):
            uow.on_commit(scheduler.kick)
        return slot

    async def ask_each_slot() -> None:
        while True:
            slot = await wiring.run(ask)
            next_slot = slot + period
            await asyncio.sleep(max(1.0, (next_slot - wiring.clock.now()).total_seconds()))

    wiring.add_worker(worker, ask_each_slot)
