"""The catalog's page read models (a product, its SKUs, deals and images, a shop, a search
result) and how each is built from its rows. Published through :mod:`tuan.catalog.queries`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tuan.catalog import domain
from tuan.catalog.models import Deal, Shop, Sku


@dataclass(frozen=True)
class DealView:
    id: int
    sku_id: int
    product_id: int
    currency: str
    price: int
    regular_price: int
    starts_at: datetime
    ends_at: datetime
    state: str  # upcoming | active | sold_out | ended
    seconds_left: int  # until it starts (upcoming) or ends (active, sold out)
    stock_cap: int
    remaining: int
    per_customer_limit: int


@dataclass(frozen=True)
class SkuView:
    id: int
    label: str
    regular_price: int
    price: int  # what one unit costs right now
    team_price: int | None
    stock: int
    deal: DealView | None  # the running deal, else the next one


@dataclass(frozen=True)
class ImageView:
    id: int
    url: str
    width: int
    height: int


@dataclass(frozen=True)
class ShopView:
    id: int
    owner_id: int
    name: str
    description: str
    currency: str
    commission_rate_bp: int
    created_at: datetime


@dataclass(frozen=True)
class ProductView:
    id: int
    shop: ShopView
    name: str
    description: str
    category: str | None
    currency: str
    status: str
    team_size: int | None
    team_hours: int
    skus: list[SkuView]
    images: list[ImageView]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ProductCard:
    id: int
    shop_id: int
    name: str
    category: str | None
    currency: str
    price_from: int
    regular_price_from: int
    on_deal: bool
    team_size: int | None
    image_url: str | None


def shop_view(shop: Shop) -> ShopView:
    return ShopView(
        id=shop.id,
        owner_id=shop.owner_id,
        name=shop.name,
        description=shop.description,
        currency=shop.currency,
        commission_rate_bp=shop.commission_rate_bp,
        created_at=shop.created_at,
    )


def deal_view(deal: Deal, sku: Sku, currency: str, now: datetime) -> DealView:
    window = domain.deal_window(
        starts_at=deal.starts_at,
        ends_at=deal.ends_at,
        stock_cap=deal.stock_cap,
        sold=deal.sold,
        now=now,
    )
    return DealView(
        id=deal.id,
        sku_id=deal.sku_id,
        product_id=deal.product_id,
        currency=currency,
        price=deal.price,
        regular_price=sku.price,
        starts_at=deal.starts_at,
        ends_at=deal.ends_at,
        state=window.state,
        seconds_left=window.seconds_left,
        stock_cap=deal.stock_cap,
        remaining=max(0, deal.stock_cap - deal.sold),
        per_customer_limit=deal.per_customer_limit,
    )


def image_url(key: str) -> str:
    return f"/media/{key}"
