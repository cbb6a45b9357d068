"""Paying for orders, webhooks, refunds and payouts.

Never charge twice: an order has at most one payment in flight (``orders.active_payment_ref`` is set
by a conditional update). Never lose a paid order: a successful charge and the order becoming paid
commit together; if the order can no longer take the money (its reservation expired, its team
closed) the same transaction issues a refund. Talking to a provider never happens inside a
transaction: charging is between two transactions, refunds and payouts are durable jobs. The one
exception is a provider that ``charges_locally`` (the sandbox: no money moves, no I/O): asking it
is like calling a function, so the whole payment is one transaction, and the usual case (a
regular order, "succeeded") is one conditional UPDATE that claims and pays the order at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from tuan.catalog.domain import check_currency
from tuan.core.errors import Unavailable
from tuan.core.scheduler import schedule
from tuan.core.uow import UnitOfWork
from tuan.groupbuy.service import PaymentCount, count_member_payment_in
from tuan.ledger import domain as ledger_domain
from tuan.ledger import service as ledger
from tuan.ledger.errors import InsufficientBalance
from tuan.orders import domain as order_domain
from tuan.orders.errors import InvalidTransition, ReservationExpired, TeamNotConfirmed
from tuan.orders.events import OrderPaid
from tuan.orders.lifecycle import (
    SHOP_OWNER,
    cancel_pending_in,
    move,
    order_for_party,
    record_refund_in,
)
from tuan.orders.models import Order, OrderTransition
from tuan.payments.errors import (
    InvalidAmount,
    PaymentInProgress,
    PaymentNotFound,
    UnknownPaymentMethod,
)
from tuan.payments.events import OrphanPaymentRefunded, PaymentFailed, PayoutRequested
from tuan.payments.models import Payment, Payout, Refund
from tuan.payments.provider import ChargeResult, PaymentProvider, WebhookEvent

SEND_REFUND = "payments.send_refund"
SEND_PAYOUT = "payments.send_payout"
SANDBOX_ANSWER = "payments.sandbox_answer"

UowFactory = Callable[[], UnitOfWork]


@dataclass(frozen=True)
class PaymentAttempt:
    payment_id: int
    reference: str
    status: str  # succeeded | failed | pending (an answer will come by webhook) | refunded
    outcome: str  # what it did to the order: paid | failed | pending | refunded


async def pay_order(
    new_uow: UowFactory,
    providers: dict[str, PaymentProvider],
    *,
    order_id: int,
    buyer_id: int,
    method: str = "sandbox",
    instruction: str = "succeed",
    answer_after_seconds: int = 5,
) -> PaymentAttempt:
    provider = providers.get(method)
    if provider is None:
        raise UnknownPaymentMethod(field="method")
    reference = "pay_" + uuid.uuid4().hex
    if provider.charges_locally:
        # Nothing leaves Tuan, so the whole payment can be one transaction: first the usual
        # case in three statements; anything else (a team order, a refusal, a failure, a late
        # answer) the general steps, in one transaction too.
        async with new_uow() as uow:
            attempt, answer = await _pay_at_once_in(
                uow,
                provider,
                order_id=order_id,
                buyer_id=buyer_id,
                reference=reference,
                instruction=instruction,
                answer_after_seconds=answer_after_seconds,
            )
            if attempt is not None:
                await uow.commit()
                return attempt
        async with new_uow() as uow:
            attempt = await _pay_locally_in(
                uow,
                provider,
                order_id=order_id,
                buyer_id=buyer_id,
                reference=reference,
                instruction=instruction,
                answer_after_seconds=answer_after_seconds,
                answer=answer,
            )
            await uow.commit()
        return attempt
    async with new_uow() as uow:
        payment = await _claim_for_payment_in(
            uow, provider, order_id=order_id, buyer_id=buyer_id, reference=reference
        )
        amount, currency = payment.amount, payment.currency
        await uow.commit()

    try:
        result = await provider.charge(
            reference=reference,
            amount=amount,
            currency=currency,
            instruction=instruction,
            answer_after=answer_after_seconds,
        )
    except Exception as exc:
        # No answer from the provider: record the attempt as failed (freeing the order for another
        # try) rather than leave it pending for ever. A real provider would be asked again by
        # reference before charging anew; the sandbox never fails this way.
        async with new_uow() as uow:
            await settle_charge_in(
                uow, reference=reference, succeeded=False, failure_reason="provider unreachable"
            )
            await uow.commit()
        raise Unavailable("The payment provider did not answer; nothing was charged.") from exc
    async with new_uow() as uow:
        outcome = await _apply_answer_in(uow, reference, result)
        await uow.commit()
    return PaymentAttempt(
        payment_id=payment.id,
        reference=reference,
        status=_STATUS_OF.get(outcome, "failed"),
        outcome=outcome,
    )


async def _claim_for_payment_in(
    uow: UnitOfWork, provider: PaymentProvider, *, order_id: int, buyer_id: int, reference: str
) -> Payment:
    """Claim the order for this one payment and record the payment as pending.

    Only the buyer, only while it is unpaid, its reservation holds and no other payment is under
    way. One statement in the usual case; the reason for a refusal is looked up only when there
    is one.
    """
    claimed = (
        await uow.session.execute(
            update(Order)
            .where(
                Order.id == order_id,
                Order.buyer_id == buyer_id,
                Order.status == order_domain.PENDING,
                Order.active_payment_ref.is_(None),
                Order.reserved_until > uow.now,
            )
            .values(active_payment_ref=reference, updated_at=uow.now)
            .returning(Order.total, Order.currency)
            .execution_options(synchronize_session=False)
        )
    ).first()
    if claimed is None:
        await _why_not_payable(uow, order_id, buyer_id)
    amount, currency = claimed
    payment = Payment(
        order_id=order_id,
        provider=provider.name,
        reference=reference,
        amount=amount,
        currency=currency,
        status="pending",
        created_at=uow.now,
    )
    uow.session.add(payment)
    await uow.session.flush()
    return payment


# The sandbox's usual answer, "succeeded", for a regular order: claim, pay and record in one
# conditional UPDATE (the same conditions as the claim above, plus "not a team order"). Built once.
_ORDERS = cast(Table, Order.__table__)
_PAY_AT_ONCE = (
    update(_ORDERS)
    .where(
        _ORDERS.c.id == bindparam("p_order_id"),
        _ORDERS.c.buyer_id == bindparam("p_buyer_id"),
        _ORDERS.c.status == order_domain.PENDING,
        _ORDERS.c.active_payment_ref.is_(None),
        _ORDERS.c.reserved_until > bindparam("p_now", type_=_ORDERS.c.reserved_until.type),
        _ORDERS.c.team_id.is_(None),
    )
    .values(
        status=order_domain.PAID,
        paid_at=bindparam("p_now"),
        updated_at=bindparam("p_now"),
    )
    .returning(_ORDERS.c.total, _ORDERS.c.currency, _ORDERS.c.shop_id)
)
_PAYMENTS = cast(Table, Payment.__table__)
_INSERT_PAYMENT = insert(_PAYMENTS).returning(_PAYMENTS.c.id)
_INSERT_TRANSITION = insert(cast(Table, OrderTransition.__table__))


async def _pay_at_once_in(
    uow: UnitOfWork,
    provider: PaymentProvider,
    *,
    order_id: int,
    buyer_id: int,
    reference: str,
    instruction: str,
    answer_after_seconds: int,
) -> tuple[PaymentAttempt | None, ChargeResult | None]:
    """The usual case with a local provider: a regular order, payable, and the provider says
    "succeeded". Then the order is paid, its payment and its transition are recorded and
    OrderPaid is emitted: commit. Otherwise ``(None, the provider's answer if it was asked)``,
    and the caller must not commit (the order may already be marked paid)."""
    now = uow.now
    paid = (
        await uow.session.execute(
            _PAY_AT_ONCE, {"p_order_id": order_id, "p_buyer_id": buyer_id, "p_now": now}
        )
    ).first()
    if paid is None:
        return None, None
    amount, currency, shop_id = paid
    answer = await provider.charge(
        reference=reference,
        amount=amount,
        currency=currency,
        instruction=instruction,
        answer_after=answer_after_seconds,
    )
    if answer.status != "succeeded":
        return None, answer
    payment_id = (
        await uow.session.execute(
            _INSERT_PAYMENT,
            {
                "order_id": order_id,
                "provider": provider.name,
                "reference": reference,
                "amount": amount,
                "currency": currency,
                "status": "succeeded",
                "failure_reason": None,
                "created_at": now,
                "settled_at": now,
            },
        )
    ).scalar_one()
    await uow.session.execute(
        _INSERT_TRANSITION,
        {
            "order_id": order_id,
            "from_status": order_domain.PENDING,
            "to_status": order_domain.PAID,
            "reason": "payment_succeeded",
            "amount": amount,
            "actor_id": None,
            "at": now,
        },
    )
    uow.emit(OrderPaid(order_id=order_id, buyer_id=buyer_id, shop_id=shop_id))
    attempt = PaymentAttempt(
        payment_id=int(payment_id), reference=reference, status="succeeded", outcome="paid"
    )
    return attempt, answer


async def _pay_locally_in(
    uow: UnitOfWork,
    provider: PaymentProvider,
    *,
    order_id: int,
    buyer_id: int,
    reference: str,
    instruction: str,
    answer_after_seconds: int,
    answer: ChargeResult | None,
) -> PaymentAttempt:
    """Claim, charge and apply the answer in the caller's one transaction (a local provider
    only: asking it is like calling a function, and a rollback undoes everything)."""
    payment = await _claim_for_payment_in(
        uow, provider, order_id=order_id, buyer_id=buyer_id, reference=reference
    )
    if answer is None:
        answer = await provider.charge(
            reference=reference,
            amount=payment.amount,
            currency=payment.currency,
            instruction=instruction,
            answer_after=answer_after_seconds,
        )
    outcome = await _apply_answer_in(uow, reference, answer)
    return PaymentAttempt(
        payment_id=payment.id,
        reference=reference,
        status=_STATUS_OF.get(outcome, "failed"),
        outcome=outcome,
    )


_STATUS_OF = {"paid": "succeeded", "pending": "pending", "refunded": "refunded"}


async def _apply_answer_in(uow: UnitOfWork, reference: str, result: ChargeResult) -> str:
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
        return "pending"
    return await settle_charge_in(
        uow,
        reference=reference,
        succeeded=result.status == "succeeded",
        failure_reason=result.failure_reason,
    )


async def _why_not_payable(uow: UnitOfWork, order_id: int, buyer_id: int) -> NoReturn:
    order, role = await order_for_party(uow.session, order_id, buyer_id)
    if role != "buyer":
        raise InvalidTransition("Only the buyer pays for an order.")
    if order.status != order_domain.PENDING:
        raise InvalidTransition(f"This order is {order.status}; there is nothing to pay.")
    if order.reserved_until <= uow.now:
        raise ReservationExpired()
    raise PaymentInProgress()


async def settle_charge_in(
    uow: UnitOfWork, *, reference: str, succeeded: bool, failure_reason: str | None = None
) -> str:
    """Apply the provider's answer for one charge; a repeated answer changes nothing.

    Returns what happened: ``paid``, ``failed``, ``refunded`` (money for an order that could no
    longer take it) or ``duplicate``.
    """
    session, now = uow.session, uow.now
    payment = (
        await session.execute(
            update(Payment)
            .where(Payment.reference == reference, Payment.status == "pending")
            .values(
                status="succeeded" if succeeded else "failed",
                failure_reason=None if succeeded else (failure_reason or "declined")[:200],
                settled_at=now,
            )
            .returning(Payment)
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()
    if payment is None:
        if await session.scalar(select(Payment.id).where(Payment.reference == reference)) is None:
            raise PaymentNotFound(field="reference")
        return "duplicate"  # the provider told us twice
    # Lock the order row: the expiry job and a late payment decide on it one after the other.
    order = (
        await session.execute(
            select(Order)
            .where(Order.id == payment.order_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one()
    if not succeeded:
        await session.execute(
            update(Order)
            .where(Order.id == order.id, Order.active_payment_ref == reference)
            .values(active_payment_ref=None, updated_at=now)
        )
        uow.emit(PaymentFailed(order_id=order.id, reference=reference, reason=failure_reason or ""))
        return "failed"
    if order.status != order_domain.PENDING:
        await refund_orphan_payment_in(uow, order, payment, reason=f"order_{order.status}")
        return "refunded"
    if order.team_id is not None:
        counted = await count_member_payment_in(uow, team_id=order.team_id, buyer_id=order.buyer_id)
        if counted is PaymentCount.REFUSED:
            await cancel_pending_in(uow, order, reason="team_closed")
            await refund_orphan_payment_in(uow, order, payment, reason="team_closed")
            return "refunded"
    await move(
        uow,
        order,
        order_domain.PAID,
        reason="payment_succeeded",
        amount=payment.amount,
        values={"paid_at": now, "active_payment_ref": None},
    )
    uow.emit(OrderPaid(order_id=order.id, buyer_id=order.buyer_id, shop_id=order.shop_id))
    return "paid"


async def issue_refund_in(
    uow: UnitOfWork, *, order: Order, payment: Payment, amount: int, key: str, reason: str
) -> Refund | None:
    """Record a refund and schedule sending it; None if a refund with ``key`` exists already."""
    refund = Refund(
        key=key,
        order_id=order.id,
        payment_id=payment.id,
        amount=amount,
        currency=payment.currency,
        reason=reason,
        status="pending",
        created_at=uow.now,
    )
    try:
        async with uow.session.begin_nested():
            uow.session.add(refund)
            await uow.session.flush()
    except IntegrityError:
        return None
    await schedule(
        uow.session,
        kind=SEND_REFUND,
        key=f"refund:{refund.id}",
        run_at=uow.now,
        now=uow.now,
        payload={"refund_id": refund.id},
    )
    return refund


async def refund_orphan_payment_in(
    uow: UnitOfWork, order: Order, payment: Payment, *, reason: str
) -> None:
    refund = await issue_refund_in(
        uow,
        order=order,
        payment=payment,
        amount=payment.amount,
        key=f"orphan:payment:{payment.id}",
        reason=reason,
    )
    await uow.session.execute(
        update(Payment).where(Payment.id == payment.id).values(status="refunded")
    )
    if refund is not None:
        uow.emit(
            OrphanPaymentRefunded(
                order_id=order.id, payment_id=payment.id, refund_id=refund.id, reason=reason
            )
        )


async def _captured_payment(uow: UnitOfWork, order_id: int) -> Payment:
    payment = await uow.session.scalar(
        select(Payment).where(Payment.order_id == order_id, Payment.status == "succeeded")
    )
    if payment is None:  # a refundable order always has its captured payment
        raise InvalidTransition("This order has no captured payment to refund.")
    return payment


async def refund_order(
    uow: UnitOfWork,
    *,
    order_id: int,
    actor_id: int,
    amount: int | None = None,
    reason: str = "shop_refund",
) -> Refund:
    """The shop refunds all (the default) or part of an order."""
    async with uow:
        order, role = await order_for_party(uow.session, order_id, actor_id)
        if role != SHOP_OWNER:
            raise InvalidTransition("Only the shop refunds an order; ask the shop.")
        unconfirmed = order.kind == "team" and order.team_confirmed_at is None
        if unconfirmed and order.status == order_domain.PAID:
            raise TeamNotConfirmed(
                "This team has not filled yet; if it does not, everyone is refunded anyway."
            )
        if order.status not in order_domain.REFUNDABLE:
            raise InvalidTransition(f"An order that is {order.status} cannot be refunded.")
        left = order.total - order.refunded_amount
        amount = left if amount is None else amount
        if not 0 < amount <= left:
            raise InvalidAmount(
                f"A refund of this order is 1 to {left} minor units.", field="amount"
            )
        payment = await _captured_payment(uow, order_id)
        refund = await issue_refund_in(
            uow,
            order=order,
            payment=payment,
            amount=amount,
            key=f"shop:{uuid.uuid4().hex}",
            reason=reason,
        )
        assert refund is not None
        await record_refund_in(
            uow, order, amount=amount, refund_id=refund.id, reason=reason, actor_id=actor_id
        )
        await uow.commit()
    return refund


async def refund_expired_team_in(uow: UnitOfWork, *, team_id: int) -> int:
    """Every member of an expired team gets their money back (unpaid orders are cancelled).

    Each order changes only through a compare-and-set on its status and each refund has a key
    unique to (team, order), so handling the expiry twice refunds once.
    """
    orders = (
        await uow.session.scalars(
            select(Order)
            .where(
                Order.team_id == team_id,
                Order.status.in_((order_domain.PENDING, order_domain.PAID)),
            )
            .order_by(Order.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).all()
    refunded = 0
    for order in orders:
        if order.status == order_domain.PENDING:
            await cancel_pending_in(uow, order, reason="team_expired")
            continue
        payment = await _captured_payment(uow, order.id)
        refund = await issue_refund_in(
            uow,
            order=order,
            payment=payment,
            amount=order.total - order.refunded_amount,
            key=f"team-expired:{team_id}:order:{order.id}",
            reason="team_expired",
        )
        if refund is not None:
            await record_refund_in(
                uow, order, amount=refund.amount, refund_id=refund.id, reason="team_expired"
            )
            refunded += 1
    return refunded


async def send_refund(uow: UnitOfWork, provider: PaymentProvider, *, refund_id: int) -> None:
    """The durable job: ask the provider to send the money back (idempotent by reference)."""
    refund = await uow.session.get(Refund, refund_id)
    if refund is None or refund.status != "pending":
        return
    payment = await uow.session.get(Payment, refund.payment_id)
    assert payment is not None
    provider_reference = await provider.refund(
        reference=f"refund:{refund.id}",
        payment_reference=payment.reference,
        amount=refund.amount,
        currency=refund.currency,
    )
    await uow.session.execute(
        update(Refund)
        .where(Refund.id == refund_id, Refund.status == "pending")
        .values(status="succeeded", provider_reference=provider_reference, settled_at=uow.now)
    )


async def apply_webhook_in(
    uow: UnitOfWork, provider: PaymentProvider, *, body: bytes, signature: str | None
) -> tuple[WebhookEvent, str]:
    """Verify a provider's webhook and apply it; a forged one raises before anything changes."""
    event = provider.verify_webhook(body, signature, uow.now)
    outcome = await settle_charge_in(
        uow,
        reference=event.reference,
        succeeded=event.type == "charge.succeeded",
        failure_reason=event.failure_reason,
    )
    return event, outcome


async def receive_webhook(
    uow: UnitOfWork, provider: PaymentProvider, *, body: bytes, signature: str | None
) -> str:
    async with uow:
        _event, outcome = await apply_webhook_in(uow, provider, body=body, signature=signature)
        await uow.commit()
    return outcome


async def request_payout(
    uow: UnitOfWork, *, user_id: int, amount: int, currency: str, provider: str = "sandbox"
) -> Payout:
    """Move commission out: the balance is checked and debited under the account's lock."""
    currency = check_currency(currency)
    if amount <= 0:
        raise InvalidAmount(field="amount")
    account = ledger_domain.account_code(ledger_domain.SHARER, user_id, currency)
    async with uow:
        await ledger.lock_account(
            uow.session,
            account,
            kind=ledger_domain.SHARER,
            owner_id=user_id,
            currency=currency,
            now=uow.now,
        )
        available = await ledger.balance(uow.session, account)
        if available < amount:
            raise InsufficientBalance(
                f"Your {currency} balance is {available}; you asked for {amount}.", field="amount"
            )
        payout = Payout(
            user_id=user_id, amount=amount, currency=currency, status="pending", created_at=uow.now
        )
        uow.session.add(payout)
        await uow.session.flush()
        await ledger.ensure_account(
            uow.session,
            ledger_domain.account_code(ledger_domain.PAYOUTS, provider, currency),
            kind=ledger_domain.PAYOUTS,
            owner_id=None,
            currency=currency,
            now=uow.now,
        )
        await ledger.post(
            uow.session,
            key=f"payout:{payout.id}",
            kind="payout",
            postings=ledger_domain.payout_postings(
                user_id=user_id, provider=provider, currency=currency, amount=amount
            ),
            now=uow.now,
            memo=f"payout {payout.id}",
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
        await uow.commit()
    return payout


async def send_payout(uow: UnitOfWork, provider: PaymentProvider, *, payout_id: int) -> None:
    payout = await uow.session.get(Payout, payout_id)
    if payout is None or payout.status != "pending":
        return
    provider_reference = await provider.payout(
        reference=f"payout:{payout.id}", amount=payout.amount, currency=payout.currency
    )
    await uow.session.execute(
        update(Payout)
        .where(Payout.id == payout_id, Payout.status == "pending")
        .values(status="paid", provider_reference=provider_reference, settled_at=uow.now)
    )
