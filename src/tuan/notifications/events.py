"""What notifications announces to other domains through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tuan.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class PeopleNotified(DomainEvent):
    """People were notified (one event per cause: a message, a team filling); durable, so a
    domain above (push) reaches their devices after the commit, exactly once per notification."""

    topic: ClassVar[str] = "notifications.people_notified"
    notification_ids: list[int]
