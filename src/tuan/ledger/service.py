"""Posting to the ledger. Entries are only ever inserted; a transaction's unique key makes each
cause (an order's completion, a refund, a payout) post at most once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.core.scheduler import schedule_once
from tuan.core.uow import UnitOfWork
from tuan.ledger import domain
from tuan.ledger.events import CommissionAdjusted
from tuan.ledger.models import LedgerAccount, LedgerEntry, LedgerTransaction
from tuan.orders.queries import find_order

RELEASE_COMMISSION = "ledger.release_commission"


async def ensure_account(
    session: AsyncSession,
    code: str,
    *,
    kind: str,
    owner_id: int | None,
    currency: str,
    now: datetime,
) -> None:
    if await session.get(LedgerAccount, code) is not None:
        return
    async with session.begin_nested():
        try:
            session.add(
                LedgerAccount(
                    code=code, kind=kind, owner_id=owner_id, currency=currency, created_at=now
                )
            )
            await session.flush()
        except IntegrityError:
            pass  # created concurrently: fine, it is the same account


async def lock_account(
    session: AsyncSession,
    code: str,
    *,
    kind: str,
    owner_id: int | None,
    currency: str,
    now: datetime,
) -> None:
    """Serialise writers of one account (a row lock on PostgreSQL; SQLite writers queue anyway)."""
    await ensure_account(session, code, kind=kind, owner_id=owner_id, currency=currency, now=now)
    await session.execute(
        select(LedgerAccount.code).where(LedgerAccount.code == code).with_for_update()
    )


async def balance(session: AsyncSession, code: str) -> int:
    total = await session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
            LedgerEntry.account_code == code
        )
    )
    return int(total or 0)


async def post(
    session: AsyncSession,
    *,
    key: str,
    kind: str,
    postings: list[domain.Posting],
    now: datetime,
    order_id: int | None = None,
    memo: str = "",
) -> bool:
    """Write one balanced transaction; False (nothing written) if ``key`` was posted before."""
    domain.checked(postings)
    async with session.begin_nested():
        try:
            txn = LedgerTransaction(
                key=key, kind=kind, order_id=order_id, memo=memo[:200], created_at=now
            )
            session.add(txn)
            await session.flush()
        except IntegrityError:
            return False
    session.add_all(
        LedgerEntry(transaction_id=txn.id, account_code=p.account, amount=p.amount, created_at=now)
        for p in postings
    )
    return True


async def commission_credited(session: AsyncSession, order_id: int, account: str) -> int:
    total = await session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.amount), 0))
        .join(LedgerTransaction, LedgerTransaction.id == LedgerEntry.transaction_id)
        .where(LedgerTransaction.order_id == order_id, LedgerEntry.account_code == account)
    )
    return int(total or 0)


async def _commission_is_final(session: AsyncSession, order_id: int, available: str) -> bool:
    """Once any of an order's commission reached the available balance it is final (commission
    credited before holds existed went there directly, and counts as released)."""
    found = await session.scalar(
        select(LedgerEntry.id)
        .join(LedgerTransaction, LedgerTransaction.id == LedgerEntry.transaction_id)
        .where(LedgerTransaction.order_id == order_id, LedgerEntry.account_code == available)
        .limit(1)
    )
    return found is not None


async def _lock_sharer_accounts(uow: UnitOfWork, sharer_id: int, currency: str) -> tuple[str, str]:
    """The sharer's held and available accounts, the held one locked: settling and releasing
    one order's commission never interleave."""
    held = domain.account_code(domain.SHARER_HELD, sharer_id, currency)
    available = domain.account_code(domain.SHARER, sharer_id, currency)
    await ensure_account(
        uow.session,
        available,
        kind=domain.SHARER,
        owner_id=sharer_id,
        currency=currency,
        now=uow.now,
    )
    await lock_account(
        uow.session,
        held,
        kind=domain.SHARER_HELD,
        owner_id=sharer_id,
        currency=currency,
        now=uow.now,
    )
    return held, available


async def settle_commission(uow: UnitOfWork, *, order_id: int, cause: str) -> int:
    """Bring the sharer's held commission on ``order_id`` to what the order earns; returns the
    change.

    A completed order earns ``rate × (total − refunded)``; an order that never completed earns
    nothing; buying through one's own share earns nothing (the rate was fixed at 0 at checkout).
    Once the return window has closed and the commission was released, it no longer changes.
    """
    order = await find_order(uow.session, order_id)
    if order is None or order.sharer_id is None or order.sharer_id == order.buyer_id:
        return 0
    held, available = await _lock_sharer_accounts(uow, order.sharer_id, order.currency)
    if await _commission_is_final(uow.session, order_id, available):
        return 0
    shop_account = domain.account_code(domain.SHOP_COMMISSION, order.shop_id, order.currency)
    await ensure_account(
        uow.session,
        shop_account,
        kind=domain.SHOP_COMMISSION,
        owner_id=order.shop_id,
        currency=order.currency,
        now=uow.now,
    )
    target = (
        domain.commission_for(order.total - order.refunded_amount, order.commission_rate_bp)
        if order.completed_at is not None
        else 0
    )
    credited = await commission_credited(uow.session, order_id, held)
    postings = domain.commission_adjustment(
        sharer_id=order.sharer_id,
        shop_id=order.shop_id,
        currency=order.currency,
        credited=credited,
        target=target,
    )
    delta = target - credited
    if not postings or not await post(
        uow.session,
        key=cause,
        kind="commission" if delta > 0 else "clawback",
        postings=postings,
        now=uow.now,
        order_id=order_id,
        memo=f"order {order_id}",
    ):
        return 0
    if order.completed_at is not None:
        await schedule_once(
            uow.session,
            kind=RELEASE_COMMISSION,
            key=domain.release_key(order_id),
            run_at=order.completed_at + domain.COMMISSION_HOLD,
            now=uow.now,
            payload={"order_id": order_id},
        )
    uow.emit(
        CommissionAdjusted(
            order_id=order_id, sharer_id=order.sharer_id, currency=order.currency, amount=delta
        )
    )
    return delta


async def release_commission(uow: UnitOfWork, *, order_id: int) -> int:
    """The return window has closed: what is held for ``order_id`` becomes available (once)."""
    order = await find_order(uow.session, order_id)
    if order is None or order.sharer_id is None:
        return 0
    held, available = await _lock_sharer_accounts(uow, order.sharer_id, order.currency)
    if await _commission_is_final(uow.session, order_id, available):
        return 0
    amount = await commission_credited(uow.session, order_id, held)
    if amount <= 0:  # refunded in full inside the window: nothing to release
        return 0
    await post(
        uow.session,
        key=domain.release_key(order_id),
        kind="release",
        postings=domain.release_postings(
            sharer_id=order.sharer_id, currency=order.currency, amount=amount
        ),
        now=uow.now,
        order_id=order_id,
        memo=f"order {order_id}",
    )
    return amount
