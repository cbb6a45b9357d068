"""Reads the pages need that the JSON API does not offer (yet): newest notifications first and a
group's pending join requests, each with the names of the people involved."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.models import User
from tuan.groups import queries as groups
from tuan.groups.service import ADMINS
from tuan.notifications.models import Notification
from tuan.notifications.service import view


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
    names = await _names(session, {n.actor_id for n in rows if n.actor_id is not None})
    return [{**view(n), "actor_name": names.get(n.actor_id or 0)} for n in rows]


async def pending_join_requests(
    session: AsyncSession, *, group_id: int, viewer_id: int
) -> list[dict[str, Any]] | None:
    """The group's pending requests with who asks and who introduced them; None unless the
    viewer is one of its admins (only they may see who wants in)."""
    found = await groups.visible_group(session, group_id, viewer_id)
    if found is None or found[1].role not in ADMINS:
        return None
    requests = await groups.join_requests(session, group_id, "pending")
    people = {r.user_id for r in requests} | {r.introduced_by for r in requests if r.introduced_by}
    names = await _names(session, people)
    return [
        {
            "id": r.id,
            "name": names.get(r.user_id, "?"),
            "answer": r.answer,
            "introduced_by": names.get(r.introduced_by) if r.introduced_by else None,
            "created_at": r.created_at.isoformat(),
        }
        for r in requests
    ]


async def _names(session: AsyncSession, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    found = await session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids)))
    return {uid: name for uid, name in found}
