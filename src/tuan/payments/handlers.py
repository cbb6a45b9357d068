"""Durable jobs (send refunds and payouts, deliver the sandbox's late answers) and reactions to
other domains (an expired team is refunded)."""

from __future__ import annotations

from typing import Literal

from tuan.core.events import Envelope
from tuan.core.scheduler import DueJob
from tuan.core.uow import UnitOfWork
from tuan.core.wiring import Wiring
from tuan.groupbuy.events import TeamExpired
from tuan.payments import charging, payouts, refunds
from tuan.payments.provider import PaymentProviders


def register(wiring: Wiring) -> None:
    providers = wiring.adapter(PaymentProviders)
    scheduler = wiring.scheduler

    async def send_refund(uow: UnitOfWork, job: DueJob) -> None:
        await refunds.send_refund(uow, providers.sandbox, refund_id=int(job.payload["refund_id"]))

    async def send_payout(uow: UnitOfWork, job: DueJob) -> None:
        await payouts.send_payout(uow, providers.sandbox, payout_id=int(job.payload["payout_id"]))

    async def deliver_sandbox_answer(uow: UnitOfWork, job: DueJob) -> None:
        # The sandbox "calls back": a signed webhook, checked exactly like one arriving by HTTP.
        outcome: Literal["succeeded", "failed"] = (
            "succeeded" if job.payload["outcome"] == "succeeded" else "failed"
        )
        body, signature = providers.sandbox.webhook(
            reference=str(job.payload["reference"]), outcome=outcome, now=uow.now
        )
        await charging.receive_webhook(uow, providers.sandbox, body=body, signature=signature)

    scheduler.register(refunds.SEND_REFUND, send_refund)
    scheduler.register(payouts.SEND_PAYOUT, send_payout)
    scheduler.register(charging.SANDBOX_ANSWER, deliver_sandbox_answer)

    async def refund_expired_team(uow: UnitOfWork, envelope: Envelope) -> None:
        await refunds.refund_expired_team(uow, team_id=TeamExpired.decode(envelope).team_id)
        uow.on_commit(scheduler.kick)  # the refunds it scheduled are due now

    wiring.on_event(TeamExpired.topic, "payments.refund_expired_team", refund_expired_team)
