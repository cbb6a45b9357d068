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
