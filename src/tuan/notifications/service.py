"""Notification use cases of their owner: marking them read."""

from __future__ import annotations

from sqlalchemy import update

from tuan.core.uow import UnitOfWork
from tuan.notifications.models import Notification


async def mark_read(uow: UnitOfWork, *, user_id: int, up_to: int) -> None:
    await uow.session.execute(
        update(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.id <= up_to,
            Notification.read_at.is_(None),
        )
        .values(read_at=uow.now)
    )
