"""Reservation expiry (a durable job) and confirming a filled team's orders."""

from __future__ import annotations

from tuan.core.events import Envelope
from tuan.core.scheduler import DueJob
from tuan.core.uow import UnitOfWork
from tuan.core.wiring import Wiring
from tuan.groupbuy.events import TeamFilled
from tuan.orders import lifecycle
from tuan.orders.service import EXPIRE_RESERVATION


async def expire_reservation(uow: UnitOfWork, job: DueJob) -> None:
    await lifecycle.expire_reservation(uow, order_id=int(job.payload["order_id"]))


async def confirm_team(uow: UnitOfWork, envelope: Envelope) -> None:
    await lifecycle.confirm_team_orders(uow, team_id=int(envelope.payload["team_id"]), now=uow.now)


def register(wiring: Wiring) -> None:
    wiring.scheduler.register(EXPIRE_RESERVATION, expire_reservation)
    wiring.on_event(TeamFilled.topic, "orders.confirm_team", confirm_team)
