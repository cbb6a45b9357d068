"""Chat's memberships as other domains read them: who may post, with which role, and who is in
which conversation (to join on in SQL)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import Subquery, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.chat.models import Conversation, Member


async def may_post(session: AsyncSession, conversation_id: int, user_id: int) -> bool:
    """Whether ``user_id`` is a member of an open conversation (blocks aside)."""
    found = await session.scalar(
        select(Member.user_id)
        .join(Conversation, Conversation.id == Member.conversation_id)
        .where(
            Member.conversation_id == conversation_id,
            Member.user_id == user_id,
            Conversation.closed_at.is_(None),
        )
    )
    return found is not None


async def member_role(session: AsyncSession, conversation_id: int, user_id: int) -> str | None:
    """``user_id``'s role in the conversation (owner, admin, member); None if not a member."""
    return await session.scalar(
        select(Member.role).where(
            Member.conversation_id == conversation_id, Member.user_id == user_id
        )
    )


async def members_among(
    session: AsyncSession, conversation_id: int, user_ids: set[int]
) -> set[int]:
    """Which of ``user_ids`` are members of the conversation."""
    if not user_ids:
        return set()
    return set(
        await session.scalars(
            select(Member.user_id).where(
                Member.conversation_id == conversation_id, Member.user_id.in_(user_ids)
            )
        )
    )


def memberships_view() -> Subquery:
    """Who is in which conversation, to join on: ``conversation_id``, ``user_id``,
    ``visible_from_seq`` (the member sees the messages after it) and ``is_open`` (the
    conversation takes new messages: it was not closed, e.g. as its group was dissolved)."""
    return (
        select(
            Member.conversation_id.label("conversation_id"),
            Member.user_id.label("user_id"),
            Member.visible_from_seq.label("visible_from_seq"),
            Conversation.closed_at.is_(None).label("is_open"),
        )
        .join(Conversation, Conversation.id == Member.conversation_id)
        .subquery()
    )


async def members_by_conversation(
    session: AsyncSession,
    conversation_ids: Collection[int],
    among: Collection[int] | None = None,
) -> dict[int, set[int]]:
    """The members of each of ``conversation_ids`` (only those in ``among``, if given); a
    conversation without any is left out. One statement."""
    found: dict[int, set[int]] = defaultdict(set)
    if not conversation_ids or (among is not None and not among):
        return found
    statement = select(Member.conversation_id, Member.user_id).where(
        Member.conversation_id.in_(conversation_ids)
    )
    if among is not None:
        statement = statement.where(Member.user_id.in_(among))
    for conversation_id, user_id in await session.execute(statement):
        found[conversation_id].add(user_id)
    return found
