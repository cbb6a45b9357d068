"""Paying for orders, and the provider's answers (at once, or later by webhook).

Never charge twice: an order has at most one payment in flight (``orders.active_payment_ref`` is set
by a conditional update). Never lose a paid order: a successful charge and the order becoming paid
commit together; if the order can no longer take the money (its reservation expired, its team
closed) the same transaction issues a refund. Talking to a provider never happens inside a
transaction: charging is between two transactions. The one exception is a provider that
``charges_locally`` (the sandbox: no money moves, no I/O): asking it is like calling a function, so
the whole payment is one transaction, and the usual case (a regular order, "succeeded") is one
conditional UPDATE that claims and pays the order at once (ADR 0006).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NoReturn, cast

from sqlalchemy import Table, insert, select, update

from tuan.core.errors import Unavailable
from tuan.core.scheduler import schedule
from tuan.core.uow import Transactor, UnitOfWork
from tuan.groupbuy.commands import PaymentCount, count_member_payment
from tuan.orders.commands import (
    cancel_pending,
    claim_for_payment,
    lock_order,
    mark_paid,
    pay_at_once,
    record_paid,
    release_payment_claim,
)
from tuan.orders.queries import order_for_party, refusal, unpaid
from tuan.payments import domain
from tuan.payments.errors import PaymentInProgress, PaymentNotFound, UnknownPaymentMethod
from tuan.payments.events import PaymentFailed
from tuan.payments.models import Payment
from tuan.payments.provider import ChargeResult, PaymentProvider
from tuan.payments.refunds import refund_orphan_payment

SANDBOX_ANSWER = "payments.sandbox_answer"


@dataclass(frozen=True)
class PaymentAttempt:
    payment_id: int
    reference: str
    status: str  # succeeded | failed | pending (an answer will come by webhook) | refunded
    outcome: str  # what it did to the order: paid | failed | pending | refunded


@dataclass(frozen=True)
class _Charge:
    """One attempt to charge the buyer for an order, as asked."""

    provider: PaymentProvider
    order_id: int
    buyer_id: int
    reference: str
    instruction: str
    answer_after_seconds: int

    async def ask(self, amount: int, currency: str) -> ChargeResult:
        return await self.provider.charge(
            reference=self.reference,
            amount=amount,
            currency=currency,
            instruction=self.instruction,
            answer_after=self.answer_after_seconds,
        )


class _NotAtOnce(Exception):
    """The one-UPDATE payment did not apply (its transaction rolls back); the provider's answer
    if it was asked."""

    def __init__(self, answer: ChargeResult | None) -> None:
        super().__init__("not the usual case")
        self.answer = answer


async def pay_order(
    transactor: Transactor,
    providers: Mapping[str, PaymentProvider],
    *,
    order_id: int,
    buyer_id: int,
    method: str = "sandbox",
    instruction: str = "succeed",
    answer_after_seconds: int = 5,
) -> PaymentAttempt:
    """Pay for the buyer's order. Takes a Transactor, not a unit of work: a provider answering
    over the network is asked *between* two transactions (claiming the order, then applying its
    answer), never inside one; a local provider is asked inside one (see the module doc)."""
    provider = providers.get(method)
    if provider is None:
        raise UnknownPaymentMethod(field="method")
    charge = _Charge(
        provider, order_id, buyer_id, "pay_" + uuid.uuid4().hex, instruction, answer_after_seconds
    )
    if provider.charges_locally:
        try:
            return await transactor.run(_pay_at_once, charge)
        except _NotAtOnce as not_at_once:  # a team order, a refusal, a failure, a late answer
            return await transactor.run(_pay_locally, charge, not_at_once.answer)
    payment = await transactor.run(_claim, charge)
    try:
        answer = await charge.ask(payment.amount, payment.currency)
    except Exception as exc:
        # No answer from the provider: record the attempt as failed (freeing the order for another
        # try) rather than leave it pending for ever. A real provider would be asked again by
        # reference before charging anew; the sandbox never fails this way.
        await transactor.run(
            settle_charge,
            reference=charge.reference,
            succeeded=False,
            failure_reason="provider unreachable",
        )
        raise Unavailable("The payment provider did not answer; nothing was charged.") from exc
    outcome = await transactor.run(_apply_answer, charge.reference, answer)
    return PaymentAttempt(payment.id, charge.reference, domain.attempt_status(outcome), outcome)


_PAYMENTS = cast(Table, Payment.__table__)
_INSERT_PAYMENT = insert(_PAYMENTS).returning(_PAYMENTS.c.id)


async def _pay_at_once(uow: UnitOfWork, charge: _Charge) -> PaymentAttempt:
    """The usual case with a local provider: a regular order, payable, and the provider says
    "succeeded". Then the order is paid (one UPDATE), its payment, transition and OrderPaid are
    recorded. Otherwise :class:`_NotAtOnce` rolls it all back."""
    paid = await pay_at_once(uow, order_id=charge.order_id, buyer_id=charge.buyer_id)
    if paid is None:
        raise _NotAtOnce(None)
    answer = await charge.ask(paid.amount, paid.currency)
    if answer.status != "succeeded":
        raise _NotAtOnce(answer)
    payment_id = (
        await uow.session.execute(
            _INSERT_PAYMENT,
            {
                "order_id": charge.order_id,
                "provider": charge.provider.name,
                "reference": charge.reference,
                "amount": paid.amount,
                "currency": paid.currency,
                "status": domain.SUCCEEDED,
                "failure_reason": None,
                "created_at": uow.now,
                "settled_at": uow.now,
            },
        )
    ).scalar_one()
    await record_paid(uow, paid)
    return PaymentAttempt(int(payment_id), charge.reference, domain.SUCCEEDED, domain.PAID)


async def _pay_locally(
    uow: UnitOfWork, charge: _Charge, answer: ChargeResult | None
) -> PaymentAttempt:
    """Claim, charge and apply the answer in one transaction (a local provider only: asking it
    is like calling a function, and a rollback undoes everything)."""
    payment = await _claim(uow, charge)
    if answer is None:
        answer = await charge.ask(payment.amount, payment.currency)
    outcome = await _apply_answer(uow, charge.reference, answer)
    return PaymentAttempt(payment.id, charge.reference, domain.attempt_status(outcome), outcome)


async def _claim(uow: UnitOfWork, charge: _Charge) -> Payment:
    """Claim the order for this one payment and record the payment as pending.

    One statement in the usual case; the reason for a refusal is looked up only when there is
    one.
    """
    claimed = await claim_for_payment(
        uow, order_id=charge.order_id, buyer_id=charge.buyer_id, reference=charge.reference
    )
    if claimed is None:
        await _why_not_payable(uow, charge.order_id, charge.buyer_id)
    amount, currency = claimed
    payment = Payment(
        order_id=charge.order_id,
        provider=charge.provider.name,
        reference=charge.reference,
        amount=amount,
        currency=currency,
        status=domain.PENDING,
        created_at=uow.now,
    )
    uow.session.add(payment)
    await uow.session.flush()
    return payment


async def _why_not_payable(uow: UnitOfWork, order_id: int, buyer_id: int) -> NoReturn:
    party = await order_for_party(uow.session, order_id, buyer_id)
    raise refusal("pay", party.order, party.role, uow.now) or PaymentInProgress()


async def _apply_answer(uow: UnitOfWork, reference: str, result: ChargeResult) -> str:
    """What the provider said about a charge: pending (its webhook comes later) or settled."""
    if result.status == "pending":
        assert result.answer_after is not None and result.late_outcome is not None
        await schedule(
            uow.session,
            kind=SANDBOX_ANSWER,
            key=reference,
            run_at=uow.now + result.answer_after,
            now=uow.now,
            payload={"reference": reference, "outcome": result.late_outcome},
        )
        return domain.PENDING
    return await settle_charge(
        uow,
        reference=reference,
        succeeded=result.status == "succeeded",
        failure_reason=result.failure_reason,
    )


async def settle_charge(
    uow: UnitOfWork, *, reference: str, succeeded: bool, failure_reason: str | None = None
) -> str:
    """Apply the provider's answer for one charge; a repeated answer changes nothing.

    Returns what happened: ``paid``, ``failed``, ``refunded`` (money for an order that could no
    longer take it) or ``duplicate``.
    """
    session = uow.session
    payment = (
        await session.execute(
            update(Payment)
            .where(Payment.reference == reference, Payment.status == domain.PENDING)
            .values(
                status=domain.SUCCEEDED if succeeded else domain.FAILED,
                failure_reason=None if succeeded else domain.failure_reason(failure_reason),
                settled_at=uow.now,
            )
            .returning(Payment)
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()
    if payment is None:
        if await session.scalar(select(Payment.id).where(Payment.reference == reference)) is None:
            raise PaymentNotFound(field="reference")
        return domain.DUPLICATE  # the provider told us twice
    # Lock the order row: the expiry job and a late payment decide on it one after the other.
    order = await lock_order(uow, payment.order_id)
    if not succeeded:
        await release_payment_claim(uow, order_id=order.id, reference=reference)
        uow.emit(PaymentFailed(order_id=order.id, reference=reference, reason=failure_reason or ""))
        return domain.FAILED
    if not unpaid(order):
        await refund_orphan_payment(uow, order.id, payment, reason=f"order_{order.status}")
        return domain.REFUNDED
    if order.team_id is not None:
        counted = await count_member_payment(uow, team_id=order.team_id, buyer_id=order.buyer_id)
        if counted is PaymentCount.REFUSED:
            await cancel_pending(uow, order, reason="team_closed")
            await refund_orphan_payment(uow, order.id, payment, reason="team_closed")
            return domain.REFUNDED
    await mark_paid(uow, order, amount=payment.amount)
    return domain.PAID


async def receive_webhook(
    uow: UnitOfWork, provider: PaymentProvider, *, body: bytes, signature: str | None
) -> str:
    """Verify a provider's webhook and apply it; a forged one raises before anything changes.
    Returns what it did (see :func:`settle_charge`)."""
    event = provider.verify_webhook(body, signature, uow.now)
    return await settle_charge(
        uow,
        reference=event.reference,
        succeeded=event.type == "charge.succeeded",
        failure_reason=event.failure_reason,
    )
