"""Keeping the content model current: a full retrain per time slot, and new products at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tuan.catalog.events import ProductListed
from tuan.core.events import Envelope
from tuan.core.periodic import every
from tuan.core.scheduler import DueJob
from tuan.core.uow import UnitOfWork
from tuan.core.wiring import Wiring
from tuan.foryou import neighbours

RETRAIN_JOB = "for_you.retrain"
RETRAIN_EVERY = timedelta(hours=1)


def register(wiring: Wiring) -> None:
    scheduler = wiring.scheduler

    async def compute(job: DueJob) -> neighbours.Computed:
        return await neighbours.compute_all(wiring.db)

    async def store(uow: UnitOfWork, job: DueJob, computed: neighbours.Computed) -> None:
        await neighbours.store_all(uow.session, computed, uow.now)

    scheduler.register_prepared(RETRAIN_JOB, compute, store)

    every(
        wiring,
        kind=RETRAIN_JOB,
        period=RETRAIN_EVERY,
        epoch=datetime(2026, 1, 1, tzinfo=UTC),
        worker="for-you-retrain-slots",
    )

    async def compute_new(envelope: Envelope) -> dict[int, list[tuple[int, float]]]:
        return await neighbours.compute_new(wiring.db, ProductListed.decode(envelope).product_id)

    async def store_new(
        uow: UnitOfWork, envelope: Envelope, found: dict[int, list[tuple[int, float]]]
    ) -> None:
        product_id = ProductListed.decode(envelope).product_id
        await neighbours.store_new(uow.session, product_id, found, uow.now)

    wiring.on_event_prepared(ProductListed.topic, "for_you.listed", compute_new, store_new)
