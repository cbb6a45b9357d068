"""Checkout: cart, idempotency keys, pricing on the server and the stock reservation.

A checkout is one transaction: the idempotency key, the order, its lines, its first transition,
its expiry job and its outbox event are written first; the conditional stock updates come last,
just before commit, so the hot SKU's row is locked for as short a time as the database allows.
If any unit is missing the whole transaction rolls back: no order, no key, no stock taken.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.catalog import stock
from tuan.catalog.errors import (
    DealSoldOut,
    OverCustomerLimit,
    ProductArchived,
    SkuNotFound,
    SoldOut,
)
from tuan.catalog.models import Deal, Product, Sku
from tuan.catalog.queries import buyables
from tuan.catalog.stock import StockHolds
from tuan.core.scheduler import schedule
from tuan.core.uow import UnitOfWork
from tuan.orders import domain
from tuan.orders.errors import IdempotencyKeyReused, InvalidQuantity, MixedShops
from tuan.orders.events import OrderPlaced
from tuan.orders.models import CartItem, IdempotencyKey, Order, OrderLine, OrderTransition
from tuan.orders.queries import LineView
from tuan.shares.errors import ShareMismatch, ShareNotFound
from tuan.shares.models import Share

EXPIRE_RESERVATION = "orders.expire_reservation"
UowFactory = Callable[[], UnitOfWork]


@dataclass(frozen=True)
class TeamPricing:
    """Checkout terms for a team-purchase order: every unit at the team's price."""

    team_id: int


@dataclass(frozen=True)
class PlacedOrder:
    """An order just placed, as written: what its page shows, without reading it back."""

    order: Order
    shop_name: str
    lines: list[LineView]


@dataclass(frozen=True)
class CheckoutResult:
    order_id: int
    replayed: bool
    placed: PlacedOrder | None = None  # the new order as written (not for a replay)


# --- idempotency -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IdempotencyClaim:
    user_id: int
    key: str
    request_hash: str


class KeyTaken(Exception):
    """Another request recorded this key first; ours rolls back and answers with its order."""


# Hot-path statements are built once (their SQL cache keys are then computed once, not per
# request) and run on tables, not through the ORM's unit of work: a flash sale is CPU-bound.
_KEYS = cast(Table, IdempotencyKey.__table__)
_EARLIER_ORDER = select(_KEYS.c.request_hash, _KEYS.c.order_id).where(
    _KEYS.c.user_id == bindparam("user_id"), _KEYS.c.key == bindparam("key")
)
_ORDERS = cast(Table, Order.__table__)
_INSERT_ORDER = insert(_ORDERS).returning(_ORDERS.c.id)
_INSERT_LINES = insert(cast(Table, OrderLine.__table__))
_INSERT_TRANSITION = insert(cast(Table, OrderTransition.__table__))


async def earlier_order(session: AsyncSession, claim: IdempotencyClaim) -> int | None:
    """The order this key already made (same body), or None; a different body is refused."""
    existing = (
        await session.execute(_EARLIER_ORDER, {"user_id": claim.user_id, "key": claim.key})
    ).first()
    if existing is None:
        return None
    if existing.request_hash != claim.request_hash:
        raise IdempotencyKeyReused(field="Idempotency-Key")
    return None if existing.order_id is None else int(existing.order_id)


async def record_idempotency_key(
    session: AsyncSession, claim: IdempotencyClaim, order_id: int, now: datetime
) -> None:
    """Insert the key with its order in the order's transaction, or raise KeyTaken.

    ``ON CONFLICT DO NOTHING``: on PostgreSQL a concurrent request with the same key waits here
    until the first commits (and then inserts nothing) or rolls back (and then inserts).
    """
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else postgres_insert
    inserted = await session.execute(
        insert(_KEYS)
        .values(
            user_id=claim.user_id,
            key=claim.key,
            request_hash=claim.request_hash,
            order_id=order_id,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["user_id", "key"])
        .returning(_KEYS.c.key)
    )
    if inserted.first() is None:
        raise KeyTaken()


async def once_per_key(
    new_uow: UowFactory,
    claim: IdempotencyClaim,
    place: Callable[[UnitOfWork], Awaitable[int]],
) -> CheckoutResult:
    """Run ``place`` (which creates one order and returns its id) at most once per key.

    A retry with the same key and body gets the first order back; one with another body is
    refused. Two requests with one key at the same moment make one order. (If they race for the
    last unit, the loser may answer "sold out" although its twin succeeded; retrying the key then
    returns the twin's order.)
    """
    try:
        async with new_uow() as uow:
            earlier = await earlier_order(uow.session, claim)
            if earlier is not None:
                return CheckoutResult(order_id=earlier, replayed=True)
            order_id = await place(uow)
            await uow.commit()
        return CheckoutResult(order_id=order_id, replayed=False)
    except KeyTaken:
        async with new_uow() as uow:
            earlier = await earlier_order(uow.session, claim)
        if earlier is None:
            raise IdempotencyKeyReused(
                "This Idempotency-Key is in use by a request still running."
            ) from None
        return CheckoutResult(order_id=earlier, replayed=True)


# --- placing an order --------------------------------------------------------------------------


def _terms(deal: Deal | None) -> domain.DealTerms | None:
    if deal is None:
        return None
    return domain.DealTerms(
        id=deal.id,
        sku_id=deal.sku_id,
        price=deal.price,
        starts_at=deal.starts_at,
        ends_at=deal.ends_at,
        stock_cap=deal.stock_cap,
        sold=deal.sold,
        per_customer_limit=deal.per_customer_limit,
    )


async def place_order_in(
    uow: UnitOfWork,
    *,
    buyer_id: int,
    lines: Sequence[domain.LineRequest],
    share_id: int | None = None,
    currency: str | None = None,
    team: TeamPricing | None = None,
    team_price: int | None = None,
    claim: IdempotencyClaim | None = None,
    holds: Mapping[int, int] | None = None,
    placed: list[PlacedOrder] | None = None,
) -> Order:
    """Price, record and reserve an order inside the caller's transaction (see module doc).

    The returned order is the row as inserted, detached from the session. With ``placed`` the
    order's page-ready facts are appended to it, so the answer needs no second read.
    """
    session, now = uow.session, uow.now
    merged = domain.merge_lines(lines)
    found = await buyables(session, [line.sku_id for line in merged], now)
    requested_ids = {line.deal_id for line in merged if line.deal_id is not None}
    requested = (
        {
            d.id: d
            for d in (await session.scalars(select(Deal).where(Deal.id.in_(requested_ids)))).all()
        }
        if requested_ids
        else {}
    )
    priced: list[domain.PricedLine] = []
    for index, line in enumerate(merged):
        item = found.get(line.sku_id)
        if item is None:
            raise SkuNotFound(f"There is no SKU {line.sku_id}.", field=f"items.{index}.sku_id")
        if item.product.status != "active":
            raise ProductArchived(field=f"items.{index}.sku_id")
        priced.append(
            domain.price_line(
                index=index,
                sku_id=line.sku_id,
                quantity=line.quantity,
                regular_price=item.sku.price,
                now=now,
                running_deal=_terms(item.deal),
                requested_deal=_terms(requested.get(line.deal_id)) if line.deal_id else None,
                requested_deal_id=line.deal_id,
                team_price=team_price if team is not None else None,
                team=team is not None,
            )
        )
    shops = {item.shop.id for item in found.values()}
    if len(shops) != 1:
        raise MixedShops(field="items")
    shop = next(iter(found.values())).shop
    order_currency = domain.check_currencies([i.product.currency for i in found.values()], currency)

    sharer_id = None
    if share_id is not None:
        share = await session.get(Share, share_id)
        if share is None:
            raise ShareNotFound(field="share_id")
        if share.product_id not in {i.product.id for i in found.values()}:
            raise ShareMismatch(field="share_id")
        sharer_id = share.sharer_id
    rate = shop.commission_rate_bp if sharer_id not in (None, buyer_id) else 0

    values = {
        "buyer_id": buyer_id,
        "shop_id": shop.id,
        "kind": "team" if team else "regular",
        "status": domain.PENDING,
        "currency": order_currency,
        "subtotal": sum(p.regular_total for p in priced),
        "total": sum(p.total for p in priced),
        "refunded_amount": 0,
        "share_id": share_id,
        "sharer_id": sharer_id,
        "commission_rate_bp": rate,
        "commission_note": domain.commission_note(
            sharer_id=sharer_id, buyer_id=buyer_id, rate_bp=shop.commission_rate_bp
        ),
        "team_id": team.team_id if team else None,
        "team_confirmed_at": None,
        "reserved_until": now + domain.RESERVATION,
        "active_payment_ref": None,
        "placed_at": now,
        "paid_at": None,
        "shipped_at": None,
        "delivered_at": None,
        "completed_at": None,
        "closed_at": None,
        "tracking": None,
        "updated_at": now,
    }
    order_id = (await session.execute(_INSERT_ORDER, values)).scalar_one()
    # The order as written; callers read it, it is not attached to the session.
    order = Order(id=order_id, **values)
    lines_written = [
        {
            "order_id": order_id,
            "product_id": found[p.sku_id].product.id,
            "sku_id": p.sku_id,
            "deal_id": p.deal.id if p.deal else None,
            "product_name": found[p.sku_id].product.name,
            "sku_label": found[p.sku_id].sku.label,
            "regular_unit_price": p.regular_unit_price,
            "unit_price": p.unit_price,
            "quantity": p.quantity,
            "line_total": p.total,
        }
        for p in priced
    ]
    # One executemany for all lines (their ids are never needed here).
    await session.execute(_INSERT_LINES, lines_written)
    await session.execute(
        _INSERT_TRANSITION,
        {
            "order_id": order_id,
            "from_status": None,
            "to_status": domain.PENDING,
            "reason": "placed",
            "amount": order.total,
            "actor_id": buyer_id,
            "at": now,
        },
    )
    await schedule(  # the reservation's deadline
        session,
        kind=EXPIRE_RESERVATION,
        key=f"order:{order_id}",
        run_at=order.reserved_until,
        now=now,
        payload={"order_id": order_id},
    )
    uow.emit(
        OrderPlaced(
            order_id=order_id,
            buyer_id=buyer_id,
            shop_id=shop.id,
            total=order.total,
            currency=order.currency,
            share_id=share_id,
        )
    )
    if placed is not None:
        placed.append(
            PlacedOrder(
                order=order,
                shop_name=shop.name,
                lines=[
                    LineView(**{k: v for k, v in line.items() if k != "order_id"})
                    for line in lines_written
                ],
            )
        )
    if claim is not None:
        await record_idempotency_key(session, claim, order_id, now)
    await _reserve(session, buyer_id, priced, now, holds)
    return order


async def _reserve(
    session: AsyncSession,
    buyer_id: int,
    priced: Sequence[domain.PricedLine],
    now: datetime,
    holds: Mapping[int, int] | None,
) -> None:
    """Deal caps, per-customer limits, then stock: each a conditional update, in SKU order.

    With ``holds`` (PostgreSQL) a line's units were taken before this transaction began; the
    order consumes the hold. A line without a hold found no stock; a hold that expired meanwhile
    is replaced by taking the units here.
    """
    for index, line in enumerate(priced):
        if line.deal is None:
            continue
        if not await stock.take_customer_allowance(
            session, line.deal.id, buyer_id, line.quantity, line.deal.per_customer_limit
        ):
            raise OverCustomerLimit(
                f"At the deal price one customer may buy at most {line.deal.per_customer_limit};"
                " you already hold some.",
                field=f"items.{index}.quantity",
            )
        if not await stock.take_deal_units(session, line.deal.id, line.quantity, now):
            raise DealSoldOut(field=f"items.{index}.sku_id")
    consumed = await stock.consume_holds(session, holds.values()) if holds else set()
    for index, line in enumerate(priced):
        hold = holds.get(line.sku_id) if holds is not None else None
        if hold is not None and hold in consumed:
            continue
        if (holds is None or hold is not None) and await stock.take_stock(
            session, line.sku_id, line.quantity
        ):
            continue
        left = await session.scalar(select(Sku.stock).where(Sku.id == line.sku_id))
        raise SoldOut(
            "Sold out." if not left else f"Only {left} left; you asked for {line.quantity}.",
            field=f"items.{index}.quantity" if left else f"items.{index}.sku_id",
        )


async def checkout(
    new_uow: UowFactory,
    *,
    buyer_id: int,
    idempotency_key: str,
    request_hash: str,
    lines: Sequence[domain.LineRequest],
    share_id: int | None = None,
    currency: str | None = None,
    holds: StockHolds | None = None,
) -> CheckoutResult:
    claim = IdempotencyClaim(buyer_id, idempotency_key, request_hash)
    merged = domain.merge_lines(lines)
    held = await holds.take([(m.sku_id, m.quantity) for m in merged]) if holds else {}
    placed: list[PlacedOrder] = []

    async def place(uow: UnitOfWork) -> int:
        placed.clear()
        order = await place_order_in(
            uow,
            buyer_id=buyer_id,
            lines=merged,
            share_id=share_id,
            currency=currency,
            claim=claim,
            holds=held if holds is not None and holds.enabled else None,
            placed=placed,
        )
        return order.id

    consumed = False
    try:
        result = await once_per_key(new_uow, claim, place)
        consumed = not result.replayed
        if consumed and placed:
            return CheckoutResult(order_id=result.order_id, replayed=False, placed=placed[0])
        return result
    finally:
        if held and not consumed and holds is not None:
            await holds.release(held.values())


async def checkout_cart(
    new_uow: UowFactory,
    *,
    buyer_id: int,
    shop_id: int,
    idempotency_key: str,
    request_hash: str,
    currency: str | None = None,
) -> CheckoutResult:
    """Order the cart's items from one shop; they leave the cart in the same transaction."""
    claim = IdempotencyClaim(buyer_id, idempotency_key, request_hash)

    async def place(uow: UnitOfWork) -> int:
        rows = (
            (
                await uow.session.execute(
                    select(CartItem)
                    .join(Sku, Sku.id == CartItem.sku_id)
                    .join(Product, Product.id == Sku.product_id)
                    .where(CartItem.user_id == buyer_id, Product.shop_id == shop_id)
                    .order_by(CartItem.sku_id)
                )
            )
            .scalars()
            .all()
        )
        share_ids = {r.share_id for r in rows if r.share_id is not None}
        order = await place_order_in(
            uow,
            buyer_id=buyer_id,
            lines=[domain.LineRequest(r.sku_id, r.quantity) for r in rows],
            share_id=min(share_ids) if share_ids else None,
            currency=currency,
            claim=claim,
        )
        await uow.session.execute(
            delete(CartItem).where(
                CartItem.user_id == buyer_id, CartItem.sku_id.in_([r.sku_id for r in rows])
            )
        )
        return order.id

    return await once_per_key(new_uow, claim, place)


# --- cart --------------------------------------------------------------------------------------


async def put_in_cart(
    uow: UnitOfWork, *, user_id: int, sku_id: int, quantity: int, share_id: int | None = None
) -> None:
    if not 1 <= quantity <= domain.MAX_QUANTITY:
        raise InvalidQuantity(field="quantity")
    async with uow:
        sku = await uow.session.get(Sku, sku_id)
        if sku is None:
            raise SkuNotFound()
        product = await uow.session.get(Product, sku.product_id)
        if product is None or product.status != "active":
            raise ProductArchived()
        if share_id is not None:
            share = await uow.session.get(Share, share_id)
            if share is None:
                raise ShareNotFound(field="share_id")
            if share.product_id != sku.product_id:
                raise ShareMismatch(field="share_id")
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
        await uow.commit()


async def remove_from_cart(uow: UnitOfWork, *, user_id: int, sku_id: int) -> None:
    async with uow:
        await uow.session.execute(
            delete(CartItem).where(CartItem.user_id == user_id, CartItem.sku_id == sku_id)
        )
        await uow.commit()
