"""Read side of push: a person's devices and choices."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.push.models import PushPreference, PushSubscription
from tuan.push.quiet_hours import QuietHours


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
    return (await choices_of(session, [user_id]))[user_id].show_text


@dataclass(frozen=True)
class Choices:
    """What a person chose for their pushes (defaults: no text, no quiet hours)."""

    show_text: bool = False
    quiet: QuietHours | None = None


async def choices_of(session: AsyncSession, user_ids: Collection[int]) -> dict[int, Choices]:
    """Each person's push choices; someone who chose nothing has the defaults."""
    if not user_ids:
        return {}
    rows = await session.scalars(
        select(PushPreference).where(PushPreference.user_id.in_(set(user_ids)))
    )
    found = {row.user_id: _choices(row) for row in rows}
    return {uid: found.get(uid, Choices()) for uid in user_ids}


def _choices(row: PushPreference) -> Choices:
    quiet = (
        QuietHours(row.quiet_start, row.quiet_end, row.time_zone)
        if row.quiet_start is not None and row.quiet_end is not None and row.time_zone
        else None
    )
    return Choices(row.show_text, quiet)
