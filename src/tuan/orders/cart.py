"""The cart: what a buyer put aside, per shop, at today's prices (checkout prices it again).

Subtotals per shop and totals per currency are computed here; the web app only shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.catalog.errors import ProductArchived, SkuNotFound
from tuan.catalog.queries import running_deal_prices, sku_terms, skus_view
from tuan.core.uow import UnitOfWork
from tuan.orders import domain
from tuan.orders.errors import InvalidQuantity
from tuan.orders.models import CartItem
from tuan.shares.queries import attribution, seen_share_ids


@dataclass(frozen=True)
class CartLine:
    sku_id: int
    product_id: int
    shop_id: int
    product_name: str
    sku_label: str
    currency: str
    unit_price: int  # today's price, deal included; the order recomputes it
    quantity: int
    line_total: int
    available: bool
    share_id: int | None


@dataclass(frozen=True)
class CartShop:
    """One shop's part of the cart: checked out together, as one order."""

    shop_id: int
    currency: str
    subtotal: int  # at today's prices
    line_count: int


@dataclass(frozen=True)
class CartTotal:
    currency: str
    amount: int


@dataclass(frozen=True)
class CartView:
    lines: list[CartLine]  # oldest first
    shops: list[CartShop]  # in the order their first line was put in the cart
    totals: list[CartTotal]  # one per currency


async def cart_page(session: AsyncSession, user_id: int, now: datetime) -> CartView:
    skus = skus_view()
    rows = (
        await session.execute(
            select(CartItem.quantity, CartItem.share_id, skus)
            .join(skus, skus.c.sku_id == CartItem.sku_id)
            .where(CartItem.user_id == user_id)
            .order_by(CartItem.added_at, CartItem.sku_id)
        )
    ).all()
    running = await running_deal_prices(session, [row.sku_id for row in rows], now)
    # A line keeps the share it was put in through, but shows (and checkout credits) only one
    # the buyer can still see: it is given back when the quantity changes, and must not refuse.
    seen = await seen_share_ids(
        session, {row.share_id for row in rows if row.share_id is not None}, user_id
    )
    lines = []
    for row in rows:
        unit_price = running.get(row.sku_id, row.price)
        lines.append(
            CartLine(
                sku_id=row.sku_id,
                product_id=row.product_id,
                shop_id=row.shop_id,
                product_name=row.product_name,
                sku_label=row.sku_label,
                currency=row.currency,
                unit_price=unit_price,
                quantity=row.quantity,
                line_total=unit_price * row.quantity,
                available=row.product_status == "active" and row.stock >= row.quantity,
                share_id=row.share_id if row.share_id in seen else None,
            )
        )
    return cart_view(lines)


def cart_view(lines: list[CartLine]) -> CartView:
    """Group the lines by shop, with each shop's subtotal and the totals per currency."""
    by_shop: dict[int, list[CartLine]] = {}
    for line in lines:
        by_shop.setdefault(line.shop_id, []).append(line)
    shops = [
        CartShop(
            shop_id=shop_id,
            currency=items[0].currency,
            subtotal=sum(item.line_total for item in items),
            line_count=len(items),
        )
        for shop_id, items in by_shop.items()
    ]
    totals: dict[str, int] = {}
    for shop in shops:
        totals[shop.currency] = totals.get(shop.currency, 0) + shop.subtotal
    return CartView(
        lines=lines,
        shops=shops,
        totals=[CartTotal(currency, amount) for currency, amount in totals.items()],
    )


async def put_in_cart(
    uow: UnitOfWork, *, user_id: int, sku_id: int, quantity: int, share_id: int | None = None
) -> None:
    if not 1 <= quantity <= domain.MAX_QUANTITY:
        raise InvalidQuantity(field="quantity")
    sku = await sku_terms(uow.session, sku_id)
    if sku is None:
        raise SkuNotFound()
    if sku.product_status != "active":
        raise ProductArchived()
    if share_id is not None:  # one the buyer could have seen, about this product (ADR 0008)
        await attribution(uow.session, share_id, buyer_id=user_id, product_ids={sku.product_id})
    # Insert, or (the SKU is in the cart already, perhaps put there a moment ago by another
    # tab) set the quantity: the primary key decides, not a read beforehand.
    try:
        async with uow.session.begin_nested():
            uow.session.add(
                CartItem(
                    user_id=user_id,
                    sku_id=sku_id,
                    quantity=quantity,
                    share_id=share_id,
                    added_at=uow.now,
                )
            )
            await uow.session.flush()
    except IntegrityError:
        values: dict[str, object] = {"quantity": quantity}
        if share_id is not None:
            values["share_id"] = share_id
        await uow.session.execute(
            update(CartItem)
            .where(CartItem.user_id == user_id, CartItem.sku_id == sku_id)
            .values(**values)
        )


async def remove_from_cart(uow: UnitOfWork, *, user_id: int, sku_id: int) -> None:
    await uow.session.execute(
        delete(CartItem).where(CartItem.user_id == user_id, CartItem.sku_id == sku_id)
    )
