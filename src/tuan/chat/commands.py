"""What other domains may change in chat inside their own transaction.

A group *is* a conversation: creating one, admitting or removing a member, changing a role and
the line announcing it must commit with the group's own change (a join and its cap check, a
removal and the member count), or not at all. So groups calls these with its unit of work; they
never open or commit one. Live announcements go out after that commit.

Cards, reports and asks are messages the server writes on a person's behalf, in the transaction
of the thing they show; they are posted here too, with chat's positions, membership and block
rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy import text as sql

from tuan.chat import domain, stream
from tuan.chat.errors import BlockedByRecipient, ConversationClosed, ConversationNotFound
from tuan.chat.events import GroupMessagesPosted
from tuan.chat.models import Conversation, Member, Message
from tuan.core.db import rows_changed
from tuan.core.personal import DELETED_USER_ID, DELETED_USERNAME
from tuan.core.uow import UnitOfWork
from tuan.notifications.commands import notify_users
from tuan.realtime import topics
from tuan.realtime.topics import MessageView
from tuan.social.queries import blocked_either_way

ROLES = ("owner", "admin", "member")


async def open_group_conversation(uow: UnitOfWork, *, title: str, parent_id: int | None) -> int:
    """A new, empty group conversation (no members yet); returns its id."""
    conversation = Conversation(kind="group", title=title, parent_id=parent_id, created_at=uow.now)
    uow.session.add(conversation)
    await uow.session.flush()
    return conversation.id


async def retitle(uow: UnitOfWork, *, conversation_id: int, title: str) -> None:
    """What the chat list calls a group conversation (the group was renamed)."""
    await uow.session.execute(
        update(Conversation).where(Conversation.id == conversation_id).values(title=title)
    )


async def close(uow: UnitOfWork, *, conversation_id: int) -> None:
    """Nothing new may be posted; the history stays readable."""
    await uow.session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.closed_at.is_(None))
        .values(closed_at=uow.now)
    )


async def add_member(
    uow: UnitOfWork,
    *,
    conversation_id: int,
    user_id: int,
    role: str,
    introduced_by: int | None = None,
) -> None:
    """Add ``user_id``; they see the conversation from its current position onwards."""
    assert role in ROLES, role
    # Read the position fresh: an ORM object loaded earlier may predate a core UPDATE of it.
    position = await uow.session.scalar(
        select(Conversation.last_seq).where(Conversation.id == conversation_id)
    )
    uow.session.add(
        Member(
            conversation_id=conversation_id,
            user_id=user_id,
            role=role,
            joined_at=uow.now,
            visible_from_seq=position or 0,
            read_seq=position or 0,
            introduced_by=introduced_by,
        )
    )
    await uow.session.flush()
    uow.notify(
        topics.MEMBERSHIP_CHANGED,
        {"conversation_id": conversation_id, "user_id": user_id, "joined": True},
    )


async def remove_member(uow: UnitOfWork, *, conversation_id: int, user_id: int) -> bool:
    """Remove ``user_id``; False if they were not a member."""
    result = await uow.session.execute(
        delete(Member).where(Member.conversation_id == conversation_id, Member.user_id == user_id)
    )
    if not rows_changed(result):
        return False
    uow.notify(
        topics.MEMBERSHIP_CHANGED,
        {"conversation_id": conversation_id, "user_id": user_id, "joined": False},
    )
    return True


async def set_role(uow: UnitOfWork, *, conversation_id: int, user_id: int, role: str) -> None:
    assert role in ROLES, role
    member = await uow.session.get(Member, (conversation_id, user_id))
    assert member is not None, "set_role() on someone who is not a member"
    member.role = role


async def post_system_message(
    uow: UnitOfWork,
    *,
    conversation_id: int,
    code: str,
    params: dict[str, Any],
    actor_id: int | None = None,
) -> MessageView:
    """Append a line the server writes ("member_joined", ``{"name": "Mei"}``) and announce it;
    readers' pages say it in their language."""
    view = await stream.system_message(
        uow.session, conversation_id, code=code, params=params, now=uow.now, actor_id=actor_id
    )
    uow.notify(topics.CONVERSATION_CHANGED, view)
    return view


# --- server-made messages (moved from cards.messages) ---


def check_words(text: str) -> str:
    """The words going with a server-made message (a card's, a review's): chat's text rule, and
    they may be empty. Check them before the transaction, as chat does for a message."""
    return domain.check_text(text, required=False)


def _server_written(text: str, payload: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return text, payload


def register_server_kinds(*names: str) -> None:
    """Declare kinds of message only the server writes (in the transaction of the thing they
    show: a share, a report), so a client cannot forge one that points at someone else's."""
    for name in names:
        domain.register_kind(domain.MessageKind(name, _server_written, user_can_send=False))


@dataclass(frozen=True)
class Sender:
    """A member allowed to post into a conversation, as the caller's rules may need them."""

    conversation_id: int
    user_id: int
    role: str  # owner | admin | member
    joined_at: datetime


async def sender_in(uow: UnitOfWork, conversation_id: int, sender_id: int) -> Sender:
    """The member who may post into the conversation now, or the refusal chat would give."""
    conversation = await uow.session.get(Conversation, conversation_id)
    member = await uow.session.get(Member, (conversation_id, sender_id))
    if conversation is None or member is None:
        raise ConversationNotFound(field="conversation_id")
    if conversation.closed_at is not None:
        raise ConversationClosed()
    if conversation.kind == "direct":
        other = await uow.session.scalar(
            select(Member.user_id).where(
                Member.conversation_id == conversation_id, Member.user_id != sender_id
            )
        )
        if other is not None and await blocked_either_way(uow.session, sender_id, other):
            raise BlockedByRecipient()
    return Sender(conversation_id, sender_id, member.role, member.joined_at)


async def post_server_message(
    uow: UnitOfWork,
    *,
    conversation_id: int,
    sender_id: int | None,
    kind: str,
    text: str,
    payload: dict[str, Any],
    mentions: Sequence[int] = (),
    ping: str | None = "",
) -> MessageView:
    """Append a server-made message (a card, a report) from ``sender_id`` (None: from Tuan
    itself, into a conversation the caller has checked); mentioned members who are awake are
    told. ``ping`` is what their notification says the message is (a kind; by default the
    message's own), or None to mention them without a notification (a busy group's
    wordless reports after the first)."""
    if sender_id is not None:
        await sender_in(uow, conversation_id, sender_id)
    awake: list[int] = []
    if mentions:
        found = {
            m.user_id: m
            for m in await uow.session.scalars(
                select(Member).where(
                    Member.conversation_id == conversation_id, Member.user_id.in_(set(mentions))
                )
            )
        }
        mentions = [uid for uid in dict.fromkeys(mentions) if uid in found and uid != sender_id]
        awake = [
            uid
            for uid in mentions
            if ping is not None
            and (found[uid].muted_until is None or found[uid].muted_until <= uow.now)  # type: ignore[operator]
        ]
    (row,) = await stream.append(
        uow.session,
        conversation_id,
        [
            {
                "sender_id": sender_id,
                "kind": kind,
                "text": text,
                "payload": payload,
                "mentions": list(mentions),
                "created_at": uow.now,
            }
        ],
    )
    view = stream.render_row(row, {})
    uow.notify(topics.CONVERSATION_CHANGED, view)
    if await _is_group(uow, conversation_id):
        uow.emit(
            GroupMessagesPosted(
                conversation_id=conversation_id,
                last_seq=row["seq"],
                sender_ids=[sender_id] if sender_id is not None else [],
                told_ids=awake,
            )
        )
    await notify_users(
        uow,
        awake,
        kind="mention",
        actor_id=sender_id,
        conversation_id=conversation_id,
        message_seq=row["seq"],
        data={"text": text[:140], "message_kind": ping or kind},
    )
    return view


async def _is_group(uow: UnitOfWork, conversation_id: int) -> bool:
    kind = await uow.session.scalar(
        select(Conversation.kind).where(Conversation.id == conversation_id)
    )
    return kind is not None and kind != "direct"


async def rewrite_server_message(
    uow: UnitOfWork, *, conversation_id: int, seq: int, text: str, payload: dict[str, Any]
) -> MessageView:
    """Change a server-made message in place (a digest growing, a request settled); it gets a
    new version, so clients following the stream see the change. A message its sender deleted
    stays deleted (and unchanged)."""
    message = await uow.session.scalar(
        select(Message).where(Message.conversation_id == conversation_id, Message.seq == seq)
    )
    assert message is not None
    if message.deleted_at is not None:
        return stream.render(message, {})
    message.text, message.payload, message.edited_at = text, dict(payload), uow.now
    await stream.bump(uow.session, message)
    await uow.session.flush()
    view = stream.render(message, {})
    uow.notify(topics.CONVERSATION_CHANGED, view)
    return view


# --- a person erased (ADR 0011) ---


def _mentioning(session_dialect: str, user_id: int) -> Any:
    """Messages whose mentions name ``user_id`` (a JSON list of ids)."""
    if session_dialect == "postgresql":
        return sql("CAST(messages.mentions AS JSONB) @> CAST(:one AS JSONB)").bindparams(
            one=f"[{int(user_id)}]"
        )
    return sql(
        "EXISTS (SELECT 1 FROM json_each(messages.mentions) WHERE json_each.value = :uid)"
    ).bindparams(uid=int(user_id))


async def forget_in_others_messages(
    uow: UnitOfWork, *, user_id: int, username: str, named_by: Mapping[str, str]
) -> int:
    """Take an erased person out of what others wrote: their id out of mentions, and the
    ``@username`` typed in their chats becomes the deleted user's; and out of the lines the server
    wrote about them (``named_by``: each id parameter and the name parameter beside it, such
    as ``user_id`` and ``name``). How many messages changed."""
    dialect = uow.session.get_bind().dialect.name
    changed = 0
    mention = re.compile(rf"@{re.escape(username)}\b", re.IGNORECASE)
    theirs = select(Member.conversation_id).where(Member.user_id == user_id)
    typed = func.lower(Message.text).contains(f"@{username.lower()}", autoescape=True)
    rows = await uow.session.scalars(
        select(Message).where(
            Message.sender_id != user_id,
            or_(_mentioning(dialect, user_id), Message.conversation_id.in_(theirs) & typed),
        )
    )
    for message in rows:
        message.mentions = [one for one in message.mentions if one != user_id]
        message.text = mention.sub(f"@{DELETED_USERNAME}", message.text)
        changed += 1
    for id_param, name_param in named_by.items():
        lines = await uow.session.scalars(
            select(Message).where(
                Message.kind == "system",
                Message.payload[("params", id_param)].as_integer() == user_id,
            )
        )
        for line in lines:
            params = dict(line.payload.get("params", {}))
            params[id_param], params[name_param] = DELETED_USER_ID, ""
            line.payload = {**line.payload, "params": params}
            changed += 1
    return changed


async def forget_direct_keys(uow: UnitOfWork, user_id: int) -> None:
    """A direct chat with an erased person is no longer found by the pair of ids (the other
    person keeps it, with a deleted user; a new chat is never opened into it)."""
    theirs = select(Member.conversation_id).where(Member.user_id == user_id)
    await uow.session.execute(
        update(Conversation)
        .where(Conversation.kind == "direct", Conversation.id.in_(theirs))
        .values(direct_key=None)
        .execution_options(synchronize_session=False)
    )
