"""What other domains may change in orders inside their own transaction (ADR 0007 §2).

- groupbuy places a member's order with the team (:func:`place_team_order`, once per key);
- payments claims an order for a payment, marks it paid with the charge, cancels it or records a
  refund with the money — never a paid order without the money, nor money without the order.

Every state change goes through the one transition writer (:mod:`tuan.orders.lifecycle`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from tuan.core.db import rows_changed
from tuan.core.personal import DELETED_USER_ID
from tuan.core.uow import UnitOfWork
from tuan.orders import domain
from tuan.orders.idempotency import IdempotencyClaim, record_key
from tuan.orders.lifecycle import (
    PaidOrder,
    cancel_pending,
    confirm_team_orders,
    mark_paid,
    pay_at_once,
    record_paid,
    record_refund,
)
from tuan.orders.models import Order
from tuan.orders.queries import ORDER_COLUMNS, ORDERS, OrderState, order_state
from tuan.orders.service import TeamPricing, place_order

__all__ = [
    "IdempotencyClaim",
    "PaidOrder",
    "cancel_pending",
    "claim_for_payment",
    "confirm_team_orders",
    "lock_order",
    "lock_team_orders",
    "mark_paid",
    "pay_at_once",
    "place_team_order",
    "record_key",
    "record_paid",
    "record_refund",
    "release_payment_claim",
]


async def place_team_order(
    uow: UnitOfWork,
    *,
    buyer_id: int,
    sku_id: int,
    quantity: int,
    share_id: int | None,
    team_id: int,
    team_price: int,
    claim: IdempotencyClaim,
) -> OrderState:
    """A team member's order at the team price, placed with their place in the team. The
    caller recorded ``claim`` first (:func:`record_key`) and replays its order if it had one."""
    placed = await place_order(
        uow,
        buyer_id=buyer_id,
        lines=[domain.LineRequest(sku_id, quantity)],
        share_id=share_id,
        team=TeamPricing(team_id, team_price),
        claim=claim,
    )
    return placed.order


async def claim_for_payment(
    uow: UnitOfWork, *, order_id: int, buyer_id: int, reference: str
) -> tuple[int, str] | None:
    """Mark the one payment in flight: only the buyer's order, unpaid, within its reservation
    and with no other payment under way. Returns ``(total, currency)``, or None if refused (ask
    :func:`tuan.orders.queries.refusal` why)."""
    claimed = (
        await uow.session.execute(
            update(ORDERS)
            .where(
                ORDERS.c.id == order_id,
                ORDERS.c.buyer_id == buyer_id,
                ORDERS.c.status == domain.PENDING,
                ORDERS.c.active_payment_ref.is_(None),
                ORDERS.c.reserved_until > uow.now,
            )
            .values(active_payment_ref=reference, updated_at=uow.now)
            .returning(ORDERS.c.total, ORDERS.c.currency)
        )
    ).first()
    return None if claimed is None else (int(claimed[0]), str(claimed[1]))


async def release_payment_claim(uow: UnitOfWork, *, order_id: int, reference: str) -> None:
    """The payment ``reference`` failed: the order may be paid again."""
    await uow.session.execute(
        update(ORDERS)
        .where(ORDERS.c.id == order_id, ORDERS.c.active_payment_ref == reference)
        .values(active_payment_ref=None, updated_at=uow.now)
    )


async def lock_order(uow: UnitOfWork, order_id: int) -> OrderState:
    """The order, locked until commit: the expiry job and a late payment decide on it one after
    the other."""
    row = (
        await uow.session.execute(
            select(*ORDER_COLUMNS).where(ORDERS.c.id == order_id).with_for_update()
        )
    ).one()
    return order_state(row)


async def lock_team_orders(uow: UnitOfWork, team_id: int) -> list[OrderState]:
    """A team's orders still pending or paid, locked until commit, oldest first."""
    rows = await uow.session.execute(
        select(*ORDER_COLUMNS)
        .where(
            ORDERS.c.team_id == team_id,
            ORDERS.c.status.in_((domain.PENDING, domain.PAID)),
        )
        .order_by(ORDERS.c.id)
        .with_for_update()
    )
    return [order_state(row) for row in rows]


async def forget_old_tracking(uow: UnitOfWork, *, placed_before: datetime) -> int:
    """Blank the tracking numbers of erased people's orders once their retention period ended
    (ADR 0011): the order stays for the books, the parcel's number goes. How many."""
    blanked = await uow.session.execute(
        update(Order)
        .where(
            Order.buyer_id == DELETED_USER_ID,
            Order.placed_at < placed_before,
            Order.tracking.is_not(None),
        )
        .values(tracking=None)
        .execution_options(synchronize_session=False)
    )
    return rows_changed(blanked)
