"""Payouts: a sharer's commission balance moved out through the provider. The balance is debited
in the ledger in the transaction that records the payout; a durable job asks the provider."""

from __future__ import annotations

from sqlalchemy import update

from tuan.core.money import check_currency
from tuan.core.scheduler import schedule
from tuan.core.uow import UnitOfWork
from tuan.ledger.commands import lock_commission_balance, post_payout
from tuan.payments import domain
from tuan.payments.events import PayoutRequested
from tuan.payments.models import Payout
from tuan.payments.provider import PaymentProvider

SEND_PAYOUT = "payments.send_payout"


async def request_payout(
    uow: UnitOfWork, *, user_id: int, amount: int, currency: str, provider: str = "sandbox"
) -> Payout:
    """Move commission out: the balance is checked and debited under the account's lock."""
    currency = check_currency(currency)
    domain.check_payout_amount(amount)
    available = await lock_commission_balance(uow, user_id=user_id, currency=currency)
    domain.check_balance(amount, available, currency)
    payout = Payout(
        user_id=user_id,
        amount=amount,
        currency=currency,
        status=domain.PENDING,
        created_at=uow.now,
    )
    uow.session.add(payout)
    await uow.session.flush()
    await post_payout(
        uow,
        payout_id=payout.id,
        user_id=user_id,
        provider=provider,
        currency=currency,
        amount=amount,
    )
    await schedule(
        uow.session,
        kind=SEND_PAYOUT,
        key=f"payout:{payout.id}",
        run_at=uow.now,
        now=uow.now,
        payload={"payout_id": payout.id},
    )
    uow.emit(
        PayoutRequested(payout_id=payout.id, user_id=user_id, amount=amount, currency=currency)
    )
    return payout


async def send_payout(uow: UnitOfWork, provider: PaymentProvider, *, payout_id: int) -> None:
    """The durable job: ask the provider to pay out (idempotent by reference)."""
    payout = await uow.session.get(Payout, payout_id)
    if payout is None or payout.status != domain.PENDING:
        return
    provider_reference = await provider.payout(
        reference=f"payout:{payout.id}", amount=payout.amount, currency=payout.currency
    )
    await uow.session.execute(
        update(Payout)
        .where(Payout.id == payout_id, Payout.status == domain.PENDING)
        .values(status="paid", provider_reference=provider_reference, settled_at=uow.now)
    )
