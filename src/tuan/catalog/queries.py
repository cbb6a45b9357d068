"""Read side of the catalog: product pages, search results, shops, deals, checkout lookups."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Subquery, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.catalog import domain
from tuan.catalog.errors import DealNotFound, ProductNotFound, ShopNotFound
from tuan.catalog.models import (
    PRODUCT_SEARCH_FTS,
    Deal,
    MerchantApproval,
    Product,
    ProductImage,
    Shop,
    Sku,
)
from tuan.core.search import matches, parse_query


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


async def _current_deals(
    session: AsyncSession, sku_ids: Sequence[int], now: datetime
) -> dict[int, Deal]:
    """For each SKU: its running deal, else its next upcoming one."""
    if not sku_ids:
        return {}
    rows = (
        await session.scalars(
            select(Deal)
            .where(Deal.sku_id.in_(sku_ids), Deal.ends_at > now)
            .order_by(Deal.sku_id, Deal.starts_at)
        )
    ).all()
    chosen: dict[int, Deal] = {}
    for deal in rows:
        chosen.setdefault(deal.sku_id, deal)
    return chosen


def _effective_price(sku: Sku, deal: Deal | None, now: datetime) -> int:
    if deal is not None and deal.starts_at <= now < deal.ends_at and deal.sold < deal.stock_cap:
        return deal.price
    return sku.price


async def product_page(session: AsyncSession, product_id: int, now: datetime) -> ProductView:
    row = (
        await session.execute(
            select(Product, Shop)
            .join(Shop, Shop.id == Product.shop_id)
            .where(Product.id == product_id)
        )
    ).first()
    if row is None:
        raise ProductNotFound()
    product, shop = row
    skus = (
        await session.scalars(
            select(Sku).where(Sku.product_id == product_id).order_by(Sku.position, Sku.id)
        )
    ).all()
    deals = await _current_deals(session, [s.id for s in skus], now)
    images = (
        await session.scalars(
            select(ProductImage)
            .where(ProductImage.product_id == product_id)
            .order_by(ProductImage.position, ProductImage.id)
        )
    ).all()
    return ProductView(
        id=product.id,
        shop=shop_view(shop),
        name=product.name,
        description=product.description,
        category=product.category,
        currency=product.currency,
        status=product.status,
        team_size=product.team_size,
        team_hours=product.team_hours,
        skus=[
            SkuView(
                id=sku.id,
                label=sku.label,
                regular_price=sku.price,
                price=_effective_price(sku, deals.get(sku.id), now),
                team_price=sku.team_price if product.team_size else None,
                stock=sku.stock,
                deal=deal_view(deals[sku.id], sku, product.currency, now)
                if sku.id in deals
                else None,
            )
            for sku in skus
        ],
        images=[ImageView(i.id, image_url(i.key), i.width, i.height) for i in images],
        created_at=product.created_at,
        updated_at=product.updated_at,
    )


async def search_products(
    session: AsyncSession,
    *,
    now: datetime,
    text: str | None = None,
    category: str | None = None,
    shop_id: int | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[ProductCard]:
    """Active products matching the words (Chinese or not), newest first."""
    statement = select(Product).where(Product.status == "active")
    if text:
        query = parse_query(text)
        if query.empty:
            return []
        statement = statement.where(
            matches(
                session.get_bind().dialect,
                key=Product.id,
                column=Product.search_text,
                fts_table=PRODUCT_SEARCH_FTS,
                query=query,
            )
        )
    if category is not None:
        statement = statement.where(Product.category == category)
    if shop_id is not None:
        statement = statement.where(Product.shop_id == shop_id)
    products = (
        await session.scalars(statement.order_by(Product.id.desc()).limit(limit).offset(offset))
    ).all()
    return await product_cards(session, products, now)


async def product_cards(
    session: AsyncSession, products: Sequence[Product], now: datetime
) -> list[ProductCard]:
    ids = [p.id for p in products]
    if not ids:
        return []
    skus_by_product: dict[int, list[Sku]] = defaultdict(list)
    for sku in (await session.scalars(select(Sku).where(Sku.product_id.in_(ids)))).all():
        skus_by_product[sku.product_id].append(sku)
    deals = await _current_deals(
        session, [s.id for skus in skus_by_product.values() for s in skus], now
    )
    first_image: dict[int, str] = {}
    for image in (
        await session.scalars(
            select(ProductImage)
            .where(ProductImage.product_id.in_(ids))
            .order_by(ProductImage.product_id, ProductImage.position)
        )
    ).all():
        first_image.setdefault(image.product_id, image_url(image.key))
    cards = []
    for product in products:
        skus = skus_by_product.get(product.id, [])
        prices = [_effective_price(s, deals.get(s.id), now) for s in skus] or [0]
        cards.append(
            ProductCard(
                id=product.id,
                shop_id=product.shop_id,
                name=product.name,
                category=product.category,
                currency=product.currency,
                price_from=min(prices),
                regular_price_from=min([s.price for s in skus] or [0]),
                on_deal=any(_effective_price(s, deals.get(s.id), now) < s.price for s in skus),
                team_size=product.team_size,
                image_url=first_image.get(product.id),
            )
        )
    return cards


async def shop_page(session: AsyncSession, shop_id: int) -> ShopView:
    shop = await session.get(Shop, shop_id)
    if shop is None:
        raise ShopNotFound()
    return shop_view(shop)


async def shops_owned_by(session: AsyncSession, owner_id: int) -> list[ShopView]:
    shops = (
        await session.scalars(select(Shop).where(Shop.owner_id == owner_id).order_by(Shop.id))
    ).all()
    return [shop_view(s) for s in shops]


async def deal_page(session: AsyncSession, deal_id: int, now: datetime) -> DealView:
    row = (
        await session.execute(
            select(Deal, Sku, Product.currency)
            .join(Sku, Sku.id == Deal.sku_id)
            .join(Product, Product.id == Deal.product_id)
            .where(Deal.id == deal_id)
        )
    ).first()
    if row is None:
        raise DealNotFound()
    deal, sku, currency = row
    return deal_view(deal, sku, currency, now)


async def may_open_shops(session: AsyncSession, user_id: int, verified: bool) -> bool:
    return verified or (await session.get(MerchantApproval, user_id)) is not None


@dataclass(frozen=True)
class Buyable:
    """What checkout needs to know about one SKU, read in the checkout's own transaction."""

    sku: Sku
    product: Product
    shop: Shop
    deal: Deal | None  # the deal running now, if any


async def buyables(
    session: AsyncSession, sku_ids: Sequence[int], now: datetime
) -> dict[int, Buyable]:
    rows = (
        await session.execute(
            select(Sku, Product, Shop)
            .join(Product, Product.id == Sku.product_id)
            .join(Shop, Shop.id == Product.shop_id)
            .where(Sku.id.in_(sku_ids))
        )
    ).all()
    running = {
        d.sku_id: d
        for d in (
            await session.scalars(
                select(Deal).where(
                    Deal.sku_id.in_(sku_ids), Deal.starts_at <= now, Deal.ends_at > now
                )
            )
        ).all()
    }
    return {
        sku.id: Buyable(sku=sku, product=product, shop=shop, deal=running.get(sku.id))
        for sku, product, shop in rows
    }


# --- for proof/asks/foryou ---

# The catalogue's categories with their names, and the check of a slug a person gave.
CATEGORIES = domain.CATEGORIES
CategoryInfo = domain.CategoryInfo
check_category = domain.check_category


def products_view() -> Subquery:
    """Products, to join on by id: ``product_id``, ``name``, ``category`` (a slug, or None) and
    ``status`` (active | archived)."""
    return select(
        Product.id.label("product_id"),
        Product.name.label("name"),
        Product.category.label("category"),
        Product.status.label("status"),
    ).subquery()


@dataclass(frozen=True)
class NamedProduct:
    id: int
    name: str
    active: bool  # listed for sale (not archived)


async def named_products(session: AsyncSession, ids: Collection[int]) -> dict[int, NamedProduct]:
    """The name and status of each of ``ids`` that exists. One statement."""
    if not ids:
        return {}
    rows = await session.execute(
        select(Product.id, Product.name, Product.status).where(Product.id.in_(ids))
    )
    return {
        product_id: NamedProduct(product_id, name, status == "active")
        for product_id, name, status in rows
    }


async def product_cards_by_id(
    session: AsyncSession, ids: Collection[int], now: datetime
) -> dict[int, ProductCard]:
    """:func:`product_cards` of each of ``ids`` that exists, by id."""
    if not ids:
        return {}
    products = (await session.scalars(select(Product).where(Product.id.in_(ids)))).all()
    return {card.id: card for card in await product_cards(session, products, now)}


@dataclass(frozen=True)
class Listing:
    """What an active product's listing says, for a content model: its search terms (see
    :mod:`tuan.core.search`) and its category."""

    product_id: int
    search_text: str
    category: str | None


async def active_listings(session: AsyncSession) -> list[Listing]:
    """Every active product's listing, by id."""
    rows = await session.execute(
        select(Product.id, Product.search_text, Product.category)
        .where(Product.status == "active")
        .order_by(Product.id)
    )
    return [Listing(product_id, text or "", category) for product_id, text, category in rows]
