from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tuan.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class UserRegistered(DomainEvent):
    topic: ClassVar[str] = "accounts.user_registered"
    user_id: int
    username: str


@dataclass(frozen=True, kw_only=True)
class UserVerified(DomainEvent):
    topic: ClassVar[str] = "accounts.user_verified"
    user_id: int


@dataclass(frozen=True, kw_only=True)
class SessionsEnded(DomainEvent):
    """Sessions were logged out (one, or everywhere): what hangs on them (push devices) goes."""

    topic: ClassVar[str] = "accounts.sessions_ended"
    user_id: int
    session_ids: list[int]
