from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tuan.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class ProductShared(DomainEvent):
    topic: ClassVar[str] = "shares.product_shared"
    share_id: int
    sharer_id: int
    product_id: int
    deal_id: int | None
    team_id: int | None
    conversation_id: int | None
