"""Read side of the ledger: a person's commission wallet, what is available and what is held."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.ledger import domain
from tuan.ledger.models import LedgerAccount, LedgerEntry, LedgerTransaction


@dataclass(frozen=True)
class Balance:
    currency: str
    amount: int  # available: what a payout may draw on
    held: int  # earned on orders still inside the return window


@dataclass(frozen=True)
class EntryView:
    id: int
    currency: str
    amount: int
    kind: str
    order_id: int | None
    memo: str
    at: datetime


@dataclass(frozen=True)
class WalletView:
    balances: list[Balance]
    entries: list[EntryView]


_WALLET_KINDS = (domain.SHARER, domain.SHARER_HELD)


async def wallet(session: AsyncSession, user_id: int, *, limit: int = 50) -> WalletView:
    """Balances are sums of the person's commission entries, per currency and account."""
    sums = (
        await session.execute(
            select(
                LedgerAccount.currency,
                LedgerAccount.kind,
                func.coalesce(func.sum(LedgerEntry.amount), 0),
            )
            .join(LedgerEntry, LedgerEntry.account_code == LedgerAccount.code, isouter=True)
            .where(LedgerAccount.kind.in_(_WALLET_KINDS), LedgerAccount.owner_id == user_id)
            .group_by(LedgerAccount.currency, LedgerAccount.kind)
        )
    ).all()
    by_currency: dict[str, dict[str, int]] = {}
    for currency, kind, amount in sums:
        by_currency.setdefault(currency, {})[kind] = int(amount)
    # A release is one movement from held to available; the wallet lists its available side.
    listed = (LedgerAccount.kind == domain.SHARER) | (LedgerTransaction.kind != "release")
    entries = (
        await session.execute(
            select(LedgerEntry, LedgerAccount.currency, LedgerTransaction)
            .join(LedgerAccount, LedgerAccount.code == LedgerEntry.account_code)
            .join(LedgerTransaction, LedgerTransaction.id == LedgerEntry.transaction_id)
            .where(LedgerAccount.kind.in_(_WALLET_KINDS), LedgerAccount.owner_id == user_id)
            .where(listed)
            .order_by(LedgerEntry.id.desc())
            .limit(limit)
        )
    ).all()
    return WalletView(
        balances=[
            Balance(
                currency,
                amount=kinds.get(domain.SHARER, 0),
                held=kinds.get(domain.SHARER_HELD, 0),
            )
            for currency, kinds in sorted(by_currency.items())
        ],
        entries=[
            EntryView(
                id=entry.id,
                currency=currency,
                amount=entry.amount,
                kind=txn.kind,
                order_id=txn.order_id,
                memo=txn.memo,
                at=entry.created_at,
            )
            for entry, currency, txn in entries
        ],
    )


def commission_for(amount: int, rate_bp: int) -> int:
    """Commission on ``amount`` minor units at ``rate_bp`` basis points (what an order page
    discloses to its buyer; the ledger credits the same when the order completes)."""
    return domain.commission_for(amount, rate_bp)
