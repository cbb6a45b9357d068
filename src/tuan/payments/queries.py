"""Read side of payments: an order's payments and refunds, as its page shows them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.payments import domain
from tuan.payments.models import Payment, Payout, Refund


@dataclass(frozen=True)
class PaymentView:
    id: int
    reference: str
    provider: str
    amount: int
    status: domain.PaymentStatus
    failure_reason: str | None
    created_at: datetime


@dataclass(frozen=True)
class RefundView:
    id: int
    amount: int
    reason: str
    status: domain.RefundStatus
    created_at: datetime


@dataclass(frozen=True)
class OrderMoney:
    payments: list[PaymentView] = field(default_factory=list)
    refunds: list[RefundView] = field(default_factory=list)


_PAYMENTS = (
    select(
        Payment.id,
        Payment.reference,
        Payment.provider,
        Payment.amount,
        Payment.status,
        Payment.failure_reason,
        Payment.created_at,
    )
    .where(Payment.order_id == bindparam("order_id"))
    .order_by(Payment.id)
)
_REFUNDS = (
    select(Refund.id, Refund.amount, Refund.reason, Refund.status, Refund.created_at)
    .where(Refund.order_id == bindparam("order_id"))
    .order_by(Refund.id)
)


async def money_of_order(
    session: AsyncSession, order_id: int, *, refunded_amount: int
) -> OrderMoney:
    """An order's payments, and its refunds if anything was refunded (one query otherwise)."""
    payments = [
        PaymentView(**row._mapping)
        for row in await session.execute(_PAYMENTS, {"order_id": order_id})
    ]
    if not refunded_amount and all(p.status != domain.REFUNDED for p in payments):
        return OrderMoney(payments)
    refunds = [
        RefundView(**row._mapping)
        for row in await session.execute(_REFUNDS, {"order_id": order_id})
    ]
    return OrderMoney(payments, refunds)


async def payouts_on_their_way(session: AsyncSession, user_id: int) -> list[int]:
    """The person's payouts the provider has not settled yet."""
    rows = await session.scalars(
        select(Payout.id).where(Payout.user_id == user_id, Payout.status == "pending")
    )
    return list(rows)
