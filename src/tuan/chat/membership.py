"""Membership primitives, used inside another service's transaction (groups, direct chats)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.chat.models import Conversation, Member
from tuan.core.db import rows_changed

ROLES = ("owner", "admin", "member")


async def member_of(session: AsyncSession, conversation_id: int, user_id: int) -> Member | None:
    return await session.get(Member, (conversation_id, user_id))


async def add_member(
    session: AsyncSession,
    conversation_id: int,
    user_id: int,
    *,
    role: str,
    now: datetime,
    introduced_by: int | None = None,
) -> Member:
    """Add ``user_id``; they see the conversation from its current position onwards."""
    # Read the position fresh: an ORM object loaded earlier may predate a core UPDATE of it.
    position = await session.scalar(
        select(Conversation.last_seq).where(Conversation.id == conversation_id)
    )
    member = Member(
        conversation_id=conversation_id,
        user_id=user_id,
        role=role,
        joined_at=now,
        visible_from_seq=position or 0,
        read_seq=position or 0,
        introduced_by=introduced_by,
    )
    session.add(member)
    await session.flush()
    return member


async def remove_member(session: AsyncSession, conversation_id: int, user_id: int) -> bool:
    result = await session.execute(
        delete(Member).where(Member.conversation_id == conversation_id, Member.user_id == user_id)
    )
    return rows_changed(result) > 0


async def member_ids(session: AsyncSession, conversation_id: int) -> list[int]:
    return list(
        await session.scalars(
            select(Member.user_id).where(Member.conversation_id == conversation_id)
        )
    )
