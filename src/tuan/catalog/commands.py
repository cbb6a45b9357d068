"""What other domains may change in the catalog inside their own transaction: stock and deal
units, taken by checkout and given back when an order is cancelled or refunded before shipping.

Only conditional updates touch stock: never below zero, never above a deal's cap, on SQLite and on
PostgreSQL. See docs/adr/0002-no-oversell.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from sqlalchemy import Table, delete, select, update
from sqlalchemy.exc import IntegrityError

from tuan.catalog.models import Deal, DealPurchase, Product, Shop, Sku, StockHold
from tuan.core.db import changed_one
from tuan.core.search import search_text
from tuan.core.uow import UnitOfWork


async def take_stock(uow: UnitOfWork, sku_id: int, quantity: int) -> bool:
    """Take ``quantity`` units if that many are left; False (and nothing changed) otherwise."""
    result = await uow.session.execute(
        update(Sku)
        .where(Sku.id == sku_id, Sku.stock >= quantity)
        .values(stock=Sku.stock - quantity)
        .execution_options(synchronize_session=False)
    )
    return changed_one(result)


async def return_stock(uow: UnitOfWork, sku_id: int, quantity: int) -> None:
    await uow.session.execute(
        update(Sku)
        .where(Sku.id == sku_id)
        .values(stock=Sku.stock + quantity)
        .execution_options(synchronize_session=False)
    )


async def take_deal_units(uow: UnitOfWork, deal_id: int, quantity: int) -> bool:
    """Count ``quantity`` units against the deal's cap while it runs; False if over the cap."""
    result = await uow.session.execute(
        update(Deal)
        .where(
            Deal.id == deal_id,
            Deal.sold + quantity <= Deal.stock_cap,
            Deal.starts_at <= uow.now,
            Deal.ends_at > uow.now,
        )
        .values(sold=Deal.sold + quantity)
        .execution_options(synchronize_session=False)
    )
    return changed_one(result)


async def take_customer_allowance(
    uow: UnitOfWork, deal_id: int, user_id: int, quantity: int, limit: int
) -> bool:
    """Count units against one customer's limit for a deal; False if that would exceed it."""
    session = uow.session
    async with session.begin_nested():
        try:
            session.add(DealPurchase(deal_id=deal_id, user_id=user_id, quantity=0))
            await session.flush()
        except IntegrityError:
            pass  # the customer bought at this deal before; their row is there
    result = await session.execute(
        update(DealPurchase)
        .where(
            DealPurchase.deal_id == deal_id,
            DealPurchase.user_id == user_id,
            DealPurchase.quantity + quantity <= limit,
        )
        .values(quantity=DealPurchase.quantity + quantity)
        .execution_options(synchronize_session=False)
    )
    return changed_one(result)


async def return_deal_units(uow: UnitOfWork, deal_id: int, user_id: int, quantity: int) -> None:
    await uow.session.execute(
        update(Deal)
        .where(Deal.id == deal_id, Deal.sold >= quantity)
        .values(sold=Deal.sold - quantity)
        .execution_options(synchronize_session=False)
    )
    await uow.session.execute(
        update(DealPurchase)
        .where(
            DealPurchase.deal_id == deal_id,
            DealPurchase.user_id == user_id,
            DealPurchase.quantity >= quantity,
        )
        .values(quantity=DealPurchase.quantity - quantity)
        .execution_options(synchronize_session=False)
    )


_HOLDS = cast(Table, StockHold.__table__)


async def consume_holds(uow: UnitOfWork, hold_ids: Iterable[int]) -> set[int]:
    """Make holds the order's reservation (in the order's transaction), in one statement; returns
    the ids consumed (a missing one expired and was given back meanwhile)."""
    ids = sorted(hold_ids)
    if not ids:
        return set()
    result = await uow.session.execute(
        delete(_HOLDS).where(_HOLDS.c.id.in_(ids)).returning(_HOLDS.c.id)
    )
    return set(result.scalars().all())


async def close_shops_of(uow: UnitOfWork, owner_id: int) -> None:
    """An erased person's shops stop selling: their products are archived, and their
    descriptions (the person's own words) blanked and taken out of the search index; the shop's
    and products' names stay, as seller and goods of record on past orders (ADR 0011)."""
    products = await uow.session.scalars(
        select(Product).where(Product.shop_id.in_(select(Shop.id).where(Shop.owner_id == owner_id)))
    )
    for product in products:
        product.status, product.description, product.updated_at = "archived", "", uow.now
        product.search_text = search_text(product.name, "")
