"""An order's life after checkout: every state change is a compare-and-set on the status column
plus a row in ``order_transitions``, so two actors (a buyer cancelling, the expiry job, a payment
arriving) can never both move the same order.

This module is the one writer of order transitions (ADR 0007 §6): the services below, the
commands other domains call (:mod:`tuan.orders.commands`) and the payment fast path all write
them with the same prebuilt statement, and a payment moves an order to paid with the same columns
whichever path it takes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update

from tuan.catalog.commands import return_deal_units, return_stock
from tuan.catalog.queries import shop_page
from tuan.core.db import changed_one
from tuan.core.uow import UnitOfWork
from tuan.notifications.commands import notify_users
from tuan.orders import domain
from tuan.orders.errors import InvalidTransition, OrderChanged, RefundTooLarge
from tuan.orders.events import (
    OrderCancelled,
    OrderCompleted,
    OrderDelivered,
    OrderPaid,
    OrderRefunded,
    OrderShipped,
)
from tuan.orders.models import OrderLine, OrderTransition
from tuan.orders.queries import (
    ORDER_COLUMNS,
    ORDERS,
    OrderState,
    Party,
    check_action,
    find_order,
    order_for_party,
    order_state,
)

# Built once: every transition of every order is written by this statement.
INSERT_TRANSITION = insert(cast(Table, OrderTransition.__table__))
PAYMENT_SUCCEEDED = "payment_succeeded"
# The notifications a buyer gets
ORDER_SHIPPED = "order_shipped"
ORDER_DELIVERED = "order_delivered"
ORDER_REFUNDED = "order_refunded"
# The refund the buyer hears of from elsewhere: an expired team's members are told by the team
# purchase that their money goes back (one notification for one moment, not two).
TEAM_EXPIRED = "team_expired"


async def write_transition(
    uow: UnitOfWork,
    *,
    order_id: int,
    from_status: str | None,
    to_status: str,
    reason: str,
    amount: int | None = None,
    actor_id: int | None = None,
) -> None:
    await uow.session.execute(
        INSERT_TRANSITION,
        {
            "order_id": order_id,
            "from_status": from_status,
            "to_status": to_status,
            "reason": reason,
            "amount": amount,
            "actor_id": actor_id,
            "at": uow.now,
        },
    )


async def _compare_and_set(
    uow: UnitOfWork, order: OrderState, to: str, values: dict[str, Any] | None
) -> OrderState:
    """Set ``to`` (and ``values``) if the order is still as we saw it; OrderChanged if not."""
    domain.check_transition(order.status, to)
    changes = {"status": to, "updated_at": uow.now, **(values or {})}
    result = await uow.session.execute(
        update(ORDERS)
        .where(ORDERS.c.id == order.id, ORDERS.c.status == order.status)
        .values(**changes)
    )
    if not changed_one(result):
        raise OrderChanged()
    return replace(order, **changes)


async def move(
    uow: UnitOfWork,
    order: OrderState,
    to: str,
    *,
    reason: str,
    actor_id: int | None = None,
    amount: int | None = None,
    values: dict[str, Any] | None = None,
) -> OrderState:
    """Move ``order`` from the status we saw to ``to``; OrderChanged if someone moved it first."""
    moved = await _compare_and_set(uow, order, to, values)
    await write_transition(
        uow,
        order_id=order.id,
        from_status=order.status,
        to_status=to,
        reason=reason,
        amount=amount,
        actor_id=actor_id,
    )
    return moved


# --- paid: the slow path (a settled charge) and the fast path (one UPDATE) write the same ------


@dataclass(frozen=True)
class PaidOrder:
    """An order marked paid: by a settled charge, or by the fast path (whose caller then asks
    the provider and either records it, :func:`record_paid`, or rolls back)."""

    order_id: int
    buyer_id: int
    shop_id: int
    amount: int
    currency: str


async def record_paid(uow: UnitOfWork, paid: PaidOrder) -> None:
    """The ``pending → paid`` transition and ``OrderPaid``, once the order row says paid."""
    await write_transition(
        uow,
        order_id=paid.order_id,
        from_status=domain.PENDING,
        to_status=domain.PAID,
        reason=PAYMENT_SUCCEEDED,
        amount=paid.amount,
    )
    uow.emit(OrderPaid(order_id=paid.order_id, buyer_id=paid.buyer_id, shop_id=paid.shop_id))


async def mark_paid(uow: UnitOfWork, order: OrderState, *, amount: int) -> OrderState:
    """A pending order whose charge succeeded becomes paid (its payment no longer in flight);
    OrderChanged if it moved meanwhile."""
    paid = await _compare_and_set(
        uow, order, domain.PAID, {"paid_at": uow.now, "active_payment_ref": None}
    )
    await record_paid(
        uow, PaidOrder(order.id, order.buyer_id, order.shop_id, amount, order.currency)
    )
    return paid


# The same columns as mark_paid, under the conditions a payment claims an order (the buyer's,
# unpaid, within its reservation, no payment in flight) and for a regular order only (a team
# order's payment is counted by its team). Built once: it is the flash sale's hot path.
PAY_AT_ONCE = (
    update(ORDERS)
    .where(
        ORDERS.c.id == bindparam("p_order_id"),
        ORDERS.c.buyer_id == bindparam("p_buyer_id"),
        ORDERS.c.status == domain.PENDING,
        ORDERS.c.active_payment_ref.is_(None),
        ORDERS.c.reserved_until > bindparam("p_now", type_=ORDERS.c.reserved_until.type),
        ORDERS.c.team_id.is_(None),
    )
    .values(
        status=domain.PAID,
        updated_at=bindparam("p_now"),
        paid_at=bindparam("p_now"),
        active_payment_ref=None,
    )
    .returning(ORDERS.c.total, ORDERS.c.currency, ORDERS.c.shop_id)
)


async def pay_at_once(uow: UnitOfWork, *, order_id: int, buyer_id: int) -> PaidOrder | None:
    """The flash sale's payment: one conditional UPDATE claims a regular, payable order of the
    buyer's and marks it paid (the same columns as :func:`mark_paid`). The caller then asks the
    provider and either :func:`record_paid` or rolls back. None if the order is not such."""
    paid = (
        await uow.session.execute(
            PAY_AT_ONCE, {"p_order_id": order_id, "p_buyer_id": buyer_id, "p_now": uow.now}
        )
    ).first()
    if paid is None:
        return None
    amount, currency, shop_id = paid
    return PaidOrder(order_id, buyer_id, shop_id, amount, currency)


# --- cancelling and the reservation ------------------------------------------------------------


async def release_reservation(uow: UnitOfWork, order: OrderState) -> None:
    """Give back the stock (and deal units) an order held; only for orders that never shipped."""
    lines = await uow.session.execute(
        select(OrderLine.sku_id, OrderLine.deal_id, OrderLine.quantity)
        .where(OrderLine.order_id == order.id)
        .order_by(OrderLine.sku_id)
    )
    for sku_id, deal_id, quantity in lines.all():
        if deal_id is not None:
            await return_deal_units(uow, deal_id, order.buyer_id, quantity)
        await return_stock(uow, sku_id, quantity)


async def cancel_pending(
    uow: UnitOfWork, order: OrderState, *, reason: str, actor_id: int | None = None
) -> OrderState:
    """Cancel an unpaid order (the buyer withdrew it, its time ran out, its team closed); its
    items go back on sale."""
    cancelled = await move(
        uow,
        order,
        domain.CANCELLED,
        reason=reason,
        actor_id=actor_id,
        values={"closed_at": uow.now, "active_payment_ref": None},
    )
    await release_reservation(uow, order)
    uow.emit(OrderCancelled(order_id=order.id, reason=reason, team_id=order.team_id))
    return cancelled


async def _acting(uow: UnitOfWork, order_id: int, actor_id: int, action: str) -> Party:
    """The order, if ``actor_id`` is one of its parties and may do ``action`` now."""
    party = await order_for_party(uow.session, order_id, actor_id)
    check_action(action, party.order, party.role, uow.now)
    return party


async def cancel_order(uow: UnitOfWork, *, order_id: int, actor_id: int) -> None:
    """The buyer withdraws an unpaid order; its items go back on sale at once."""
    party = await _acting(uow, order_id, actor_id, domain.CANCEL)
    await cancel_pending(uow, party.order, reason="cancelled_by_buyer", actor_id=actor_id)


async def expire_reservation(uow: UnitOfWork, *, order_id: int) -> bool:
    """The scheduler's job: cancel the order if it is still unpaid when its time is up."""
    found = await find_order(uow.session, order_id)
    if found is None or found.status != domain.PENDING or found.reserved_until > uow.now:
        return False
    await cancel_pending(uow, found, reason="reservation_expired")
    return True


# --- after payment -----------------------------------------------------------------------------


async def ship_order(
    uow: UnitOfWork, *, order_id: int, actor_id: int, tracking: str | None = None
) -> None:
    party = await _acting(uow, order_id, actor_id, domain.SHIP)
    await move(
        uow,
        party.order,
        domain.SHIPPED,
        reason="shipped",
        actor_id=actor_id,
        values={"shipped_at": uow.now, "tracking": tracking},
    )
    # The buyer hears of it in their own language: the notification carries names, not words.
    await notify_users(
        uow,
        [party.order.buyer_id],
        kind=ORDER_SHIPPED,
        actor_id=actor_id,
        data={"order_id": order_id, "shop": party.shop_name, "tracking": tracking},
    )
    uow.emit(OrderShipped(order_id=order_id))


async def mark_delivered(uow: UnitOfWork, *, order_id: int, actor_id: int) -> None:
    party = await _acting(uow, order_id, actor_id, domain.MARK_DELIVERED)
    await move(
        uow,
        party.order,
        domain.DELIVERED,
        reason=f"delivered_confirmed_by_{party.role}",
        actor_id=actor_id,
        values={"delivered_at": uow.now},
    )
    if party.role != domain.BUYER:  # the buyer who confirmed it knows
        await notify_users(
            uow,
            [party.order.buyer_id],
            kind=ORDER_DELIVERED,
            actor_id=actor_id,
            data={"order_id": order_id, "shop": party.shop_name},
        )
    uow.emit(OrderDelivered(order_id=order_id))


async def complete_order(uow: UnitOfWork, *, order_id: int, actor_id: int) -> None:
    """The buyer is satisfied: the order completes and the sharer's commission becomes due."""
    party = await _acting(uow, order_id, actor_id, domain.COMPLETE)
    await move(
        uow,
        party.order,
        domain.COMPLETED,
        reason="completed",
        actor_id=actor_id,
        values={"completed_at": uow.now},
    )
    uow.emit(OrderCompleted(order_id=order_id, sharer_id=party.order.sharer_id))


async def record_refund(
    uow: UnitOfWork,
    order: OrderState,
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
        update(ORDERS)
        .where(
            ORDERS.c.id == order.id,
            ORDERS.c.status == order.status,
            ORDERS.c.refunded_amount + amount <= ORDERS.c.total,
        )
        .values(refunded_amount=ORDERS.c.refunded_amount + amount, updated_at=uow.now)
    )
    if not changed_one(result):
        raise OrderChanged()
    if full:
        await move(
            uow,
            order,
            domain.REFUNDED,
            reason=reason,
            actor_id=actor_id,
            amount=amount,
            values={"closed_at": uow.now},
        )
        if order.status == domain.PAID:  # never shipped: the stock goes back on sale
            await release_reservation(uow, order)
    else:
        await write_transition(
            uow,
            order_id=order.id,
            from_status=order.status,
            to_status=order.status,
            reason=f"partial_{reason}",
            amount=amount,
            actor_id=actor_id,
        )
    if not (reason == TEAM_EXPIRED and actor_id is None):  # a shop's refund is always told
        await _tell_buyer_refunded(uow, order, full=full, actor_id=actor_id)
    uow.emit(OrderRefunded(order_id=order.id, refund_id=refund_id, amount=amount, full=full))
    return full


async def _tell_buyer_refunded(
    uow: UnitOfWork, order: OrderState, *, full: bool, actor_id: int | None
) -> None:
    """The buyer hears that money went back (in part or in full), unless they refunded it."""
    if actor_id == order.buyer_id:
        return
    shop = await shop_page(uow.session, order.shop_id)
    await notify_users(
        uow,
        [order.buyer_id],
        kind=ORDER_REFUNDED,
        actor_id=actor_id,
        data={"order_id": order.id, "shop": shop.name, "full": full},
    )


async def confirm_team_orders(uow: UnitOfWork, *, team_id: int) -> int:
    """Every paid member's order of a filled team is confirmed (and may now ship)."""
    rows = await uow.session.execute(
        select(*ORDER_COLUMNS).where(
            ORDERS.c.team_id == team_id,
            ORDERS.c.status == domain.PAID,
            ORDERS.c.team_confirmed_at.is_(None),
        )
    )
    confirmed = [order_state(row) for row in rows]
    for member in confirmed:
        await uow.session.execute(
            update(ORDERS)
            .where(ORDERS.c.id == member.id, ORDERS.c.team_confirmed_at.is_(None))
            .values(team_confirmed_at=uow.now, updated_at=uow.now)
        )
        await write_transition(
            uow,
            order_id=member.id,
            from_status=member.status,
            to_status=member.status,
            reason=domain.TEAM_FILLED,
            amount=member.total,
        )
    return len(confirmed)
