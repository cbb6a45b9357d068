"""What other domains write into chat inside their own transaction: messages only the server
writes (a product card, a purchase report, a request for a recommendation), and the check of the
words going with one.

The transport is chat's: positions come from :mod:`tuan.chat.stream`, so such a message is
gap-free and recoverable like any other; the membership and block rules are chat's too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from tuan.chat import domain, stream
from tuan.chat.errors import BlockedByRecipient, ConversationClosed, ConversationNotFound
from tuan.chat.models import Conversation, Member, Message
from tuan.core.uow import UnitOfWork
from tuan.notifications.commands import notify_users
from tuan.realtime import topics
from tuan.realtime.topics import MessageView
from tuan.social.queries import blocked_either_way


def check_words(text: str) -> str:
    """The words going with a server-written message: chat's text rule, and they may be empty.
    Check them before the transaction, as chat does for a message."""
    return domain.check_text(text, required=False)


async def conversation_for_sender(
    uow: UnitOfWork, conversation_id: int, sender_id: int
) -> tuple[Conversation, Member]:
    """The conversation a person may post into, or the refusal chat would give."""
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
    return conversation, member


async def post_server_message(
    uow: UnitOfWork,
    *,
    conversation_id: int,
    sender_id: int | None,
    kind: str,
    text: str,
    payload: dict[str, Any],
    mentions: Sequence[int] = (),
) -> MessageView:
    """Append a card or report from ``sender_id`` (None: from Tuan itself, into a conversation
    the caller has checked); mentioned members who are awake are told."""
    if sender_id is not None:
        await conversation_for_sender(uow, conversation_id, sender_id)
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
            if found[uid].muted_until is None or found[uid].muted_until <= uow.now  # type: ignore[operator]
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
    await notify_users(
        uow,
        awake,
        kind="mention",
        actor_id=sender_id,
        conversation_id=conversation_id,
        message_seq=row["seq"],
        data={"text": text[:140]},
    )
    return view


async def rewrite_server_message(
    uow: UnitOfWork, *, conversation_id: int, seq: int, text: str, payload: dict[str, Any]
) -> MessageView:
    """Change a server-written message in place (a digest growing, a request settled); it gets a
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
