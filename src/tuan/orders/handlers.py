"""Reservation expiry (a durable job) and confirming a filled team's orders."""

from __future__ import annotations

from tuan.bootstrap import Container
from tuan.core.events import Envelope
from tuan.core.outbox import first_time
from tuan.core.scheduler import DueJob, scheduler_for
from tuan.core.uow import UnitOfWork
from tuan.groupbuy.events import TeamFilled
from tuan.orders import lifecycle
from tuan.orders.service import EXPIRE_RESERVATION


def register(container: Container) -> None:
    async def expire_reservation(uow: UnitOfWork, job: DueJob) -> None:
        await lifecycle.expire_reservation(uow, order_id=int(job.payload["order_id"]))

    scheduler_for(container).register(EXPIRE_RESERVATION, expire_reservation)

    async def confirm_team(envelope: Envelope) -> None:
        async with container.uow() as uow:
            if not await first_time(uow.session, "orders.confirm_team", envelope.id, uow.now):
                return
            await lifecycle.confirm_team_orders(
                uow, team_id=int(envelope.payload["team_id"]), now=uow.now
            )
            await uow.commit()

    container.relay.register(TeamFilled.topic, confirm_team)
