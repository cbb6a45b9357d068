"""Checkout: pricing on the server, the order's rows and the stock reservation, once per key.

A checkout is one transaction. Its idempotency key is recorded first (a retry is answered with
the order the key made, :mod:`tuan.orders.idempotency`); then the order, its lines, its first
transition, its expiry job and its outbox event are written; the conditional stock updates come
last, just before commit, so the hot SKU's row is locked for as short a time as the database
allows. If any unit is missing the whole transaction rolls back: no order, no key, no stock taken.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, cast

from sqlalchemy import Table, delete, insert, select

from tuan.catalog.commands import (
    consume_holds,
    take_customer_allowance,
    take_deal_units,
    take_stock,
)
from tuan.catalog.errors import (
    DealSoldOut,
    OverCustomerLimit,
    ProductArchived,
    SkuNotFound,
    SoldOut,
)
from tuan.catalog.queries import (
    Buyable,
    DealTerms,
    buyables,
    deal_terms,
    skus_view,
    stock_left,
)
from tuan.core.scheduler import schedule
from tuan.core.uow import Transactor, UnitOfWork
from tuan.orders import domain
from tuan.orders.errors import MixedShops
from tuan.orders.events import OrderPlaced
from tuan.orders.idempotency import IdempotencyClaim, point_key_at, record_key
from tuan.orders.lifecycle import write_transition
from tuan.orders.models import CartItem, Order, OrderLine
from tuan.orders.queries import LineView, OrderState
from tuan.shares.queries import attribution, seen_share_ids

EXPIRE_RESERVATION = "orders.expire_reservation"


class StockHolds(Protocol):
    """The stock-holds adapter (``tuan.catalog.stock.StockHolds``) as checkout uses it."""

    @property
    def enabled(self) -> bool: ...

    async def take(self, wanted: Sequence[tuple[int, int]]) -> dict[int, int]: ...

    async def release(self, hold_ids: Iterable[int]) -> None: ...


@dataclass(frozen=True)
class TeamPricing:
    """Checkout terms for a team-purchase order: every unit at the team's price."""

    team_id: int
    team_price: int


@dataclass(frozen=True)
class PlacedOrder:
    """An order just placed, as written: what its page shows, without reading it back."""

    order: OrderState
    shop_name: str
    lines: list[LineView]


@dataclass(frozen=True)
class CheckoutResult:
    order_id: int
    replayed: bool
    placed: PlacedOrder | None = None  # the new order as written (not for a replay)


async def once_per_key(
    uow: UnitOfWork,
    claim: IdempotencyClaim,
    place: Callable[[UnitOfWork], Awaitable[PlacedOrder]],
) -> CheckoutResult:
    """Run ``place`` (which places one order, recording ``claim`` with it) unless the key made
    an order before: then that order is the answer (see :mod:`tuan.orders.idempotency`)."""
    earlier = await record_key(uow, claim)
    if earlier is not None:
        return CheckoutResult(order_id=earlier, replayed=True)
    placed = await place(uow)
    return CheckoutResult(order_id=placed.order.id, replayed=False, placed=placed)


# --- placing an order --------------------------------------------------------------------------

# Built once, run on tables (not through the ORM's unit of work): a flash sale is CPU-bound.
_INSERT_ORDER = insert(cast(Table, Order.__table__)).returning(Order.__table__.c.id)
_INSERT_LINES = insert(cast(Table, OrderLine.__table__))


def _priced_lines(
    merged: Sequence[domain.LineRequest],
    found: Mapping[int, Buyable],
    requested: Mapping[int, DealTerms],
    team: TeamPricing | None,
    now: datetime,
) -> list[domain.PricedLine]:
    priced = []
    for index, line in enumerate(merged):
        item = found.get(line.sku_id)
        if item is None:
            raise SkuNotFound(f"There is no SKU {line.sku_id}.", field=f"items.{index}.sku_id")
        if item.product_status != "active":
            raise ProductArchived(field=f"items.{index}.sku_id")
        priced.append(
            domain.price_line(
                index=index,
                sku_id=line.sku_id,
                quantity=line.quantity,
                regular_price=item.price,
                now=now,
                running_deal=item.deal,
                requested_deal=requested.get(line.deal_id) if line.deal_id else None,
                requested_deal_id=line.deal_id,
                team_price=team.team_price if team is not None else None,
                team=team is not None,
            )
        )
    return priced


async def _sharer(
    uow: UnitOfWork, buyer_id: int, share_id: int | None, found: Mapping[int, Buyable]
) -> int | None:
    """Whose share the order came from: one the buyer could have seen, about a product being
    bought (ADR 0008)."""
    if share_id is None:
        return None
    products = {item.product_id for item in found.values()}
    share = await attribution(uow.session, share_id, buyer_id=buyer_id, product_ids=products)
    return share.sharer_id


async def place_order(
    uow: UnitOfWork,
    *,
    buyer_id: int,
    lines: Sequence[domain.LineRequest],
    share_id: int | None = None,
    currency: str | None = None,
    team: TeamPricing | None = None,
    claim: IdempotencyClaim | None = None,
    holds: Mapping[int, int] | None = None,
) -> PlacedOrder:
    """Price, record and reserve an order inside the caller's transaction (see module doc);
    ``claim`` (recorded by :func:`once_per_key`) is pointed at it."""
    session, now = uow.session, uow.now
    merged = domain.merge_lines(lines)
    found = await buyables(session, [line.sku_id for line in merged], now)
    requested = await deal_terms(session, (m.deal_id for m in merged if m.deal_id is not None))
    priced = _priced_lines(merged, found, requested, team, now)
    if len({item.shop_id for item in found.values()}) != 1:
        raise MixedShops(field="items")
    shop = next(iter(found.values()))
    order_currency = domain.check_currencies([i.currency for i in found.values()], currency)
    sharer_id = await _sharer(uow, buyer_id, share_id, found)
    values = _new_order(
        buyer_id=buyer_id,
        shop=shop,
        currency=order_currency,
        priced=priced,
        share_id=share_id,
        sharer_id=sharer_id,
        team=team,
        now=now,
    )
    order_id = (await session.execute(_INSERT_ORDER, values)).scalar_one()
    order = OrderState(id=order_id, **values)  # type: ignore[arg-type]
    written = [
        LineView(
            product_id=found[p.sku_id].product_id,
            sku_id=p.sku_id,
            deal_id=p.deal.id if p.deal else None,
            product_name=found[p.sku_id].product_name,
            sku_label=found[p.sku_id].sku_label,
            regular_unit_price=p.regular_unit_price,
            unit_price=p.unit_price,
            quantity=p.quantity,
            line_total=p.total,
        )
        for p in priced
    ]
    # One executemany for all lines (their ids are never needed here).
    await session.execute(_INSERT_LINES, [{"order_id": order_id, **vars(w)} for w in written])
    await _record_placement(uow, order)
    if claim is not None:
        await point_key_at(uow, claim, order_id)
    await _reserve(uow, buyer_id, priced, holds)
    return PlacedOrder(order=order, shop_name=shop.shop_name, lines=written)


def _new_order(
    *,
    buyer_id: int,
    shop: Buyable,
    currency: str,
    priced: Sequence[domain.PricedLine],
    share_id: int | None,
    sharer_id: int | None,
    team: TeamPricing | None,
    now: datetime,
) -> dict[str, object]:
    """The columns of a new order: totals from the priced lines, the sharer's commission fixed
    now (none for buying through one's own share), reserved for :data:`domain.RESERVATION`."""
    rate = shop.commission_rate_bp if sharer_id not in (None, buyer_id) else 0
    return {
        "buyer_id": buyer_id,
        "shop_id": shop.shop_id,
        "kind": "team" if team else "regular",
        "status": domain.PENDING,
        "currency": currency,
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


async def _record_placement(uow: UnitOfWork, order: OrderState) -> None:
    """The order's first transition, its reservation's deadline and its ``OrderPlaced`` event."""
    await write_transition(
        uow,
        order_id=order.id,
        from_status=None,
        to_status=domain.PENDING,
        reason="placed",
        amount=order.total,
        actor_id=order.buyer_id,
    )
    await schedule(  # the reservation's deadline
        uow.session,
        kind=EXPIRE_RESERVATION,
        key=f"order:{order.id}",
        run_at=order.reserved_until,
        now=uow.now,
        payload={"order_id": order.id},
    )
    uow.emit(
        OrderPlaced(
            order_id=order.id,
            buyer_id=order.buyer_id,
            shop_id=order.shop_id,
            total=order.total,
            currency=order.currency,
            share_id=order.share_id,
        )
    )


async def _reserve(
    uow: UnitOfWork,
    buyer_id: int,
    priced: Sequence[domain.PricedLine],
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
        limit = line.deal.per_customer_limit
        if not await take_customer_allowance(uow, line.deal.id, buyer_id, line.quantity, limit):
            raise OverCustomerLimit(
                field=f"items.{index}.quantity", details={"reason": "held", "limit": limit}
            )
        if not await take_deal_units(uow, line.deal.id, line.quantity):
            raise DealSoldOut(field=f"items.{index}.sku_id")
    consumed = await consume_holds(uow, holds.values()) if holds else set()
    for index, line in enumerate(priced):
        hold = holds.get(line.sku_id) if holds is not None else None
        if hold is not None and hold in consumed:
            continue
        if (holds is None or hold is not None) and await take_stock(
            uow, line.sku_id, line.quantity
        ):
            continue
        left = await stock_left(uow.session, line.sku_id)
        if not left:
            raise SoldOut(field=f"items.{index}.sku_id")
        raise SoldOut(
            field=f"items.{index}.quantity",
            details={"reason": "only_left", "left": left, "asked": line.quantity},
        )


# --- the two ways in: a list of items, or one shop's part of the cart --------------------------


async def checkout(
    transactor: Transactor,
    holds: StockHolds,
    *,
    buyer_id: int,
    idempotency_key: str,
    request_hash: str,
    lines: Sequence[domain.LineRequest],
    share_id: int | None = None,
    currency: str | None = None,
) -> CheckoutResult:
    """Order ``lines``. Takes a Transactor, not a unit of work: on PostgreSQL the stock is held
    in autocommitted statements *before* the order's transaction (a hot SKU's row lock is then
    never held across it), and holds the order did not consume are given back *after* it
    rolled back or replayed an earlier order."""
    claim = IdempotencyClaim(buyer_id, idempotency_key, request_hash)
    merged = domain.merge_lines(lines)
    held = await holds.take([(m.sku_id, m.quantity) for m in merged])

    async def place(uow: UnitOfWork) -> PlacedOrder:
        return await place_order(
            uow,
            buyer_id=buyer_id,
            lines=merged,
            share_id=share_id,
            currency=currency,
            claim=claim,
            holds=held if holds.enabled else None,
        )

    consumed = False
    try:
        result = await transactor.run(once_per_key, claim, place)
        consumed = not result.replayed
        return result
    finally:
        if held and not consumed:
            await holds.release(held.values())


async def checkout_cart(
    uow: UnitOfWork,
    *,
    buyer_id: int,
    shop_id: int,
    idempotency_key: str,
    request_hash: str,
    currency: str | None = None,
) -> CheckoutResult:
    """Order the cart's items from one shop; they leave the cart in the same transaction."""
    claim = IdempotencyClaim(buyer_id, idempotency_key, request_hash)

    async def place(uow: UnitOfWork) -> PlacedOrder:
        skus = skus_view()
        rows = (
            await uow.session.execute(
                select(CartItem.sku_id, CartItem.quantity, CartItem.share_id)
                .join(skus, skus.c.sku_id == CartItem.sku_id)
                .where(CartItem.user_id == buyer_id, skus.c.shop_id == shop_id)
                .order_by(CartItem.sku_id)
            )
        ).all()
        # A share the buyer can no longer see (they left its chat) is dropped, not refused:
        # the cart was filled in good faith and checking out must still work (ADR 0008).
        share_ids = await seen_share_ids(
            uow.session, {r.share_id for r in rows if r.share_id is not None}, buyer_id
        )
        placed = await place_order(
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
        return placed

    return await once_per_key(uow, claim, place)
