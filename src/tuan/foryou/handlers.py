"""Keeping the content model current: a full retrain per time slot, and new products at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from tuan.bootstrap import Container
from tuan.catalog.events import ProductListed
from tuan.core.events import Envelope
from tuan.core.outbox import first_time
from tuan.core.scheduler import DueJob, schedule_once, scheduler_for
from tuan.core.uow import UnitOfWork
from tuan.foryou import neighbours

RETRAIN_JOB = "for_you.retrain"
RETRAIN_EVERY = timedelta(hours=1)


def slot_start(now: datetime) -> datetime:
    """The start of the retrain slot holding ``now``; every process computes the same one, so
    the job's unique key makes one retrain per slot however many processes ask."""
    epoch = datetime(2026, 1, 1, tzinfo=UTC)
    slots = (now - epoch) // RETRAIN_EVERY
    return epoch + slots * RETRAIN_EVERY


def register(container: Container) -> None:
    scheduler = scheduler_for(container)

    async def compute(job: DueJob) -> neighbours.Computed:
        return await neighbours.compute_all(container.db)

    async def store(uow: UnitOfWork, job: DueJob, computed: neighbours.Computed) -> None:
        await neighbours.store_all(uow.session, computed, uow.now)

    scheduler.register_prepared(RETRAIN_JOB, compute, store)

    async def ask_for_retrains() -> None:
        while True:
            async with container.uow() as uow:
                slot = slot_start(uow.now)
                if await schedule_once(
                    uow.session, kind=RETRAIN_JOB, key=slot.isoformat(), run_at=slot, now=uow.now
                ):
                    await uow.commit()
                    scheduler.kick()
            next_slot = slot + RETRAIN_EVERY
            await asyncio.sleep(max(1.0, (next_slot - container.clock.now()).total_seconds()))

    container.add_worker("for-you-retrain-slots", ask_for_retrains)

    async def on_listed(envelope: Envelope) -> None:
        product_id = int(envelope.payload["product_id"])
        found = await neighbours.compute_new(container.db, product_id)  # before the write lock
        async with container.uow() as uow:
            if await first_time(uow.session, "for_you.listed", envelope.id, uow.now):
                await neighbours.store_new(uow.session, product_id, found, uow.now)
                await uow.commit()

    container.relay.register(ProductListed.topic, on_listed)
