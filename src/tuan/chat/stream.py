"""The conversation stream: allocate positions, append messages, bump versions, render views.

Functions here take an open session inside the caller's write transaction; they are the only
place that advances ``conversations.last_seq``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.chat.models import Conversation, Message, Reaction
from tuan.realtime.topics import MessageView


async def allocate(session: AsyncSession, conversation_id: int, count: int) -> int:
    """Reserve ``count`` positions; returns the first. Holds the conversation's row lock."""
    last = await session.scalar(
        update(Conversation)
        .where(Conversation.id == conversation_id)
        .values(last_seq=Conversation.last_seq + count)
        .returning(Conversation.last_seq)
    )
    assert last is not None, "allocate() on a conversation that does not exist"
    return int(last) - count + 1


async def append(
    session: AsyncSession, conversation_id: int, rows: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Insert ``rows`` (Message column values without seq/version) at the next positions."""
    if not rows:
        return []
    first = await allocate(session, conversation_id, len(rows))
    placed = [
        {
            "conversation_id": conversation_id,
            "seq": first + i,
            "version": first + i,
            "payload": {},
            "mentions": [],
            "text": "",
            "reply_to_seq": None,
            "client_id": None,
            **row,
        }
        for i, row in enumerate(rows)
    ]
    await session.execute(insert(Message), placed)
    return placed


async def system_message(
    session: AsyncSession,
    conversation_id: int,
    *,
    code: str,
    params: dict[str, Any],
    now: datetime,
    actor_id: int | None = None,
) -> MessageView:
    """Append a line the server writes (``member_joined`` with ``{"name": "Mei"}``) to the
    stream: a code and its parameters, which each reader's page says in their language."""
    (row,) = await append(
        session,
        conversation_id,
        [
            {
                "kind": "system",
                "payload": {"code": code, "params": params},
                "sender_id": actor_id,
                "created_at": now,
            }
        ],
    )
    return render_row(row, {})


async def bump(session: AsyncSession, message: Message) -> None:
    """Give a changed message the conversation's next position as its version."""
    message.version = await allocate(session, message.conversation_id, 1)


async def reactions_of(
    session: AsyncSession, message_ids: Sequence[int]
) -> dict[int, dict[str, list[int]]]:
    if not message_ids:
        return {}
    found: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    rows = await session.execute(
        select(Reaction.message_id, Reaction.emoji, Reaction.user_id)
        .where(Reaction.message_id.in_(message_ids))
        .order_by(Reaction.created_at)
    )
    for message_id, emoji, user_id in rows:
        found[message_id][emoji].append(user_id)
    return {mid: dict(by_emoji) for mid, by_emoji in found.items()}


def render(message: Message, reactions: dict[str, list[int]]) -> MessageView:
    return render_row(
        {c.key: getattr(message, c.key) for c in Message.__table__.columns}, reactions
    )


def render_row(row: dict[str, Any], reactions: dict[str, list[int]]) -> MessageView:
    """The one shape of a message on the wire (HTTP and WebSocket alike)."""
    deleted = row.get("deleted_at") is not None
    edited = row.get("edited_at")
    payload = {} if deleted else row.get("payload") or {}
    system = None
    if row["kind"] == "system" and not deleted:  # a line the server wrote: a code, no words
        system, payload = {"code": payload["code"], "params": payload.get("params", {})}, {}
    return {
        "conversation_id": row["conversation_id"],
        "seq": row["seq"],
        "version": row["version"],
        "sender_id": row.get("sender_id"),
        "client_id": row.get("client_id"),
        "kind": row["kind"],
        "text": "" if deleted else row.get("text", ""),
        "payload": payload,
        "system": system,
        "reply_to_seq": row.get("reply_to_seq"),
        "mentions": row.get("mentions") or [],
        "reactions": {} if deleted else reactions,
        "created_at": row["created_at"].isoformat(),
        "edited_at": edited.isoformat() if edited else None,
        "deleted": deleted,
    }
