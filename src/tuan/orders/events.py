from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tuan.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class OrderPlaced(DomainEvent):
    topic: ClassVar[str] = "orders.order_placed"
    order_id: int
    buyer_id: int
    shop_id: int
    total: int
    currency: str
    share_id: int | None


@dataclass(frozen=True, kw_only=True)
class OrderPaid(DomainEvent):
    topic: ClassVar[str] = "orders.order_paid"
    order_id: int
    buyer_id: int
    shop_id: int


@dataclass(frozen=True, kw_only=True)
class OrderShipped(DomainEvent):
    topic: ClassVar[str] = "orders.order_shipped"
    order_id: int


@dataclass(frozen=True, kw_only=True)
class OrderDelivered(DomainEvent):
    topic: ClassVar[str] = "orders.order_delivered"
    order_id: int


@dataclass(frozen=True, kw_only=True)
class OrderCompleted(DomainEvent):
    """The buyer confirmed they are satisfied; the sharer's commission becomes due."""

    topic: ClassVar[str] = "orders.order_completed"
    order_id: int
    sharer_id: int | None


@dataclass(frozen=True, kw_only=True)
class OrderCancelled(DomainEvent):
    topic: ClassVar[str] = "orders.order_cancelled"
    order_id: int
    reason: str
    team_id: int | None


@dataclass(frozen=True, kw_only=True)
class OrderRefunded(DomainEvent):
    topic: ClassVar[str] = "orders.order_refunded"
    order_id: int
    refund_id: int
    amount: int
    full: bool
