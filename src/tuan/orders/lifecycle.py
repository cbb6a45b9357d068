"""An order's life after checkout: every state change is a compare-and-set on the status column
plus a row in ``order_transitions``, so two actors (a buyer cancelling, the expiry job, a payment
arriving) can never both move the same order."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from tuan.catalog import stock
from tuan.catalog.models import Shop
from tuan.core.db import changed_one
from tuan.core.uow import UnitOfWork
from tuan.orders import domain
from tuan.orders.errors import (
    InvalidTransition,
    OrderChanged,
    OrderNotFound,
    RefundTooLarge,
    TeamNotConfirmed,
)
from tuan.orders.events import (
    OrderCancelled,
    OrderCompleted,
    OrderDelivered,
    OrderRefunded,
    OrderShipped,
)
from tuan.orders.models import Order, OrderLine, OrderTransition

BUYER, SHOP_OWNER = "buyer", "shop_owner"


async def order_and_shop_for_party(
    session: AsyncSession, order_id: int, actor_id: int
) -> tuple[Order, Shop, str]:
    """The order, its shop and the actor's role in it; anyone else is told it does not exist."""
    row = (
        await session.execute(
            select(Order, Shop).join(Shop, Shop.id == Order.shop_id).where(Order.id == order_id)
        )
    ).first()
    if row is None:
        raise OrderNotFound()
    order, shop = row
    if order.buyer_id == actor_id:
        return order, shop, BUYER
    if shop.owner_id == actor_id:
        return order, shop, SHOP_OWNER
    raise OrderNotFound()


async def order_for_party(session: AsyncSession, order_id: int, actor_id: int) -> tuple[Order, str]:
    order, _shop, role = await order_and_shop_for_party(session, order_id, actor_id)
    return order, role


async def move(
    uow: UnitOfWork,
    order: Order,
    to: str,
    *,
    reason: str,
    actor_id: int | None = None,
    amount: int | None = None,
    values: dict[str, Any] | None = None,
) -> None:
    """Move ``order`` from the status we saw to ``to``; OrderChanged if someone moved it first."""
    domain.check_transition(order.status, to)
    values = {"status": to, "updated_at": uow.now, **(values or {})}
    result = await uow.session.execute(
        update(Order)
        .where(Order.id == order.id, Order.status == order.status)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if not changed_one(result):
        raise OrderChanged()
    uow.session.add(
        OrderTransition(
            order_id=order.id,
            from_status=order.status,
            to_status=to,
            reason=reason,
            amount=amount,
            actor_id=actor_id,
            at=uow.now,
        )
    )
    for name, value in values.items():
        set_committed_value(order, name, value)


async def release_reservation(session: AsyncSession, order: Order) -> None:
    """Give back the stock (and deal units) an order held; only for orders that never shipped."""
    lines = (
        await session.scalars(
            select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.sku_id)
        )
    ).all()
    for line in lines:
        if line.deal_id is not None:
            await stock.return_deal_units(session, line.deal_id, order.buyer_id, line.quantity)
        await stock.return_stock(session, line.sku_id, line.quantity)


async def cancel_pending_in(
    uow: UnitOfWork, order: Order, *, reason: str, actor_id: int | None = None
) -> None:
    await move(
        uow,
        order,
        domain.CANCELLED,
        reason=reason,
        actor_id=actor_id,
        values={"closed_at": uow.now, "active_payment_ref": None},
    )
    await release_reservation(uow.session, order)
    uow.emit(OrderCancelled(order_id=order.id, reason=reason, team_id=order.team_id))


async def cancel_order(uow: UnitOfWork, *, order_id: int, actor_id: int) -> Order:
    """The buyer withdraws an unpaid order; its items go back on sale at once."""
    async with uow:
        order, role = await order_for_party(uow.session, order_id, actor_id)
        if role != BUYER:
            raise InvalidTransition("Only the buyer can cancel an unpaid order.")
        if order.status != domain.PENDING:
            raise InvalidTransition(
                f"An order that is {order.status} cannot be cancelled; ask the shop for a refund."
            )
        await cancel_pending_in(uow, order, reason="cancelled_by_buyer", actor_id=actor_id)
        await uow.commit()
    return order


async def expire_reservation(uow: UnitOfWork, *, order_id: int) -> bool:
    """The scheduler's job: cancel the order if it is still unpaid when its time is up."""
    order = await uow.session.get(Order, order_id)
    if order is None or order.status != domain.PENDING or order.reserved_until > uow.now:
        return False
    await cancel_pending_in(uow, order, reason="reservation_expired")
    return True


async def ship_order(
    uow: UnitOfWork, *, order_id: int, actor_id: int, tracking: str | None = None
) -> Order:
    async with uow:
        order, role = await order_for_party(uow.session, order_id, actor_id)
        if role != SHOP_OWNER:
            raise InvalidTransition("Only the shop ships an order.")
        if order.kind == "team" and order.team_confirmed_at is None:
            raise TeamNotConfirmed()
        await move(
            uow,
            order,
            domain.SHIPPED,
            reason="shipped",
            actor_id=actor_id,
            values={"shipped_at": uow.now, "tracking": tracking},
        )
        uow.emit(OrderShipped(order_id=order.id))
        await uow.commit()
    return order


async def mark_delivered(uow: UnitOfWork, *, order_id: int, actor_id: int) -> Order:
    async with uow:
        order, role = await order_for_party(uow.session, order_id, actor_id)
        await move(
            uow,
            order,
            domain.DELIVERED,
            reason=f"delivered_confirmed_by_{role}",
            actor_id=actor_id,
            values={"delivered_at": uow.now},
        )
        uow.emit(OrderDelivered(order_id=order.id))
        await uow.commit()
    return order


async def complete_order(uow: UnitOfWork, *, order_id: int, actor_id: int) -> Order:
    """The buyer is satisfied: the order completes and the sharer's commission becomes due."""
    async with uow:
        order, role = await order_for_party(uow.session, order_id, actor_id)
        if role != BUYER:
            raise InvalidTransition("Only the buyer completes an order.")
        await move(
            uow,
            order,
            domain.COMPLETED,
            reason="completed",
            actor_id=actor_id,
            values={"completed_at": uow.now},
        )
        uow.emit(OrderCompleted(order_id=order.id, sharer_id=order.sharer_id))
        await uow.commit()
    return order


async def record_refund_in(
    uow: UnitOfWork,
    order: Order,
    *,
    amount: int,
    refund_id: int,
    reason: str,
    actor_id: int | None = None,
) -> bool:
    """Count ``amount`` as refunded; a refund of everything left closes the order as refunded.

    Returns True for a full refund. An order refunded in full before it shipped gives its stock
    back; after shipping the goods are wherever they are, and the shop restocks by hand.
    """
    if order.status not in domain.REFUNDABLE:
        raise InvalidTransition(f"An order that is {order.status} cannot be refunded.")
    if not 0 < amount <= order.total - order.refunded_amount:
        raise RefundTooLarge(field="amount")
    full = order.refunded_amount + amount == order.total
    result = await uow.session.execute(
        update(Order)
        .where(
            Order.id == order.id,
            Order.status == order.status,
            Order.refunded_amount + amount <= Order.total,
        )
        .values(refunded_amount=Order.refunded_amount + amount, updated_at=uow.now)
        .execution_options(synchronize_session=False)
    )
    if not changed_one(result):
        raise OrderChanged()
    set_committed_value(order, "refunded_amount", order.refunded_amount + amount)
    if full:
        shipped = order.status != domain.PAID
        await move(
            uow,
            order,
            domain.REFUNDED,
            reason=reason,
            actor_id=actor_id,
            amount=amount,
            values={"closed_at": uow.now},
        )
        if not shipped:
            await release_reservation(uow.session, order)
    else:
        uow.session.add(
            OrderTransition(
                order_id=order.id,
                from_status=order.status,
                to_status=order.status,
                reason=f"partial_{reason}",
                amount=amount,
                actor_id=actor_id,
                at=uow.now,
            )
        )
    uow.emit(OrderRefunded(order_id=order.id, refund_id=refund_id, amount=amount, full=full))
    return full


async def confirm_team_orders(uow: UnitOfWork, *, team_id: int, now: datetime) -> int:
    """Every paid member's order of a filled team is confirmed (and may now ship)."""
    orders = (
        await uow.session.scalars(
            select(Order).where(
                Order.team_id == team_id,
                Order.status == domain.PAID,
                Order.team_confirmed_at.is_(None),
            )
        )
    ).all()
    for order in orders:
        await uow.session.execute(
            update(Order)
            .where(Order.id == order.id, Order.team_confirmed_at.is_(None))
            .values(team_confirmed_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        uow.session.add(
            OrderTransition(
                order_id=order.id,
                from_status=order.status,
                to_status=order.status,
                reason="team_filled",
                amount=order.total,
                at=now,
            )
        )
    return len(orders)
