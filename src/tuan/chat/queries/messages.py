"""Chat's messages as other domains read them: whether someone can see one, what it says, and
what a member has not read yet (push's summaries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.chat import stream
from tuan.chat.models import Member, Message
from tuan.realtime.topics import MessageView


async def sees_message(
    session: AsyncSession, conversation_id: int, seq: int, viewer_id: int
) -> bool:
    """Whether ``viewer_id`` is a member who can see the message at ``seq``: it was posted after
    they joined and nobody took it down."""
    found = await session.scalar(
        select(Message.deleted_at.is_(None))
        .join(
            Member,
            and_(Member.conversation_id == Message.conversation_id, Member.user_id == viewer_id),
        )
        .where(
            Message.conversation_id == conversation_id,
            Message.seq == seq,
            Member.visible_from_seq < seq,
        )
    )
    return bool(found)


async def message_view(session: AsyncSession, conversation_id: int, seq: int) -> MessageView | None:
    """One message as clients see it (a report the caller posted, to say what it said)."""
    message = await session.scalar(
        select(Message).where(Message.conversation_id == conversation_id, Message.seq == seq)
    )
    return stream.render(message, {}) if message is not None else None


async def awake_members(session: AsyncSession, conversation_id: int, now: datetime) -> set[int]:
    """The members of the conversation who have not muted it now."""
    rows = await session.scalars(
        select(Member.user_id).where(
            Member.conversation_id == conversation_id,
            Member.muted_until.is_(None) | (Member.muted_until <= now),
        )
    )
    return set(rows)


@dataclass(frozen=True)
class Unread:
    """What a member has not read in a conversation: how many messages, the first of them (a
    tap opens there), and the newest (its sender, words and kind, for a lock screen)."""

    count: int
    first_seq: int
    newest_seq: int
    newest_sender_id: int | None
    newest_text: str
    newest_kind: str
    muted: bool


async def unread_of(
    session: AsyncSession, conversation_id: int, user_id: int, now: datetime
) -> Unread | None:
    """The member's unread messages in one conversation (others' words, not taken down, not the
    server's lines); None if there are none or they are not a member."""
    member = await session.get(Member, (conversation_id, user_id))
    if member is None:
        return None
    unread = (
        Message.conversation_id == conversation_id,
        Message.seq > max(member.read_seq, member.visible_from_seq),
        Message.deleted_at.is_(None),
        Message.kind != "system",
        Message.sender_id.is_(None) | (Message.sender_id != user_id),
    )
    count, first = (
        await session.execute(select(func.count(), func.min(Message.seq)).where(*unread))
    ).one()
    if not count:
        return None
    newest = await session.scalar(select(Message).where(*unread).order_by(Message.seq.desc()))
    assert newest is not None
    muted = member.muted_until is not None and member.muted_until > now
    return Unread(
        int(count), int(first), newest.seq, newest.sender_id, newest.text, newest.kind, muted
    )
