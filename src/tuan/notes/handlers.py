"""Notes' reactions (ADR 0013): the nudges that support sharing."""

from __future__ import annotations

from tuan.core.events import Envelope
from tuan.core.uow import UnitOfWork
from tuan.core.wiring import Wiring
from tuan.notes import nudges
from tuan.orders.events import OrderDelivered, OrderPaid


async def on_delivered(uow: UnitOfWork, envelope: Envelope) -> None:
    await nudges.prompt_after_delivery(uow, OrderDelivered.decode(envelope).order_id)


async def on_paid(uow: UnitOfWork, envelope: Envelope) -> None:
    await nudges.purchase_paid(uow, OrderPaid.decode(envelope).order_id)


def register(wiring: Wiring) -> None:
    wiring.on_event(OrderDelivered.topic, "notes.prompt_after_delivery", on_delivered)
    wiring.on_event(OrderPaid.topic, "notes.digest_on_purchase", on_paid)
    wiring.scheduler.register(nudges.DIGEST_JOB, nudges.send_digest)
    wiring.scheduler.register(nudges.QUESTION_JOB, nudges.point_out_question)
