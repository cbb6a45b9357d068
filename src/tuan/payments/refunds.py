"""Refunds: a shop refunding (part of) an order, money sent back for an order that could no longer
take it, every member of an expired team. Each refund is recorded with its order's change and sent
to the provider by a durable job; its key, unique per cause, makes a cause handled twice refund
once."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from tuan.core.scheduler import schedule
from tuan.core.uow import UnitOfWork
from tuan.orders.commands import cancel_pending, lock_team_orders, record_refund
from tuan.orders.errors import InvalidTransition
from tuan.orders.queries import OrderState, check_action, order_for_party, refundable_left, unpaid
from tuan.payments import domain
from tuan.payments.events import OrphanPaymentRefunded
from tuan.payments.models import Payment, Refund
from tuan.payments.provider import PaymentProvider

SEND_REFUND = "payments.send_refund"


async def issue_refund(
    uow: UnitOfWork, *, order_id: int, payment: Payment, amount: int, key: str, reason: str
) -> Refund | None:
    """Record a refund and schedule sending it; None if a refund with ``key`` exists already."""
    refund = Refund(
        key=key,
        order_id=order_id,
        payment_id=payment.id,
        amount=amount,
        currency=payment.currency,
        reason=reason,
        status=domain.PENDING,
        created_at=uow.now,
    )
    try:
        async with uow.session.begin_nested():
            uow.session.add(refund)
            await uow.session.flush()
    except IntegrityError:
        return None
    await schedule(
        uow.session,
        kind=SEND_REFUND,
        key=f"refund:{refund.id}",
        run_at=uow.now,
        now=uow.now,
        payload={"refund_id": refund.id},
    )
    return refund


async def refund_orphan_payment(
    uow: UnitOfWork, order_id: int, payment: Payment, *, reason: str
) -> None:
    """Money arrived for an order that could no longer take it: send all of it back."""
    refund = await issue_refund(
        uow,
        order_id=order_id,
        payment=payment,
        amount=payment.amount,
        key=domain.orphan_refund_key(payment.id),
        reason=reason,
    )
    await uow.session.execute(
        update(Payment).where(Payment.id == payment.id).values(status=domain.REFUNDED)
    )
    if refund is not None:
        uow.emit(
            OrphanPaymentRefunded(
                order_id=order_id, payment_id=payment.id, refund_id=refund.id, reason=reason
            )
        )


async def _captured_payment(uow: UnitOfWork, order_id: int) -> Payment:
    payment = await uow.session.scalar(
        select(Payment).where(Payment.order_id == order_id, Payment.status == domain.SUCCEEDED)
    )
    if payment is None:  # a refundable order always has its captured payment
        raise InvalidTransition("This order has no captured payment to refund.")
    return payment


async def refund_order(
    uow: UnitOfWork,
    *,
    order_id: int,
    actor_id: int,
    amount: int | None = None,
    reason: str = "shop_refund",
) -> Refund:
    """The shop refunds all (the default) or part of an order."""
    party = await order_for_party(uow.session, order_id, actor_id)
    check_action("refund", party.order, party.role, uow.now)
    amount = domain.refund_amount(amount, refundable_left(party.order))
    payment = await _captured_payment(uow, order_id)
    refund = await issue_refund(
        uow,
        order_id=order_id,
        payment=payment,
        amount=amount,
        key=f"shop:{uuid.uuid4().hex}",
        reason=reason,
    )
    assert refund is not None
    await record_refund(
        uow, party.order, amount=amount, refund_id=refund.id, reason=reason, actor_id=actor_id
    )
    return refund


async def refund_expired_team(uow: UnitOfWork, *, team_id: int) -> int:
    """Every member of an expired team gets their money back (unpaid orders are cancelled).

    Each order changes only through a compare-and-set on its status and each refund has a key
    unique to (team, order), so handling the expiry twice refunds once.
    """
    refunded = 0
    for order in await lock_team_orders(uow, team_id):
        if unpaid(order):
            await cancel_pending(uow, order, reason="team_expired")
            continue
        if await _refund_member(uow, team_id, order):
            refunded += 1
    return refunded


async def _refund_member(uow: UnitOfWork, team_id: int, order: OrderState) -> bool:
    payment = await _captured_payment(uow, order.id)
    refund = await issue_refund(
        uow,
        order_id=order.id,
        payment=payment,
        amount=refundable_left(order),
        key=domain.team_expiry_refund_key(team_id, order.id),
        reason="team_expired",
    )
    if refund is None:
        return False
    await record_refund(
        uow, order, amount=refund.amount, refund_id=refund.id, reason="team_expired"
    )
    return True


async def send_refund(uow: UnitOfWork, provider: PaymentProvider, *, refund_id: int) -> None:
    """The durable job: ask the provider to send the money back (idempotent by reference)."""
    refund = await uow.session.get(Refund, refund_id)
    if refund is None or refund.status != domain.PENDING:
        return
    payment = await uow.session.get(Payment, refund.payment_id)
    assert payment is not None
    provider_reference = await provider.refund(
        reference=f"refund:{refund.id}",
        payment_reference=payment.reference,
        amount=refund.amount,
        currency=refund.currency,
    )
    await uow.session.execute(
        update(Refund)
        .where(Refund.id == refund_id, Refund.status == domain.PENDING)
        .values(status=domain.SUCCEEDED, provider_reference=provider_reference, settled_at=uow.now)
    )
