"""Durable jobs (send refunds and payouts, deliver the sandbox's late answers) and reactions to
other domains (an expired team is refunded)."""

from __future__ import annotations

from typing import Literal

from tuan.bootstrap import Container
from tuan.core.events import Envelope
from tuan.core.outbox import first_time
from tuan.core.scheduler import DueJob, scheduler_for
from tuan.core.uow import UnitOfWork
from tuan.groupbuy.events import TeamExpired
from tuan.payments import service
from tuan.payments.provider import SandboxProvider, providers_for


def register(container: Container) -> None:
    scheduler = scheduler_for(container)
    providers = providers_for(container.settings.secret_key)

    async def send_refund(uow: UnitOfWork, job: DueJob) -> None:
        await service.send_refund(
            uow, providers["sandbox"], refund_id=int(job.payload["refund_id"])
        )

    async def send_payout(uow: UnitOfWork, job: DueJob) -> None:
        await service.send_payout(
            uow, providers["sandbox"], payout_id=int(job.payload["payout_id"])
        )

    async def deliver_sandbox_answer(uow: UnitOfWork, job: DueJob) -> None:
        # The sandbox "calls back": a signed webhook, checked exactly like one arriving by HTTP.
        sandbox = providers["sandbox"]
        assert isinstance(sandbox, SandboxProvider)
        outcome: Literal["succeeded", "failed"] = (
            "succeeded" if job.payload["outcome"] == "succeeded" else "failed"
        )
        body, signature = sandbox.webhook(
            reference=str(job.payload["reference"]), outcome=outcome, now=uow.now
        )
        await service.apply_webhook_in(uow, sandbox, body=body, signature=signature)

    scheduler.register(service.SEND_REFUND, send_refund)
    scheduler.register(service.SEND_PAYOUT, send_payout)
    scheduler.register(service.SANDBOX_ANSWER, deliver_sandbox_answer)

    async def refund_expired_team(envelope: Envelope) -> None:
        async with container.uow() as uow:
            if not await first_time(
                uow.session, "payments.refund_expired_team", envelope.id, uow.now
            ):
                return
            await service.refund_expired_team_in(uow, team_id=int(envelope.payload["team_id"]))
            await uow.commit()
        scheduler.kick()  # the refunds it scheduled are due now

    container.relay.register(TeamExpired.topic, refund_expired_team)
