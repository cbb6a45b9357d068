from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.notifications.models import Notification
from tuan.notifications.service import view


async def notifications_after(
    session: AsyncSession, *, user_id: int, after: int, limit: int
) -> list[dict[str, Any]]:
    rows = await session.scalars(
        select(Notification)
        .where(Notification.user_id == user_id, Notification.id > after)
        .order_by(Notification.id)
        .limit(limit)
    )
    return [view(n) for n in rows]


async def unread_count(session: AsyncSession, *, user_id: int) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )
    return int(count or 0)
