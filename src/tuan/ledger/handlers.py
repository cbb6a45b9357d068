"""Commission follows the order: held when it completes, clawed back when it is refunded inside
the return window, released when the window closes."""

from __future__ import annotations

from tuan.core.events import Envelope
from tuan.core.scheduler import DueJob
from tuan.core.uow import UnitOfWork
from tuan.core.wiring import Wiring
from tuan.ledger.service import RELEASE_COMMISSION, release_commission, settle_commission
from tuan.orders.events import OrderCompleted, OrderRefunded


def register(wiring: Wiring) -> None:
    async def settle_completed(uow: UnitOfWork, envelope: Envelope) -> None:
        # The event id is also the ledger transaction's key: a redelivered event posts nothing.
        order_id = OrderCompleted.decode(envelope).order_id
        await settle_commission(uow, order_id=order_id, cause=f"event:{envelope.id}")

    async def settle_refunded(uow: UnitOfWork, envelope: Envelope) -> None:
        order_id = OrderRefunded.decode(envelope).order_id
        await settle_commission(uow, order_id=order_id, cause=f"event:{envelope.id}")

    wiring.on_event(OrderCompleted.topic, "ledger.settle_completed", settle_completed)
    wiring.on_event(OrderRefunded.topic, "ledger.settle_refunded", settle_refunded)

    async def release(uow: UnitOfWork, job: DueJob) -> None:
        await release_commission(uow, order_id=int(job.payload["order_id"]))

    wiring.scheduler.register(RELEASE_COMMISSION, release)
