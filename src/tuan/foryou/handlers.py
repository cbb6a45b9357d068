"""Keeping the content model current: a full retrain per time slot, and new products at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from tuan.catalog.events import ProductListed
from tuan.core.events import Envelope
from tuan.core.scheduler import DueJob, schedule_once
from tuan.core.uow import UnitOfWork
from tuan.core.wiring import Wiring
from tuan.foryou import neighbours

RETRAIN_JOB = "for_you.retrain"
RETRAIN_EVERY = timedelta(hours=1)


def slot_start(now: datetime) -> datetime:
    """The start of the retrain slot holding ``now``; every process computes the same one, so
    the job's unique key makes one retrain per slot however many processes ask."""
    epoch = datetime(2026, 1, 1, tzinfo=UTC)
    slots = (now - epoch) // RETRAIN_EVERY
    return epoch + slots * RETRAIN_EVERY


def register(wiring: Wiring) -> None:
    scheduler = wiring.scheduler

    async def compute(job: DueJob) -> neighbours.Computed:
        return await neighbours.compute_all(wiring.db)

    async def store(uow: UnitOfWork, job: DueJob, computed: neighbours.Computed) -> None:
        await neighbours.store_all(uow.session, computed, uow.now)

    scheduler.register_prepared(RETRAIN_JOB, compute, store)

    async def ask_for_retrain(uow: UnitOfWork) -> datetime:
        slot = slot_start(uow.now)
        if await schedule_once(
            uow.session, kind=RETRAIN_JOB, key=slot.isoformat(), run_at=slot, now=uow.now
        ):
            uow.on_commit(scheduler.kick)
        return slot

    async def ask_for_retrains() -> None:
        while True:
            slot = await wiring.run(ask_for_retrain)
            next_slot = slot + RETRAIN_EVERY
            await asyncio.sleep(max(1.0, (next_slot - wiring.clock.now()).total_seconds()))

    wiring.add_worker("for-you-retrain-slots", ask_for_retrains)

    async def compute_new(envelope: Envelope) -> dict[int, list[tuple[int, float]]]:
        return await neighbours.compute_new(wiring.db, ProductListed.decode(envelope).product_id)

    async def store_new(
        uow: UnitOfWork, envelope: Envelope, found: dict[int, list[tuple[int, float]]]
    ) -> None:
        product_id = ProductListed.decode(envelope).product_id
        await neighbours.store_new(uow.session, product_id, found, uow.now)

    wiring.on_event_prepared(ProductListed.topic, "for_you.listed", compute_new, store_new)
