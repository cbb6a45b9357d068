"""Read side of notifications: a person's list after a position, the newest for a page."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.queries import display_names
from tuan.notifications.models import Notification


def notification_view(n: Notification | dict[str, Any]) -> dict[str, Any]:
    """The one shape of a notification on the wire (HTTP and WebSocket alike)."""
    row: dict[str, Any] = (
        n
        if isinstance(n, dict)
        else {c.key: getattr(n, c.key) for c in Notification.__table__.columns}
    )
    get = row.get
    created: datetime = row["created_at"]
    return {
        "id": get("id"),
        "kind": get("kind"),
        "actor_id": get("actor_id"),
        "conversation_id": get("conversation_id"),
        "message_seq": get("message_seq"),
        "data": get("data") or {},
        "created_at": created.isoformat(),
        "read": get("read_at") is not None,
    }


async def notifications_after(
    session: AsyncSession, *, user_id: int, after: int, limit: int
) -> list[dict[str, Any]]:
    rows = await session.scalars(
        select(Notification)
        .where(Notification.user_id == user_id, Notification.id > after)
        .order_by(Notification.id)
        .limit(limit)
    )
    return [notification_view(n) for n in rows]


async def recent_notifications(
    session: AsyncSession, *, user_id: int, limit: int
) -> list[dict[str, Any]]:
    """The newest ``limit`` notifications of ``user_id``, newest first, each with ``actor_name``.

    Only names of people who acted on this user are read, so nothing about strangers shows.
    """
    rows = list(
        await session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.id.desc())
            .limit(limit)
        )
    )
    names = await display_names(session, {n.actor_id for n in rows if n.actor_id is not None})
    return [
        {
            **notification_view(n),
            "actor_name": names.get(n.actor_id) if n.actor_id is not None else None,
        }
        for n in rows
    ]


async def count_since(
    session: AsyncSession, *, user_id: int, kinds: Iterable[str], since: datetime
) -> int:
    """How many notifications of ``kinds`` the person was sent since ``since`` (a daily cap)."""
    count = await session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.kind.in_(sorted(set(kinds))),
            Notification.created_at >= since,
        )
    )
    return int(count or 0)


async def last_sent(session: AsyncSession, *, user_id: int, kind: str) -> datetime | None:
    """When the person was last sent a notification of ``kind``."""
    return await session.scalar(
        select(func.max(Notification.created_at)).where(
            Notification.user_id == user_id, Notification.kind == kind
        )
    )


async def unread_count(session: AsyncSession, *, user_id: int) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )
    return int(count or 0)


async def notifications_by_id(
    session: AsyncSession, notification_ids: Iterable[int]
) -> list[dict[str, Any]]:
    """The notifications of ``notification_ids`` still there, each with its ``user_id``."""
    wanted = sorted(set(notification_ids))
    if not wanted:
        return []
    rows = await session.scalars(
        select(Notification).where(Notification.id.in_(wanted)).order_by(Notification.id)
    )
    return [{**notification_view(n), "user_id": n.user_id} for n in rows]


async def unread_in_conversation(
    session: AsyncSession, *, user_id: int, conversation_id: int
) -> int:
    """How many of the person's notifications about one chat are unread (a push's count)."""
    count = await session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.conversation_id == conversation_id,
            Notification.read_at.is_(None),
        )
    )
    return int(count or 0)
