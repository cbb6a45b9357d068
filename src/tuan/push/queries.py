"""Read side of push: a person's devices and choices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.push.models import PushPreference, PushSubscription


@dataclass(frozen=True)
class Device:
    id: int
    label: str  # proper names ("Chrome · Android"), "" when unknown
    created_at: datetime
    last_success_at: datetime | None
    this_device: bool  # made in the session asking


async def my_devices(session: AsyncSession, *, user_id: int, session_id: int) -> list[Device]:
    rows = await session.scalars(
        select(PushSubscription)
        .where(PushSubscription.user_id == user_id)
        .order_by(PushSubscription.id)
    )
    return [
        Device(r.id, r.label, r.created_at, r.last_success_at, r.session_id == session_id)
        for r in rows
    ]


async def shows_text(session: AsyncSession, *, user_id: int) -> bool:
    """Whether the person chose to see message text on their lock screen (default: no)."""
    chosen = await session.scalar(
        select(PushPreference.show_text).where(PushPreference.user_id == user_id)
    )
    return bool(chosen)
