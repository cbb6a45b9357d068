"""Ledger rules that need no database: accounts, balanced postings, commission arithmetic.

Every movement of money is a *transaction* of two or more entries that sum to zero in one currency.
An account's balance is the sum of its entries; nothing stores a balance that could drift from them.
Sign convention: a positive entry increases what Tuan owes the account's owner.
"""

from __future__ import annotations

from dataclasses import dataclass

SHARER = "sharer"  # commission owed to a person who shared a product
SHOP_COMMISSION = "shop_commission"  # what a shop owes for commissions (goes negative)
PAYOUTS = "payouts"  # money sent out through a provider


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
    """Entries that move the sharer's commission on one order from ``credited`` to ``target``.

    Crediting on completion and clawing back on a refund are the same operation, so handling
    them in any order, or twice, converges on the commission of what the buyer finally kept.
    """
    delta = target - credited
    if delta == 0:
        return []
    return checked(
        [
            Posting(account_code(SHARER, sharer_id, currency), delta),
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
