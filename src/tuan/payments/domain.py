"""Payment rules that need no database: what a provider's answer did, refund and payout amounts,
the keys that make each refund's cause refund once."""

from __future__ import annotations

from typing import Literal

from tuan.ledger.errors import InsufficientBalance
from tuan.payments.errors import InvalidAmount

# A payment: pending → succeeded | failed; succeeded → refunded when the money came for an order
# that could no longer take it.
PENDING, SUCCEEDED, FAILED, REFUNDED = "pending", "succeeded", "failed", "refunded"
PaymentStatus = Literal["pending", "succeeded", "failed", "refunded"]
RefundStatus = Literal["pending", "succeeded"]  # sent back by a durable job

# What applying a provider's answer did to the order.
PAID, DUPLICATE = "paid", "duplicate"  # (and PENDING, FAILED, REFUNDED)
_ATTEMPT_STATUS = {PAID: SUCCEEDED, PENDING: PENDING, REFUNDED: REFUNDED}
FAILURE_REASON_LENGTH = 200


def attempt_status(outcome: str) -> str:
    """The status a payer is shown for an attempt whose answer did ``outcome``."""
    return _ATTEMPT_STATUS.get(outcome, FAILED)


def failure_reason(reason: str | None) -> str:
    return (reason or "declined")[:FAILURE_REASON_LENGTH]


def refund_amount(requested: int | None, left: int) -> int:
    """What a shop's refund sends back: everything not yet refunded unless it names less."""
    amount = left if requested is None else requested
    if not 0 < amount <= left:
        raise InvalidAmount(f"A refund of this order is 1 to {left} minor units.", field="amount")
    return amount


def check_payout_amount(amount: int) -> None:
    if amount <= 0:
        raise InvalidAmount(field="amount")


def check_balance(amount: int, available: int, currency: str) -> None:
    if available < amount:
        raise InsufficientBalance(
            f"Your {currency} balance is {available}; you asked for {amount}.", field="amount"
        )


def orphan_refund_key(payment_id: int) -> str:
    return f"orphan:payment:{payment_id}"


def team_expiry_refund_key(team_id: int, order_id: int) -> str:
    return f"team-expired:{team_id}:order:{order_id}"
