"""Read side of the catalog: product pages, search results, shops, deals (their read models are
in :mod:`tuan.catalog.views`), and what checkout, carts, team purchases and shares read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Subquery, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.catalog import domain
from tuan.catalog.errors import DealNotFound, ProductNotFound, ShopNotFound
from tuan.catalog.listings import Listing as Listing
from tuan.catalog.listings import NamedProduct as NamedProduct
from tuan.catalog.listings import active_listings as active_listings
from tuan.catalog.listings import named_products as named_products
from tuan.catalog.listings import products_view as products_view
from tuan.catalog.models import (
    PRODUCT_SEARCH_FTS,
    Deal,
    MerchantApproval,
    Product,
    ProductImage,
    Shop,
    Sku,
)
from tuan.catalog.views import DealView as DealView
from tuan.catalog.views import ImageView as ImageView
from tuan.catalog.views import ProductCard as ProductCard
from tuan.catalog.views import ProductView as ProductView
from tuan.catalog.views import ShopView as ShopView
from tuan.catalog.views import SkuView as SkuView
from tuan.catalog.views import deal_view as deal_view
from tuan.catalog.views import image_url, shop_view
from tuan.core.search import matches, parse_query


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
    found = await _product_and_shop(session, product_id)
    if found is None:
        raise ProductNotFound()
    product, shop = found
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


# --- for checkout, carts, team purchases and shares (other domains' reads) --------------------


@dataclass(frozen=True)
class DealTerms:
    """A deal as checkout prices against it."""

    id: int
    sku_id: int
    price: int
    starts_at: datetime
    ends_at: datetime
    stock_cap: int
    sold: int
    per_customer_limit: int


@dataclass(frozen=True)
class Buyable:
    """What checkout needs to know about one SKU, read in the checkout's own transaction."""

    sku_id: int
    sku_label: str
    price: int
    product_id: int
    product_name: str
    product_status: str
    currency: str
    shop_id: int
    shop_name: str
    commission_rate_bp: int
    deal: DealTerms | None  # the deal running now, if any


_DEAL_TERMS = (
    Deal.id,
    Deal.sku_id,
    Deal.price,
    Deal.starts_at,
    Deal.ends_at,
    Deal.stock_cap,
    Deal.sold,
    Deal.per_customer_limit,
)


async def buyables(
    session: AsyncSession, sku_ids: Sequence[int], now: datetime
) -> dict[int, Buyable]:
    rows = (
        await session.execute(
            select(
                Sku.id,
                Sku.label,
                Sku.price,
                Product.id,
                Product.name,
                Product.status,
                Product.currency,
                Shop.id,
                Shop.name,
                Shop.commission_rate_bp,
            )
            .join(Product, Product.id == Sku.product_id)
            .join(Shop, Shop.id == Product.shop_id)
            .where(Sku.id.in_(sku_ids))
        )
    ).all()
    running = {
        row[1]: DealTerms(*row)
        for row in await session.execute(
            select(*_DEAL_TERMS).where(
                Deal.sku_id.in_(sku_ids), Deal.starts_at <= now, Deal.ends_at > now
            )
        )
    }
    return {row[0]: Buyable(*row[:10], deal=running.get(row[0])) for row in rows}


async def deal_terms(session: AsyncSession, deal_ids: Iterable[int]) -> dict[int, DealTerms]:
    """The terms of the deals a buyer asked for by id (running or not), by id."""
    ids = sorted(set(deal_ids))
    if not ids:
        return {}
    rows = await session.execute(select(*_DEAL_TERMS).where(Deal.id.in_(ids)))
    return {row[0]: DealTerms(*row) for row in rows}


async def stock_left(session: AsyncSession, sku_id: int) -> int | None:
    """Units of a SKU on sale now (None for an unknown SKU): to say how many are left."""
    return await session.scalar(select(Sku.stock).where(Sku.id == sku_id))


def skus_view() -> Subquery:
    """A published view to join on: each SKU with its product and shop (``sku_id``,
    ``product_id``, ``shop_id``, ``product_name``, ``sku_label``, ``currency``, ``price``,
    ``stock``, ``product_status``)."""
    return (
        select(
            Sku.id.label("sku_id"),
            Product.id.label("product_id"),
            Product.shop_id.label("shop_id"),
            Product.name.label("product_name"),
            Sku.label.label("sku_label"),
            Product.currency.label("currency"),
            Sku.price.label("price"),
            Sku.stock.label("stock"),
            Product.status.label("product_status"),
        )
        .join(Product, Product.id == Sku.product_id)
        .subquery("skus_on_sale")
    )


async def running_deal_prices(
    session: AsyncSession, sku_ids: Sequence[int], now: datetime
) -> dict[int, int]:
    """The deal price of each SKU whose deal runs now and still has units at that price."""
    if not sku_ids:
        return {}
    rows = await session.execute(
        select(Deal.sku_id, Deal.price).where(
            Deal.sku_id.in_(sku_ids),
            Deal.starts_at <= now,
            Deal.ends_at > now,
            Deal.sold < Deal.stock_cap,
        )
    )
    return {sku_id: price for sku_id, price in rows}


def shops_view() -> Subquery:
    """A published view to join on: ``shop_id``, ``owner_id``, ``shop_name`` of every shop."""
    return select(
        Shop.id.label("shop_id"), Shop.owner_id.label("owner_id"), Shop.name.label("shop_name")
    ).subquery("shop_owners")


@dataclass(frozen=True)
class SkuTerms:
    """A SKU as a cart or a team purchase sees it: its product, whether that is on sale, and the
    team purchase's size, hours and price (None when it has none)."""

    sku_id: int
    product_id: int
    product_status: str
    currency: str
    team_size: int | None
    team_hours: int
    team_price: int | None


async def sku_terms(session: AsyncSession, sku_id: int) -> SkuTerms | None:
    row = (
        await session.execute(
            select(
                Sku.id,
                Product.id,
                Product.status,
                Product.currency,
                Product.team_size,
                Product.team_hours,
                Sku.team_price,
            )
            .join(Product, Product.id == Sku.product_id)
            .where(Sku.id == sku_id)
        )
    ).first()
    return None if row is None else SkuTerms(*row)


@dataclass(frozen=True)
class ProductBrief:
    id: int
    shop_id: int
    name: str
    status: str  # active | archived


async def product_brief(session: AsyncSession, product_id: int) -> ProductBrief | None:
    row = (
        await session.execute(
            select(Product.id, Product.shop_id, Product.name, Product.status).where(
                Product.id == product_id
            )
        )
    ).first()
    return None if row is None else ProductBrief(*row)


async def product_of_deal(session: AsyncSession, deal_id: int) -> int | None:
    return await session.scalar(select(Deal.product_id).where(Deal.id == deal_id))


@dataclass(frozen=True)
class ProductFacts:
    """What another domain needs to know about a product to talk about it (a card, a review)."""

    id: int
    shop_id: int
    shop_owner_id: int
    name: str
    category: str | None
    currency: str
    status: str  # active | archived
    commission_rate_bp: int  # what the shop pays a sharer whose share sold it


def _facts(product: Product, shop: Shop) -> ProductFacts:
    return ProductFacts(
        id=product.id,
        shop_id=shop.id,
        shop_owner_id=shop.owner_id,
        name=product.name,
        category=product.category,
        currency=product.currency,
        status=product.status,
        commission_rate_bp=shop.commission_rate_bp,
    )


async def _product_and_shop(session: AsyncSession, product_id: int) -> tuple[Product, Shop] | None:
    row = (
        await session.execute(
            select(Product, Shop)
            .join(Shop, Shop.id == Product.shop_id)
            .where(Product.id == product_id)
        )
    ).first()
    return (row[0], row[1]) if row else None


async def product_facts(session: AsyncSession, product_id: int) -> ProductFacts | None:
    found = await _product_and_shop(session, product_id)
    return _facts(*found) if found else None


async def product_with_card(
    session: AsyncSession, product_id: int, now: datetime
) -> tuple[ProductFacts, ProductCard] | None:
    """The product's facts and its live card (price now, image) in one read."""
    found = await _product_and_shop(session, product_id)
    if found is None:
        return None
    (card,) = await product_cards(session, [found[0]], now)
    return _facts(*found), card


# --- for proof/asks/foryou ---

# The catalogue's categories with their names, and the check of a slug a person gave.
CATEGORIES = domain.CATEGORIES
CategoryInfo = domain.CategoryInfo
check_category = domain.check_category


async def product_cards_by_id(
    session: AsyncSession, ids: Collection[int], now: datetime
) -> dict[int, ProductCard]:
    """:func:`product_cards` of each of ``ids`` that exists, by id."""
    if not ids:
        return {}
    products = (await session.scalars(select(Product).where(Product.id.in_(ids)))).all()
    return {card.id: card for card in await product_cards(session, products, now)}
