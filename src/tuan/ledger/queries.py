"""Read side of the ledger: a person's commission wallet."""

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
    amount: int


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


async def wallet(session: AsyncSession, user_id: int, *, limit: int = 50) -> WalletView:
    """Balances are sums of the person's commission entries, per currency."""
    rows = (
        await session.execute(
            select(LedgerAccount.currency, func.coalesce(func.sum(LedgerEntry.amount), 0))
            .join(LedgerEntry, LedgerEntry.account_code == LedgerAccount.code, isouter=True)
            .where(LedgerAccount.kind == domain.SHARER, LedgerAccount.owner_id == user_id)
            .group_by(LedgerAccount.currency)
            .order_by(LedgerAccount.currency)
        )
    ).all()
    entries = (
        await session.execute(
            select(LedgerEntry, LedgerAccount.currency, LedgerTransaction)
            .join(LedgerAccount, LedgerAccount.code == LedgerEntry.account_code)
            .join(LedgerTransaction, LedgerTransaction.id == LedgerEntry.transaction_id)
            .where(LedgerAccount.kind == domain.SHARER, LedgerAccount.owner_id == user_id)
            .order_by(LedgerEntry.id.desc())
            .limit(limit)
        )
    ).all()
    return WalletView(
        balances=[Balance(currency, int(amount)) for currency, amount in rows],
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
