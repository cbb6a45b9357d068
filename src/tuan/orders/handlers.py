"""Reservation expiry: a durable job per order, cancelling it if it is still unpaid."""

from __future__ import annotations

from tuan.core.scheduler import DueJob
from tuan.core.uow import UnitOfWork
from tuan.core.wiring import Wiring
from tuan.orders import lifecycle
from tuan.orders.service import EXPIRE_RESERVATION


async def expire_reservation(uow: UnitOfWork, job: DueJob) -> None:
    await lifecycle.expire_reservation(uow, order_id=int(job.payload["order_id"]))


def register(wiring: Wiring) -> None:
    wiring.scheduler.register(EXPIRE_RESERVATION, expire_reservation)
