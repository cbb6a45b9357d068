"""Catalog use cases: merchants, shops, products, SKUs, images and deals. Each takes the caller's
open unit of work (ADR 0007).

Stock is only ever changed by conditional updates (a delta here, ``stock = stock - :n WHERE
stock >= :n`` at checkout: :mod:`tuan.catalog.commands`), so two buyers can never both take the
last unit, on SQLite or on PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.errors import UserNotFound
from tuan.accounts.queries import is_verified, user_by_username
from tuan.catalog import domain
from tuan.catalog.errors import (
    DealNotFound,
    DealOverlaps,
    ImageNotFound,
    InvalidStock,
    MerchantNotApproved,
    NotShopOwner,
    ProductArchived,
    ProductNotFound,
    ShopNotFound,
    SkuLabelTaken,
    SkuNotFound,
    StockWouldGoNegative,
    TooManyImages,
    TooManyVariants,
)
from tuan.catalog.events import DealScheduled, ProductArchivedEvent, ProductListed, ShopOpened
from tuan.catalog.models import (
    Deal,
    MerchantApproval,
    Product,
    ProductImage,
    Shop,
    Sku,
)
from tuan.core.db import changed_one
from tuan.core.media import StoredImage
from tuan.core.money import check_currency
from tuan.core.search import search_text
from tuan.core.uow import UnitOfWork

MAX_SKUS = 50
MAX_IMAGES = 9


@dataclass(frozen=True)
class SkuSpec:
    label: str
    price: int
    stock: int = 0
    team_price: int | None = None


# --- merchants and shops ---------------------------------------------------------------------


async def set_merchant_approval(uow: UnitOfWork, *, username: str, approved: bool = True) -> str:
    """Operator action: allow an unverified user to open shops (or take it back); returns their
    username as they spelled it."""
    user = await user_by_username(uow.session, username)
    if user is None:
        raise UserNotFound(f"No user named {username!r}.")
    existing = await uow.session.get(MerchantApproval, user.id)
    if approved and existing is None:
        uow.session.add(MerchantApproval(user_id=user.id, approved_at=uow.now))
    elif not approved and existing is not None:
        await uow.session.delete(existing)
    return user.username


async def open_shop(
    uow: UnitOfWork,
    *,
    owner_id: int,
    name: str,
    description: str = "",
    currency: str = "CNY",
    commission_rate_bp: int = 0,
) -> Shop:
    name = domain.clean_text(name, field="name", max_length=80)
    description = domain.clean_text(
        description, field="description", max_length=2000, multiline=True, required=False
    )
    currency = check_currency(currency)
    commission_rate_bp = domain.check_commission_rate(commission_rate_bp)
    if not await is_verified(uow.session, owner_id) and not await _approved(uow, owner_id):
        raise MerchantNotApproved()
    shop = Shop(
        owner_id=owner_id,
        name=name,
        description=description,
        currency=currency,
        commission_rate_bp=commission_rate_bp,
        created_at=uow.now,
        updated_at=uow.now,
    )
    uow.session.add(shop)
    await uow.session.flush()
    uow.emit(ShopOpened(shop_id=shop.id, owner_id=owner_id))
    return shop


async def _approved(uow: UnitOfWork, user_id: int) -> bool:
    return await uow.session.get(MerchantApproval, user_id) is not None


async def owned_shop(session: AsyncSession, shop_id: int, actor_id: int) -> Shop:
    shop = await session.get(Shop, shop_id)
    if shop is None:
        raise ShopNotFound()
    if shop.owner_id != actor_id:
        raise NotShopOwner()
    return shop


async def change_shop(
    uow: UnitOfWork,
    *,
    shop_id: int,
    actor_id: int,
    name: str | None = None,
    description: str | None = None,
    commission_rate_bp: int | None = None,
) -> Shop:
    shop = await owned_shop(uow.session, shop_id, actor_id)
    if name is not None:
        shop.name = domain.clean_text(name, field="name", max_length=80)
    if description is not None:
        shop.description = domain.clean_text(
            description, field="description", max_length=2000, multiline=True, required=False
        )
    if commission_rate_bp is not None:
        # Orders keep the rate they were placed at; a change applies to new orders only.
        shop.commission_rate_bp = domain.check_commission_rate(commission_rate_bp)
    shop.updated_at = uow.now
    return shop


# --- products and SKUs -----------------------------------------------------------------------


async def owned_product(session: AsyncSession, product_id: int, actor_id: int) -> Product:
    product = await session.get(Product, product_id)
    if product is None:
        raise ProductNotFound()
    await owned_shop(session, product.shop_id, actor_id)
    return product


def _new_sku(product: Product, spec: SkuSpec, position: int, now: datetime, index: int) -> Sku:
    field = f"skus.{index}"
    if spec.team_price is not None:
        domain.check_price(spec.team_price, field=f"{field}.team_price")
    if not 0 <= spec.stock <= domain.MAX_STOCK:
        raise InvalidStock(field=f"{field}.stock")
    return Sku(
        product_id=product.id,
        label=domain.clean_text(spec.label, field=f"{field}.label", max_length=60),
        price=domain.check_price(spec.price, field=f"{field}.price"),
        team_price=spec.team_price,
        stock=spec.stock,
        position=position,
        created_at=now,
    )


async def list_product(
    uow: UnitOfWork,
    *,
    actor_id: int,
    shop_id: int,
    name: str,
    description: str = "",
    category: str | None = None,
    skus: list[SkuSpec],
    team_size: int | None = None,
    team_hours: int | None = None,
) -> Product:
    name = domain.clean_text(name, field="name", max_length=120)
    description = domain.clean_text(
        description, field="description", max_length=5000, multiline=True, required=False
    )
    category = domain.check_category(category)
    team_size, hours = domain.check_team(team_size, team_hours)
    if not 1 <= len(skus) <= MAX_SKUS:
        raise TooManyVariants(field="skus")
    labels = [s.label.strip() for s in skus]
    if len(set(labels)) != len(labels):
        raise SkuLabelTaken("Two SKUs have the same label.", field="skus")
    shop = await owned_shop(uow.session, shop_id, actor_id)
    product = Product(
        shop_id=shop.id,
        category=category,
        name=name,
        description=description,
        currency=shop.currency,
        status="active",
        team_size=team_size,
        team_hours=hours,
        search_text=search_text(name, description),
        created_at=uow.now,
        updated_at=uow.now,
    )
    uow.session.add(product)
    await uow.session.flush()
    uow.session.add_all(_new_sku(product, spec, i, uow.now, i) for i, spec in enumerate(skus))
    uow.emit(ProductListed(product_id=product.id, shop_id=shop.id))
    return product


async def change_product(
    uow: UnitOfWork,
    *,
    actor_id: int,
    product_id: int,
    name: str | None = None,
    description: str | None = None,
    category: str | None = None,
    clear_category: bool = False,
    team_size: int | None = None,
    clear_team: bool = False,
    team_hours: int | None = None,
) -> Product:
    product = await owned_product(uow.session, product_id, actor_id)
    if product.status == "archived":
        raise ProductArchived()
    if name is not None:
        product.name = domain.clean_text(name, field="name", max_length=120)
    if description is not None:
        product.description = domain.clean_text(
            description, field="description", max_length=5000, multiline=True, required=False
        )
    if clear_category:
        product.category = None
    elif category is not None:
        product.category = domain.check_category(category)
    size = None if clear_team else (team_size if team_size is not None else product.team_size)
    product.team_size, product.team_hours = domain.check_team(
        size, team_hours if team_hours is not None else product.team_hours
    )
    product.search_text = search_text(product.name, product.description)
    product.updated_at = uow.now
    return product


async def add_sku(uow: UnitOfWork, *, actor_id: int, product_id: int, spec: SkuSpec) -> Sku:
    product = await owned_product(uow.session, product_id, actor_id)
    if product.status == "archived":
        raise ProductArchived()
    count = len(
        (await uow.session.scalars(select(Sku.id).where(Sku.product_id == product.id))).all()
    )
    if count >= MAX_SKUS:
        raise TooManyVariants(field="label")
    sku = _new_sku(product, spec, count, uow.now, 0)
    uow.session.add(sku)
    try:
        async with uow.session.begin_nested():
            await uow.session.flush()
    except IntegrityError:
        raise SkuLabelTaken(field="label") from None
    product.updated_at = uow.now
    return sku


async def change_sku(
    uow: UnitOfWork,
    *,
    actor_id: int,
    sku_id: int,
    label: str | None = None,
    price: int | None = None,
    team_price: int | None = None,
    clear_team_price: bool = False,
    add_stock: int | None = None,
) -> Sku:
    sku = await uow.session.get(Sku, sku_id)
    if sku is None:
        raise SkuNotFound()
    await owned_product(uow.session, sku.product_id, actor_id)
    if label is not None:
        sku.label = domain.clean_text(label, field="label", max_length=60)
    if price is not None:
        sku.price = domain.check_price(price)
    if clear_team_price:
        sku.team_price = None
    elif team_price is not None:
        sku.team_price = domain.check_price(team_price, field="team_price")
    try:
        async with uow.session.begin_nested():
            await uow.session.flush()
    except IntegrityError:
        raise SkuLabelTaken(field="label") from None
    if add_stock:
        # A delta, applied conditionally: an absolute "set stock to 5" would race checkouts.
        changed = await uow.session.execute(
            update(Sku)
            .where(
                Sku.id == sku_id,
                Sku.stock + add_stock >= 0,
                Sku.stock + add_stock <= domain.MAX_STOCK,
            )
            .values(stock=Sku.stock + add_stock)
        )
        if not changed_one(changed):
            raise StockWouldGoNegative(field="add_stock")
        await uow.session.refresh(sku)
    return sku


async def add_image(
    uow: UnitOfWork, *, actor_id: int, product_id: int, image: StoredImage
) -> ProductImage:
    product = await owned_product(uow.session, product_id, actor_id)
    positions = (
        await uow.session.scalars(
            select(ProductImage.position).where(ProductImage.product_id == product.id)
        )
    ).all()
    if len(positions) >= MAX_IMAGES:
        raise TooManyImages(field="file")
    row = ProductImage(
        product_id=product.id,
        key=image.key,
        width=image.width,
        height=image.height,
        position=max(positions, default=-1) + 1,
        created_at=uow.now,
    )
    uow.session.add(row)
    product.updated_at = uow.now
    return row


async def remove_image(uow: UnitOfWork, *, actor_id: int, product_id: int, image_id: int) -> None:
    await owned_product(uow.session, product_id, actor_id)
    image = await uow.session.get(ProductImage, image_id)
    if image is None or image.product_id != product_id:
        raise ImageNotFound()
    await uow.session.delete(image)


async def remove_product(uow: UnitOfWork, *, actor_id: int, product_id: int) -> str:
    """Delete a product nobody ordered or shared; archive it otherwise. Returns what happened.

    The foreign keys from order lines and shares decide, not a count read beforehand: an order
    placed while we delete makes the delete fail, and the product is archived instead.
    """
    product = await owned_product(uow.session, product_id, actor_id)
    try:
        async with uow.session.begin_nested():
            await uow.session.delete(product)
            await uow.session.flush()
        outcome = "deleted"
    except IntegrityError:
        product = await owned_product(uow.session, product_id, actor_id)
        product.status = "archived"
        product.updated_at = uow.now
        uow.emit(ProductArchivedEvent(product_id=product_id))
        outcome = "archived"
    return outcome


# --- deals -----------------------------------------------------------------------------------


async def schedule_deal(
    uow: UnitOfWork,
    *,
    actor_id: int,
    sku_id: int,
    price: int,
    starts_at: datetime,
    ends_at: datetime,
    stock_cap: int,
    per_customer_limit: int,
) -> Deal:
    sku = await uow.session.get(Sku, sku_id)
    if sku is None:
        raise SkuNotFound()
    product = await owned_product(uow.session, sku.product_id, actor_id)
    if product.status == "archived":
        raise ProductArchived()
    domain.check_deal(
        price=price,
        regular_price=sku.price,
        starts_at=starts_at,
        ends_at=ends_at,
        stock_cap=stock_cap,
        per_customer_limit=per_customer_limit,
        now=uow.now,
    )
    # Lock the SKU row (PostgreSQL) so two overlapping deals cannot be created side by side.
    await uow.session.execute(update(Sku).where(Sku.id == sku_id).values(position=Sku.position))
    overlapping = await uow.session.scalar(
        select(Deal.id).where(
            Deal.sku_id == sku_id, Deal.starts_at < ends_at, Deal.ends_at > starts_at
        )
    )
    if overlapping is not None:
        raise DealOverlaps(field="starts_at")
    deal = Deal(
        sku_id=sku_id,
        product_id=product.id,
        price=price,
        starts_at=starts_at,
        ends_at=ends_at,
        stock_cap=stock_cap,
        sold=0,
        per_customer_limit=per_customer_limit,
        created_at=uow.now,
    )
    uow.session.add(deal)
    await uow.session.flush()
    uow.emit(
        DealScheduled(
            deal_id=deal.id,
            product_id=product.id,
            starts_at=starts_at.isoformat(),
            ends_at=ends_at.isoformat(),
        )
    )
    return deal


async def end_deal(uow: UnitOfWork, *, actor_id: int, deal_id: int) -> Deal:
    """End a deal now (the normal price holds again); an upcoming deal is ended before it starts."""
    deal = await uow.session.get(Deal, deal_id)
    if deal is None:
        raise DealNotFound()
    await owned_product(uow.session, deal.product_id, actor_id)
    if deal.ends_at > uow.now:
        deal.ends_at = max(uow.now, deal.starts_at)
    return deal
