"""Ledger rules that need no database: accounts, balanced postings, commission arithmetic.

Every movement of money is a *transaction* of two or more entries that sum to zero in one currency.
An account's balance is the sum of its entries; nothing stores a balance that could drift from them.
Sign convention: a positive entry increases what Tuan owes the account's owner.

Commission is *held* before it is *available* (ADR 0008): an order's commission is credited to the
sharer's held account when the order completes, and moves to the available account, the only one a
payout may draw on, when the return window closes. Refunds inside the window reduce what is held;
a refund after it is the shop's cost. So a payout can never be clawed back, and a wallet never goes
negative.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

SHARER = "sharer"  # commission a sharer may be paid out (available)
SHARER_HELD = "sharer_held"  # commission earned on orders still inside the return window
SHOP_COMMISSION = "shop_commission"  # what a shop owes for commissions (goes negative)
PAYOUTS = "payouts"  # money sent out through a provider

# China's consumer law gives buyers 7 days to return goods bought at a distance (七天无理由退货);
# a shop refunds inside it as a matter of course, so commission waits for it to close.
COMMISSION_HOLD = timedelta(days=7)


@dataclass(frozen=True)
class Posting:
    account: str
    amount: int


class UnbalancedTransaction(ValueError):
    """A programming error: postings that do not sum to zero must never reach the database."""


def account_code(kind: str, owner: int | str, currency: str) -> str:
    return f"{kind}:{owner}:{currency}"


def checked(postings: list[Posting]) -> list[Posting]:
    if len(postings) < 2 or any(p.amount == 0 for p in postings):
        raise UnbalancedTransaction("a transaction needs two or more non-zero entries")
    if sum(p.amount for p in postings) != 0:
        raise UnbalancedTransaction(f"entries sum to {sum(p.amount for p in postings)}, not 0")
    return postings


def commission_for(amount: int, rate_bp: int) -> int:
    """Commission on ``amount`` minor units at ``rate_bp`` basis points, rounded down."""
    return max(0, amount) * rate_bp // 10_000


def commission_adjustment(
    *, sharer_id: int, shop_id: int, currency: str, credited: int, target: int
) -> list[Posting]:
    """Entries that move the sharer's held commission on one order from ``credited`` to
    ``target``.

    Crediting on completion and clawing back on a refund are the same operation, so handling
    them in any order, or twice, converges on the commission of what the buyer finally kept.
    """
    delta = target - credited
    if delta == 0:
        return []
    return checked(
        [
            Posting(account_code(SHARER_HELD, sharer_id, currency), delta),
            Posting(account_code(SHOP_COMMISSION, shop_id, currency), -delta),
        ]
    )


def payout_postings(*, user_id: int, provider: str, currency: str, amount: int) -> list[Posting]:
    return checked(
        [
            Posting(account_code(SHARER, user_id, currency), -amount),
            Posting(account_code(PAYOUTS, provider, currency), amount),
        ]
    )


def release_postings(*, sharer_id: int, currency: str, amount: int) -> list[Posting]:
    """Held commission becomes available: the return window has closed."""
    return checked(
        [
            Posting(account_code(SHARER_HELD, sharer_id, currency), -amount),
            Posting(account_code(SHARER, sharer_id, currency), amount),
        ]
    )


def release_key(order_id: int) -> str:
    """The one release of an order's commission: its job's key and its transaction's key."""
    return f"commission_release:{order_id}"
