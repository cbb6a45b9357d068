from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tuan.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class PurchaseReported(DomainEvent):
    """A buyer said "bought it" in the conversation the share came from."""

    topic: ClassVar[str] = "reviews.purchase_reported"
    report_id: int
    order_id: int
    buyer_id: int
    sharer_id: int | None
    conversation_id: int


@dataclass(frozen=True, kw_only=True)
class ReviewPosted(DomainEvent):
    topic: ClassVar[str] = "reviews.review_posted"
    review_id: int
    order_id: int
    product_id: int
    author_id: int
    sharer_id: int | None
    category: str | None
    stars: int
