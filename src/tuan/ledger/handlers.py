"""Commission follows the order: credited when it completes, clawed back when it is refunded."""

from __future__ import annotations

from tuan.bootstrap import Container
from tuan.core.events import Envelope
from tuan.ledger.service import settle_commission
from tuan.orders.events import OrderCompleted, OrderRefunded


def register(container: Container) -> None:
    async def settle(envelope: Envelope) -> None:
        # The event id is the ledger transaction's key: a redelivered event posts nothing.
        await settle_commission(
            container.uow(),
            order_id=int(envelope.payload["order_id"]),
            cause=f"event:{envelope.id}",
        )

    container.relay.register(OrderCompleted.topic, settle)
    container.relay.register(OrderRefunded.topic, settle)
