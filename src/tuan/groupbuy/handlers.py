"""The team deadline job, and freeing a place when an unpaid member's order lapses."""

from __future__ import annotations

from tuan.bootstrap import Container
from tuan.core.events import Envelope
from tuan.core.outbox import first_time
from tuan.core.scheduler import DueJob, scheduler_for
from tuan.core.uow import UnitOfWork
from tuan.groupbuy import service
from tuan.orders.events import OrderCancelled


def register(container: Container) -> None:
    async def team_deadline(uow: UnitOfWork, job: DueJob) -> None:
        await service.expire_team(uow, team_id=int(job.payload["team_id"]))

    scheduler_for(container).register(service.TEAM_DEADLINE, team_deadline)

    async def free_place(envelope: Envelope) -> None:
        team_id = envelope.payload.get("team_id")
        if team_id is None:
            return
        async with container.uow() as uow:
            if not await first_time(uow.session, "groupbuy.free_place", envelope.id, uow.now):
                return
            await service.release_place(
                uow, order_id=int(envelope.payload["order_id"]), team_id=int(team_id)
            )
            await uow.commit()

    container.relay.register(OrderCancelled.topic, free_place)
