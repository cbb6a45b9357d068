"""What chat announces. Live topics (``tuan.chat.stream``) carry message views to connected
clients; these durable events feed other domains (trust, recommendations) through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tuan.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class MessagePosted(DomainEvent):
    topic: ClassVar[str] = "chat.message_posted"
    conversation_id: int
    seq: int
    sender_id: int
    kind: str
    reply_to_sender_id: int | None
    mentioned_ids: list[int]
    direct_to: int | None = None


@dataclass(frozen=True, kw_only=True)
class GroupMessagesPosted(DomainEvent):
    """Messages were added to a group chat: one event per batch of posts (push bundles them
    per person and window). ``told_ids``: people a notification told already (mentioned,
    replied to), who need no bundled push for these."""

    topic: ClassVar[str] = "chat.group_messages_posted"
    conversation_id: int
    last_seq: int
    sender_ids: list[int]
    told_ids: list[int]


@dataclass(frozen=True, kw_only=True)
class ReactionAdded(DomainEvent):
    topic: ClassVar[str] = "chat.reaction_added"
    conversation_id: int
    seq: int
    user_id: int
    author_id: int | None
    emoji: str
