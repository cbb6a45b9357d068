from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tuan.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class TeamOpened(DomainEvent):
    topic: ClassVar[str] = "groupbuy.team_opened"
    team_id: int
    product_id: int
    deadline_at: str


@dataclass(frozen=True, kw_only=True)
class TeamFilled(DomainEvent):
    """The N-th member paid: every member's order is confirmed at the team price."""

    topic: ClassVar[str] = "groupbuy.team_filled"
    team_id: int


@dataclass(frozen=True, kw_only=True)
class TeamExpired(DomainEvent):
    """The deadline passed unfilled: every member is refunded (or their unpaid order cancelled)."""

    topic: ClassVar[str] = "groupbuy.team_expired"
    team_id: int
