"""Durable social events; the trust domain turns them into tie strength."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tuan.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class FriendshipFormed(DomainEvent):
    topic: ClassVar[str] = "social.friendship_formed"
    user_a: int
    user_b: int
