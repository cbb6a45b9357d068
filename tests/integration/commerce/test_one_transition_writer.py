"""One writer of order transitions: a sandbox payment paid in one UPDATE (the flash sale's fast
path) and one paid by a late webhook (the general path) leave the same rows behind."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from tests.e2e.commerce.kit import checkout, pay, settle, storefront
from tests.factories import person
from tests.fakes import ShiftableClock
from tuan.bootstrap import Container
from tuan.core.outbox import OutboxRow
from tuan.orders.models import Order, OrderTransition
from tuan.payments.models import Payment

TIMES = ("placed_at", "paid_at", "updated_at", "reserved_until")


async def _written(container: Container, order_id: int) -> dict[str, Any]:
    """What paying wrote for an order, without its ids and times."""
    async with container.db.read_sessions() as session:
        order = await session.get(Order, order_id)
        assert order is not None and all(getattr(order, name) for name in TIMES)
        columns = {
            c.name: getattr(order, c.name)
            for c in Order.__table__.columns
            if c.name not in ("id", *TIMES)
        }
        transitions = [
            (t.from_status, t.to_status, t.reason, t.amount, t.actor_id)
            for t in await session.scalars(
                select(OrderTransition)
                .where(OrderTransition.order_id == order_id)
                .order_by(OrderTransition.id)
            )
        ]
        payments = [
            (p.provider, p.amount, p.currency, p.status, p.failure_reason, p.settled_at is not None)
            for p in await session.scalars(select(Payment).where(Payment.order_id == order_id))
        ]
        paid_events = [
            {k: v for k, v in row.payload.items() if k != "order_id"}
            for row in await session.scalars(
                select(OutboxRow).where(OutboxRow.topic == "orders.order_paid")
            )
            if row.payload["order_id"] == order_id
        ]
    return {
        "order": columns,
        "transitions": transitions,
        "payments": payments,
        "paid": paid_events,
    }


async def test_the_fast_and_the_slow_payment_write_identical_rows(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    front = await storefront(client, container, stock=5)
    buyer = await person(client, "lin")
    items = [{"sku_id": front.sku_id, "quantity": 1}]
    fast = (await checkout(client, buyer, items)).json()["id"]
    slow = (await checkout(client, buyer, items)).json()["id"]

    assert (await pay(client, buyer, fast, "succeed")).json()["order"]["status"] == "paid"
    started = await pay(client, buyer, slow, "late", answer_after_seconds=30)
    assert started.json()["order"]["status"] == "pending"
    clock.advance(seconds=31)
    await settle(container)  # the sandbox's signed webhook, "succeeded"

    written = await _written(container, fast)
    assert written == await _written(container, slow)
    assert written["order"]["status"] == "paid" and written["order"]["active_payment_ref"] is None
    assert written["transitions"][-1] == ("pending", "paid", "payment_succeeded", 9900, None)
    assert len(written["paid"]) == 1
