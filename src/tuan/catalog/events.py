from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from tuan.core.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class ShopOpened(DomainEvent):
    topic: ClassVar[str] = "catalog.shop_opened"
    shop_id: int
    owner_id: int


@dataclass(frozen=True, kw_only=True)
class ProductListed(DomainEvent):
    topic: ClassVar[str] = "catalog.product_listed"
    product_id: int
    shop_id: int


@dataclass(frozen=True, kw_only=True)
class ProductArchivedEvent(DomainEvent):
    topic: ClassVar[str] = "catalog.product_archived"
    product_id: int


@dataclass(frozen=True, kw_only=True)
class DealScheduled(DomainEvent):
    topic: ClassVar[str] = "catalog.deal_scheduled"
    deal_id: int
    product_id: int
    starts_at: str
    ends_at: str
