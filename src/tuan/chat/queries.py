"""Read side of chat: my conversations with unread counts, a conversation's stream, members."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Subquery, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from tuan.accounts.models import User
from tuan.chat import stream
from tuan.chat.errors import ConversationNotFound
from tuan.chat.models import ChatPreferences, Conversation, Member, Message
from tuan.groups.models import Group
from tuan.realtime.topics import MessageView


async def membership(session: AsyncSession, conversation_id: int, user_id: int) -> Member:
    member = await session.get(Member, (conversation_id, user_id))
    if member is None:
        raise ConversationNotFound()
    return member


@dataclass(frozen=True)
class Page:
    messages: list[MessageView]
    position: int  # the highest version included (or the one asked from)
    has_more: bool


async def changes_after(
    session: AsyncSession, *, conversation_id: int, user_id: int, after: int, limit: int
) -> Page:
    """Every message created or changed after position ``after``, each once, oldest first."""
    member = await membership(session, conversation_id, user_id)
    rows = list(
        await session.scalars(
            select(Message)
            .where(
                Message.conversation_id == conversation_id,
                Message.version > after,
                Message.seq > member.visible_from_seq,
            )
            .order_by(Message.version)
            .limit(limit + 1)
        )
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    views = await _views(session, rows)
    return Page(views, rows[-1].version if rows else after, has_more)


async def changes_since(
    session: AsyncSession, conversation_id: int, after: int
) -> list[MessageView]:
    """Every change after ``after`` regardless of viewer (the hub filling a gap)."""
    rows = list(
        await session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation_id, Message.version > after)
            .order_by(Message.version)
            .limit(5000)
        )
    )
    return await _views(session, rows)


async def positions(session: AsyncSession, conversation_ids: list[int]) -> dict[int, int]:
    if not conversation_ids:
        return {}
    rows = await session.execute(
        select(Conversation.id, Conversation.last_seq).where(Conversation.id.in_(conversation_ids))
    )
    return {cid: last for cid, last in rows}


async def history_before(
    session: AsyncSession, *, conversation_id: int, user_id: int, before: int, limit: int
) -> Page:
    """Older messages for scrolling back: ``seq < before``, returned oldest first."""
    member = await membership(session, conversation_id, user_id)
    rows = list(
        await session.scalars(
            select(Message)
            .where(
                Message.conversation_id == conversation_id,
                Message.seq < before,
                Message.seq > member.visible_from_seq,
            )
            .order_by(Message.seq.desc())
            .limit(limit + 1)
        )
    )
    has_more = len(rows) > limit
    rows = list(reversed(rows[:limit]))
    position = await session.scalar(
        select(func.max(Message.version)).where(Message.conversation_id == conversation_id)
    )
    return Page(await _views(session, rows), int(position or 0), has_more)


async def _views(session: AsyncSession, rows: list[Message]) -> list[MessageView]:
    reactions = await stream.reactions_of(session, [m.id for m in rows])
    return [stream.render(m, reactions.get(m.id, {})) for m in rows]


async def my_conversations(
    session: AsyncSession, *, user_id: int, now: datetime
) -> list[dict[str, Any]]:
    """My chats, most recent first, with unread counts (muted ones count too)."""
    unread = (
        select(Message.conversation_id, func.count().label("unread"))
        .join(
            Member,
            and_(Member.conversation_id == Message.conversation_id, Member.user_id == user_id),
        )
        .where(
            Message.seq > Member.read_seq,
            Message.deleted_at.is_(None),
            Message.kind != "system",
            (Message.sender_id.is_(None)) | (Message.sender_id != user_id),
        )
        .group_by(Message.conversation_id)
        .subquery()
    )
    last = aliased(Message)
    rows = (
        await session.execute(
            select(Member, Conversation, Group, func.coalesce(unread.c.unread, 0), last)
            .join(Conversation, Conversation.id == Member.conversation_id)
            .outerjoin(Group, Group.id == Conversation.id)
            .outerjoin(unread, unread.c.conversation_id == Conversation.id)
            .outerjoin(
                last,
                and_(last.conversation_id == Conversation.id, last.seq == Conversation.last_seq),
            )
            .where(Member.user_id == user_id)
        )
    ).all()
    others = await _direct_partners(session, user_id, [c.id for _, c, g, _, _ in rows if g is None])
    out = []
    for member, conversation, group, unread_count, last_message in rows:
        partner = others.get(conversation.id)
        out.append(
            {
                "id": conversation.id,
                "kind": conversation.kind,
                "title": group.name if group else (partner.display_name if partner else "?"),
                "avatar_key": group.avatar_key
                if group
                else (partner.avatar_key if partner else None),
                "partner_id": partner.id if partner else None,
                "parent_group_id": group.parent_id if group else None,
                "role": member.role,
                "position": conversation.last_seq,
                "read_seq": member.read_seq,
                "unread": int(unread_count),
                "muted": member.muted_until is not None and member.muted_until > now,
                "muted_until": member.muted_until,
                "closed": conversation.closed_at is not None,
                "last_message": stream.render(last_message, {})
                if last_message is not None and last_message.seq > member.visible_from_seq
                else None,
                "updated_at": (
                    last_message.created_at if last_message else conversation.created_at
                ),
            }
        )
    out.sort(key=lambda c: c["updated_at"], reverse=True)
    return out


async def _direct_partners(
    session: AsyncSession, user_id: int, conversation_ids: list[int]
) -> dict[int, User]:
    if not conversation_ids:
        return {}
    rows = await session.execute(
        select(Member.conversation_id, User)
        .join(User, User.id == Member.user_id)
        .where(Member.conversation_id.in_(conversation_ids), Member.user_id != user_id)
    )
    return {cid: user for cid, user in rows}


async def conversation_ids_of(session: AsyncSession, user_id: int) -> list[int]:
    return list(
        await session.scalars(select(Member.conversation_id).where(Member.user_id == user_id))
    )


async def members(
    session: AsyncSession, *, conversation_id: int, viewer_id: int
) -> list[dict[str, Any]]:
    await membership(session, conversation_id, viewer_id)
    rows = await session.execute(
        select(Member, User)
        .join(User, User.id == Member.user_id)
        .where(Member.conversation_id == conversation_id)
        .order_by(Member.joined_at, Member.user_id)
    )
    return [
        {
            "user_id": user.id,
            "username": user.username,
            "display_name": user.display_name,
            "avatar_key": user.avatar_key,
            "verified": user.verified,
            "role": member.role,
            "joined_at": member.joined_at,
            "introduced_by": member.introduced_by,
        }
        for member, user in rows
    ]


async def read_receipts(
    session: AsyncSession, *, conversation_id: int, viewer_id: int
) -> list[dict[str, int]]:
    """How far others have read — only for readers who share their receipts."""
    await membership(session, conversation_id, viewer_id)
    rows = await session.execute(
        select(Member.user_id, Member.read_seq)
        .join(ChatPreferences, ChatPreferences.user_id == Member.user_id)
        .where(
            Member.conversation_id == conversation_id,
            Member.user_id != viewer_id,
            ChatPreferences.share_read_receipts.is_(True),
        )
        .order_by(Member.user_id)
    )
    return [{"user_id": uid, "read_seq": seq} for uid, seq in rows]


async def preferences(session: AsyncSession, user_id: int) -> bool:
    prefs = await session.get(ChatPreferences, user_id)
    return bool(prefs and prefs.share_read_receipts)


# --- for proof/asks/foryou ---


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
