from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tuan.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class CommissionAdjusted(DomainEvent):
    """A sharer's commission on an order changed (credited on completion, clawed back on refund)."""

    topic: ClassVar[str] = "ledger.commission_adjusted"
    order_id: int
    sharer_id: int
    currency: str
    amount: int  # positive: credited; negative: clawed back
