from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tuan.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class PaymentFailed(DomainEvent):
    topic: ClassVar[str] = "payments.payment_failed"
    order_id: int
    reference: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class OrphanPaymentRefunded(DomainEvent):
    """Money arrived for an order that could no longer take it (expired, team closed): sent back."""

    topic: ClassVar[str] = "payments.orphan_payment_refunded"
    order_id: int
    payment_id: int
    refund_id: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class PayoutRequested(DomainEvent):
    topic: ClassVar[str] = "payments.payout_requested"
    payout_id: int
    user_id: int
    amount: int
    currency: str
