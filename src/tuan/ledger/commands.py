"""What payments may change in the ledger inside its own transaction: a payout debits the
sharer's balance in the transaction that records the payout, under the account's lock."""

from __future__ import annotations

from tuan.core.uow import UnitOfWork
from tuan.ledger import domain, service


async def lock_commission_balance(uow: UnitOfWork, *, user_id: int, currency: str) -> int:
    """Lock the person's commission account in ``currency`` until commit and return its
    balance: a payout checked against it cannot race another."""
    account = domain.account_code(domain.SHARER, user_id, currency)
    await service.lock_account(
        uow.session, account, kind=domain.SHARER, owner_id=user_id, currency=currency, now=uow.now
    )
    return await service.balance(uow.session, account)


async def post_payout(
    uow: UnitOfWork, *, payout_id: int, user_id: int, provider: str, currency: str, amount: int
) -> None:
    """Move ``amount`` from the person's commission to what ``provider`` pays out (once per
    payout)."""
    await service.ensure_account(
        uow.session,
        domain.account_code(domain.PAYOUTS, provider, currency),
        kind=domain.PAYOUTS,
        owner_id=None,
        currency=currency,
        now=uow.now,
    )
    await service.post(
        uow.session,
        key=f"payout:{payout_id}",
        kind="payout",
        postings=domain.payout_postings(
            user_id=user_id, provider=provider, currency=currency, amount=amount
        ),
        now=uow.now,
        memo=f"payout {payout_id}",
    )
