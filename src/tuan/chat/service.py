"""Chat use cases besides posting (``tuan.chat.posting``): edit, delete and react to a message,
read markers, muting, preferences, and opening a 1:1 chat. Each takes the caller's open unit of
work."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select

from tuan.accounts.queries import user_exists
from tuan.chat import commands, domain, stream
from tuan.chat.errors import (
    BlockedByRecipient,
    CannotMessageStranger,
    ConversationNotFound,
    MessageDeleted,
    MessageNotFound,
    NotYourMessage,
)
from tuan.chat.events import ReactionAdded
from tuan.chat.models import ChatPreferences, Conversation, Member, Message, Reaction
from tuan.chat.queries import share_open_group_conversation
from tuan.core.uow import UnitOfWork
from tuan.realtime import topics
from tuan.realtime.topics import MessageView
from tuan.social.queries import are_friends, blocked_either_way

FOREVER = datetime(domain.FOREVER_YEAR, 12, 31, tzinfo=UTC)


async def _own_message(
    uow: UnitOfWork, conversation_id: int, seq: int, user_id: int
) -> tuple[Message, Member]:
    member = await uow.session.get(Member, (conversation_id, user_id))
    if member is None:
        raise ConversationNotFound()
    message = await uow.session.scalar(
        select(Message).where(Message.conversation_id == conversation_id, Message.seq == seq)
    )
    if message is None or message.seq <= member.visible_from_seq:
        raise MessageNotFound()
    return message, member


async def _changed(uow: UnitOfWork, message: Message) -> MessageView:
    await stream.bump(uow.session, message)
    await uow.session.flush()
    reactions = (await stream.reactions_of(uow.session, [message.id])).get(message.id, {})
    view = stream.render(message, reactions)
    uow.notify(topics.CONVERSATION_CHANGED, view)
    return view


async def edit_message(
    uow: UnitOfWork, *, conversation_id: int, seq: int, editor_id: int, text: str
) -> MessageView:
    message, _member = await _own_message(uow, conversation_id, seq, editor_id)
    if message.sender_id != editor_id:
        raise NotYourMessage()
    if message.deleted_at is not None:
        raise MessageDeleted()
    spec = domain.KINDS.get(message.kind)
    if spec is None or not spec.editable:
        raise NotYourMessage("This kind of message cannot be edited.")
    message.text = domain.check_text(text, required=True)
    message.edited_at = uow.now
    return await _changed(uow, message)


async def delete_message(
    uow: UnitOfWork, *, conversation_id: int, seq: int, user_id: int
) -> MessageView:
    """The sender, or a group admin or owner, deletes a message; a tombstone stays in its place."""
    message, member = await _own_message(uow, conversation_id, seq, user_id)
    if message.sender_id != user_id and member.role not in ("owner", "admin"):
        raise NotYourMessage("Only the sender or a group admin can delete this message.")
    if message.deleted_at is None:
        message.deleted_at = uow.now
        message.text = ""
        message.payload = {}
        await uow.session.execute(delete(Reaction).where(Reaction.message_id == message.id))
        view = await _changed(uow, message)
    else:
        view = stream.render(message, {})
    return view


async def react(
    uow: UnitOfWork, *, conversation_id: int, seq: int, user_id: int, emoji: str, on: bool
) -> MessageView:
    emoji = domain.check_emoji(emoji)
    message, _member = await _own_message(uow, conversation_id, seq, user_id)
    if message.deleted_at is not None:
        raise MessageDeleted()
    key = {"message_id": message.id, "user_id": user_id, "emoji": emoji}
    existing = await uow.session.get(Reaction, (message.id, user_id, emoji))
    if on and existing is None:
        uow.session.add(Reaction(**key, created_at=uow.now))
        uow.emit(
            ReactionAdded(
                conversation_id=conversation_id,
                seq=seq,
                user_id=user_id,
                author_id=message.sender_id,
                emoji=emoji,
            )
        )
    elif not on and existing is not None:
        await uow.session.delete(existing)
    else:  # nothing changes: no new version, no announcement
        reactions = (await stream.reactions_of(uow.session, [message.id])).get(message.id, {})
        return stream.render(message, reactions)
    await uow.session.flush()
    return await _changed(uow, message)


async def mark_read(uow: UnitOfWork, *, conversation_id: int, user_id: int, seq: int) -> int:
    """Move my read marker forward (never back); returns the marker."""
    member = await uow.session.get(Member, (conversation_id, user_id))
    conversation = await uow.session.get(Conversation, conversation_id)
    if member is None or conversation is None:
        raise ConversationNotFound()
    target = min(seq, conversation.last_seq)
    if target > member.read_seq:
        member.read_seq = target
        prefs = await uow.session.get(ChatPreferences, user_id)
        if prefs is not None and prefs.share_read_receipts:
            uow.notify(
                topics.READ_UP_TO,
                {"conversation_id": conversation_id, "user_id": user_id, "read_seq": target},
            )
    marker = member.read_seq
    return marker


async def mute(
    uow: UnitOfWork, *, conversation_id: int, user_id: int, until: datetime | None
) -> datetime | None:
    """Mute until a time (or forever with ``FOREVER``); None unmutes. Unread still counts."""
    member = await uow.session.get(Member, (conversation_id, user_id))
    if member is None:
        raise ConversationNotFound()
    member.muted_until = until
    return until


async def set_preferences(uow: UnitOfWork, *, user_id: int, share_read_receipts: bool) -> bool:
    prefs = await uow.session.get(ChatPreferences, user_id)
    if prefs is None:
        uow.session.add(
            ChatPreferences(
                user_id=user_id, share_read_receipts=share_read_receipts, updated_at=uow.now
            )
        )
    else:
        prefs.share_read_receipts = share_read_receipts
        prefs.updated_at = uow.now
    return share_read_receipts


async def open_direct(uow: UnitOfWork, *, user_id: int, other_id: int) -> int:
    """The 1:1 conversation between two people, created on first use (if they may talk:
    friends, or both in an open group)."""
    if other_id == user_id:
        raise CannotMessageStranger("You cannot open a chat with yourself.")
    if not await user_exists(uow.session, other_id):
        raise ConversationNotFound("No such person.")
    if await blocked_either_way(uow.session, user_id, other_id):
        raise BlockedByRecipient()
    key = domain.direct_key(user_id, other_id)
    found = await uow.session.scalar(select(Conversation.id).where(Conversation.direct_key == key))
    if found is not None:
        return int(found)
    if not (
        await are_friends(uow.session, user_id, other_id)
        or await share_open_group_conversation(uow.session, user_id, other_id)
    ):
        raise CannotMessageStranger()
    # Created by the other person at the same moment: the unique key refuses this one.
    conversation = Conversation(kind="direct", direct_key=key, created_at=uow.now)
    uow.session.add(conversation)
    await uow.session.flush()
    for uid in (user_id, other_id):
        await commands.add_member(uow, conversation_id=conversation.id, user_id=uid, role="member")
    return conversation.id
