"""Durable group events; trust uses introductions and shared membership."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tuan.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class MemberJoined(DomainEvent):
    topic: ClassVar[str] = "groups.member_joined"
    group_id: int
    user_id: int
    introduced_by: int | None


@dataclass(frozen=True, kw_only=True)
class MemberLeft(DomainEvent):
    topic: ClassVar[str] = "groups.member_left"
    group_id: int
    user_id: int
    removed_by: int | None
