"""Read side of chat: my conversations with unread counts, a conversation's stream, members.

Other domains read memberships through :func:`member_of`, :func:`member_ids` and, to join in
SQL, :func:`members_view`; the rest of what they read lives in :mod:`.members` and
:mod:`.messages`, named here (``import … as``) so every caller imports from ``tuan.chat.queries``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Subquery, and_, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from tuan.accounts.queries import avatar_url, deleted_user_name, people_view
from tuan.chat import stream
from tuan.chat.errors import ConversationNotFound
from tuan.chat.models import ChatPreferences, Conversation, Member, Message
from tuan.chat.queries.members import may_post as may_post
from tuan.chat.queries.members import member_role as member_role
from tuan.chat.queries.members import members_among as members_among
from tuan.chat.queries.members import members_by_conversation as members_by_conversation
from tuan.chat.queries.members import memberships_view as memberships_view
from tuan.chat.queries.messages import Unread as Unread
from tuan.chat.queries.messages import awake_members as awake_members
from tuan.chat.queries.messages import message_view as message_view
from tuan.chat.queries.messages import sees_message as sees_message
from tuan.chat.queries.messages import unread_of as unread_of
from tuan.core.personal import DELETED_USER_ID
from tuan.realtime.topics import MessageView


@dataclass(frozen=True)
class _Partner:
    """The other person of a direct chat, as its title and avatar show them."""

    id: int
    display_name: str
    avatar_key: str | None


@dataclass(frozen=True)
class Membership:
    """Someone's place in a conversation."""

    conversation_id: int
    user_id: int
    role: str  # owner | admin | member
    joined_at: datetime
    introduced_by: int | None


async def membership(session: AsyncSession, conversation_id: int, user_id: int) -> Member:
    member = await session.get(Member, (conversation_id, user_id))
    if member is None:
        raise ConversationNotFound()
    return member


async def member_of(session: AsyncSession, conversation_id: int, user_id: int) -> Membership | None:
    """``user_id``'s membership of the conversation, or None if they are not in it."""
    member = await session.get(Member, (conversation_id, user_id))
    if member is None:
        return None
    return Membership(
        member.conversation_id, member.user_id, member.role, member.joined_at, member.introduced_by
    )


async def member_ids(
    session: AsyncSession, conversation_id: int, *, roles: Collection[str] | None = None
) -> list[int]:
    """Who is in the conversation (only those with one of ``roles``, if given)."""
    query = select(Member.user_id).where(Member.conversation_id == conversation_id)
    if roles is not None:
        query = query.where(Member.role.in_(roles))
    return list(await session.scalars(query.order_by(Member.user_id)))


async def member_of_which(
    session: AsyncSession, user_id: int, conversation_ids: Collection[int]
) -> set[int]:
    """Those of ``conversation_ids`` that ``user_id`` is a member of."""
    if not conversation_ids:
        return set()
    return set(
        await session.scalars(
            select(Member.conversation_id).where(
                Member.user_id == user_id, Member.conversation_id.in_(conversation_ids)
            )
        )
    )


def members_view(name: str = "conversation_members") -> Subquery:
    """Every membership, to join on: ``conversation_id``, ``user_id``, ``role``."""
    return select(
        Member.conversation_id.label("conversation_id"),
        Member.user_id.label("user_id"),
        Member.role.label("role"),
    ).subquery(name)


async def share_open_group_conversation(session: AsyncSession, a: int, b: int) -> bool:
    """Whether ``a`` and ``b`` are both in a group conversation that is still open."""
    mine, theirs = aliased(Member), aliased(Member)
    found = await session.scalar(
        select(
            exists()
            .where(mine.user_id == a, theirs.user_id == b)
            .where(mine.conversation_id == theirs.conversation_id)
            .where(
                mine.conversation_id.in_(
                    select(Conversation.id).where(
                        Conversation.kind == "group", Conversation.closed_at.is_(None)
                    )
                )
            )
        )
    )
    return bool(found)


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


@dataclass(frozen=True)
class ConversationSummary:
    """One line of my chat list."""

    id: int
    kind: str  # direct | group
    title: str
    avatar_url: str | None
    partner_id: int | None
    parent_group_id: int | None
    role: str
    position: int
    read_seq: int
    unread: int
    muted: bool
    muted_until: datetime | None
    closed: bool
    last_message: MessageView | None
    updated_at: datetime


async def my_conversations(
    session: AsyncSession, *, user_id: int, now: datetime
) -> list[ConversationSummary]:
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
    # The newest message this member can see, by seq. (Not the one at ``last_seq``: that is
    # the conversation's last *position*, which an edit, a deletion or a reaction also takes.)
    newest = aliased(Message)
    newest_seq = (
        select(func.max(newest.seq))
        .where(
            newest.conversation_id == Member.conversation_id,
            newest.seq > Member.visible_from_seq,
        )
        .correlate(Member)
        .scalar_subquery()
    )
    last = aliased(Message)
    rows = (
        await session.execute(
            select(Member, Conversation, func.coalesce(unread.c.unread, 0), last)
            .join(Conversation, Conversation.id == Member.conversation_id)
            .outerjoin(unread, unread.c.conversation_id == Conversation.id)
            .outerjoin(last, and_(last.conversation_id == Conversation.id, last.seq == newest_seq))
            .where(Member.user_id == user_id)
        )
    ).all()
    partners = await _direct_partners(
        session, user_id, [c.id for _, c, _, _ in rows if c.kind == "direct"]
    )
    out = [
        _summary(member, conversation, int(unread_count), last_message, partners, now)
        for member, conversation, unread_count, last_message in rows
    ]
    out.sort(key=lambda c: c.updated_at, reverse=True)
    return out


def _summary(
    member: Member,
    conversation: Conversation,
    unread: int,
    last_message: Message | None,
    partners: dict[int, _Partner],
    now: datetime,
) -> ConversationSummary:
    partner = partners.get(conversation.id)
    if conversation.kind == "direct":  # named after the other person
        title = partner.display_name if partner else "?"
        avatar = avatar_url(partner.avatar_key) if partner else None
    else:  # named by its group
        title, avatar = conversation.title or "?", None
    return ConversationSummary(
        id=conversation.id,
        kind=conversation.kind,
        title=title,
        avatar_url=avatar,
        partner_id=partner.id if partner else None,
        parent_group_id=conversation.parent_id,
        role=member.role,
        position=conversation.last_seq,
        read_seq=member.read_seq,
        unread=unread,
        muted=member.muted_until is not None and member.muted_until > now,
        muted_until=member.muted_until,
        closed=conversation.closed_at is not None,
        last_message=stream.render(last_message, {}) if last_message else None,
        # When the newest message I can see was written; else when I joined.
        updated_at=last_message.created_at if last_message else member.joined_at,
    )


async def _direct_partners(
    session: AsyncSession, user_id: int, conversation_ids: list[int]
) -> dict[int, _Partner]:
    """The other person of each direct chat. One whose other member is gone was with someone
    who erased their account (their membership went with them, ADR 0011): the chat stays the
    remaining person's, with the deleted user as its partner."""
    if not conversation_ids:
        return {}
    people = people_view()
    rows = await session.execute(
        select(Member.conversation_id, people.c.id, people.c.display_name, people.c.avatar_key)
        .join(people, people.c.id == Member.user_id)
        .where(Member.conversation_id.in_(conversation_ids), Member.user_id != user_id)
    )
    partners = {
        row.conversation_id: _Partner(row.id, row.display_name, row.avatar_key) for row in rows
    }
    if len(partners) < len(set(conversation_ids)):
        gone = _Partner(DELETED_USER_ID, await deleted_user_name(session), None)
        partners.update({cid: gone for cid in conversation_ids if cid not in partners})
    return partners


async def conversation_titles(
    session: AsyncSession, viewer_id: int, conversation_ids: Collection[int]
) -> dict[int, str]:
    """What ``viewer_id``'s chat list calls each conversation: a group by its name, a direct
    chat by the other person's."""
    if not conversation_ids:
        return {}
    rows = list(
        await session.execute(
            select(Conversation.id, Conversation.kind, Conversation.title).where(
                Conversation.id.in_(set(conversation_ids))
            )
        )
    )
    directs = [cid for cid, kind, _ in rows if kind == "direct"]
    partners = await _direct_partners(session, viewer_id, directs)
    titles = {cid: title or "?" for cid, kind, title in rows if kind != "direct"}
    for cid in directs:
        titles[cid] = partners[cid].display_name if cid in partners else "?"
    return titles


async def conversation_ids_of(session: AsyncSession, user_id: int) -> list[int]:
    return list(
        await session.scalars(select(Member.conversation_id).where(Member.user_id == user_id))
    )


@dataclass(frozen=True)
class ConversationMember:
    user_id: int
    username: str
    display_name: str
    avatar_url: str | None
    verified: bool
    role: str
    joined_at: datetime
    introduced_by: int | None


async def members(
    session: AsyncSession, *, conversation_id: int, viewer_id: int
) -> list[ConversationMember]:
    await membership(session, conversation_id, viewer_id)
    people = people_view()
    rows = await session.execute(
        select(Member, people)
        .join(people, people.c.id == Member.user_id)
        .where(Member.conversation_id == conversation_id)
        .order_by(Member.joined_at, Member.user_id)
    )
    return [
        ConversationMember(
            user_id=row.id,
            username=row.username,
            display_name=row.display_name,
            avatar_url=avatar_url(row.avatar_key),
            verified=row.verified,
            role=row.Member.role,
            joined_at=row.Member.joined_at,
            introduced_by=row.Member.introduced_by,
        )
        for row in rows
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
