"""Read side of orders: an order's state and its parties, the order page (buyer or shop owner
only), order lists, and the rules other domains ask about an order.

The order page here is the order's own part; the HTTP edge adds its payments, refunds, team and
the sharer's commission from the domains that own them.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Subquery, Table, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.queries import public_names
from tuan.catalog.errors import NotShopOwner
from tuan.catalog.queries import shop_page, shops_view
from tuan.core.errors import TuanError
from tuan.orders import domain
from tuan.orders.errors import OrderNotFound
from tuan.orders.models import Order, OrderLine, OrderTransition

BUYER, SHOP_OWNER = domain.BUYER, domain.SHOP_OWNER


@dataclass(frozen=True)
class OrderState:
    """An order's row as read (or as just written): what a state change compares and sets."""

    id: int
    buyer_id: int
    shop_id: int
    kind: domain.OrderKind
    status: domain.OrderStatus
    currency: str
    subtotal: int  # at regular prices
    total: int  # what the buyer pays
    refunded_amount: int
    share_id: int | None
    sharer_id: int | None
    commission_rate_bp: int
    commission_note: str
    team_id: int | None
    team_confirmed_at: datetime | None
    reserved_until: datetime
    active_payment_ref: str | None
    placed_at: datetime
    paid_at: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    completed_at: datetime | None
    closed_at: datetime | None
    tracking: str | None
    updated_at: datetime


ORDERS = cast(Table, Order.__table__)
ORDER_COLUMNS = [ORDERS.c[name] for name in OrderState.__dataclass_fields__]


def order_state(row: Any) -> OrderState:
    """An :class:`OrderState` from a row selected with :data:`ORDER_COLUMNS` (in that order)."""
    return OrderState(*row[: len(ORDER_COLUMNS)])


async def find_order(session: AsyncSession, order_id: int) -> OrderState | None:
    row = (await session.execute(select(*ORDER_COLUMNS).where(ORDERS.c.id == order_id))).first()
    return None if row is None else order_state(row)


@dataclass(frozen=True)
class Party:
    """An order as one of its two parties sees it."""

    order: OrderState
    role: str  # buyer | shop_owner
    shop_name: str


_SHOPS = shops_view()
_ORDER_WITH_SHOP = (
    select(*ORDER_COLUMNS, _SHOPS.c.owner_id, _SHOPS.c.shop_name)
    .join(_SHOPS, _SHOPS.c.shop_id == ORDERS.c.shop_id)
    .where(ORDERS.c.id == bindparam("order_id"))
)


async def order_for_party(session: AsyncSession, order_id: int, actor_id: int) -> Party:
    """The order and the actor's role in it; anyone else is told it does not exist."""
    row = (await session.execute(_ORDER_WITH_SHOP, {"order_id": order_id})).first()
    if row is None:
        raise OrderNotFound()
    found = order_state(row)
    owner_id, shop_name = row[-2], row[-1]
    if found.buyer_id == actor_id:
        return Party(found, BUYER, shop_name)
    if owner_id == actor_id:
        return Party(found, SHOP_OWNER, shop_name)
    raise OrderNotFound()


def action_facts(order: OrderState, role: str, now: datetime) -> domain.ActionFacts:
    return domain.ActionFacts(
        status=order.status,
        role=role,
        team_order=order.kind == "team",
        team_confirmed=order.team_confirmed_at is not None,
        reservation_open=order.reserved_until > now,
        payment_in_flight=order.active_payment_ref is not None,
    )


def refusal(action: str, order: OrderState, role: str, now: datetime) -> TuanError | None:
    """Why ``role`` may not ``action`` the order now (``"pay"``, ``"refund"``…), or None."""
    return domain.refusal(action, action_facts(order, role, now))


def check_action(action: str, order: OrderState, role: str, now: datetime) -> None:
    refused = refusal(action, order, role, now)
    if refused is not None:
        raise refused


def refundable_left(order: OrderState) -> int:
    """What is paid and not yet refunded."""
    return order.total - order.refunded_amount


# --- the order page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LineView:
    product_id: int
    sku_id: int
    deal_id: int | None
    product_name: str
    sku_label: str
    regular_unit_price: int
    unit_price: int
    quantity: int
    line_total: int


@dataclass(frozen=True)
class TransitionView:
    from_status: str | None
    to_status: str
    reason: str
    amount: int | None
    at: datetime
    # What happened, as the history names it: the status it moved to, or for a step that kept
    # the status, what it was (``team_filled``, ``partial_refund``); see domain.history_step.
    step: str = ""


def transition_view(
    from_status: str | None, to_status: str, reason: str, amount: int | None, at: datetime
) -> TransitionView:
    step = domain.history_step(from_status, to_status, reason)
    return TransitionView(from_status, to_status, reason, amount, at, step)


@dataclass(frozen=True)
class SharerView:
    """Who shared what the buyer bought, and the commission rate and case the order recorded.
    ``user_id`` lets a page name the deleted user (an erased sharer) in the reader's language."""

    user_id: int | None
    username: str | None
    display_name: str | None
    rate_bp: int
    note: str  # none | shared | self_referral | no_rate


@dataclass(frozen=True)
class OrderView:
    id: int
    role: str  # buyer | shop_owner: who is looking
    kind: str
    status: str
    shop_id: int
    shop_name: str
    buyer_id: int
    currency: str
    subtotal: int
    total: int
    refunded_amount: int
    savings: int
    reserved_until: datetime | None  # only while unpaid
    seconds_to_pay: int | None
    share_id: int | None
    sharer: SharerView
    team_id: int | None
    team_confirmed: bool
    tracking: str | None
    placed_at: datetime
    paid_at: datetime | None
    lines: list[LineView]
    history: list[TransitionView]
    allowed_actions: list[str]  # what the viewer may do now (see orders.domain.ACTIONS)


_LINE_COLUMNS = [OrderLine.__table__.c[name] for name in LineView.__dataclass_fields__]
_LINES = (
    select(*_LINE_COLUMNS).where(OrderLine.order_id == bindparam("order_id")).order_by(OrderLine.id)
)
_HISTORY = (
    select(
        OrderTransition.from_status,
        OrderTransition.to_status,
        OrderTransition.reason,
        OrderTransition.amount,
        OrderTransition.at,
    )
    .where(OrderTransition.order_id == bindparam("order_id"))
    .order_by(OrderTransition.id)
)


async def order_page(
    session: AsyncSession, order_id: int, viewer_id: int, now: datetime
) -> OrderView:
    party = await order_for_party(session, order_id, viewer_id)
    lines = await session.execute(_LINES, {"order_id": order_id})
    history = await session.execute(_HISTORY, {"order_id": order_id})
    sharer_id = party.order.sharer_id
    names = await public_names(session, [sharer_id]) if sharer_id is not None else {}
    sharer = names.get(sharer_id) if sharer_id is not None else None
    return order_view(
        party.order,
        role=party.role,
        shop_name=party.shop_name,
        lines=[LineView(*line) for line in lines],
        history=[transition_view(*step) for step in history],
        sharer_username=sharer.username if sharer else None,
        sharer_display_name=sharer.display_name if sharer else None,
        now=now,
    )


def order_view(
    order: OrderState,
    *,
    role: str,
    shop_name: str,
    lines: list[LineView],
    history: list[TransitionView],
    sharer_username: str | None,
    sharer_display_name: str | None,
    now: datetime,
) -> OrderView:
    """The order page from its parts (read by :func:`order_page`, or known to the writer)."""
    unpaid = order.status == domain.PENDING
    return OrderView(
        id=order.id,
        role=role,
        kind=order.kind,
        status=order.status,
        shop_id=order.shop_id,
        shop_name=shop_name,
        buyer_id=order.buyer_id,
        currency=order.currency,
        subtotal=order.subtotal,
        total=order.total,
        refunded_amount=order.refunded_amount,
        savings=order.subtotal - order.total,
        reserved_until=order.reserved_until if unpaid else None,
        seconds_to_pay=max(0, int((order.reserved_until - now).total_seconds()))
        if unpaid
        else None,
        share_id=order.share_id,
        sharer=SharerView(
            order.sharer_id if sharer_username is not None else None,
            sharer_username,
            sharer_display_name,
            order.commission_rate_bp,
            order.commission_note,
        ),
        team_id=order.team_id,
        team_confirmed=order.team_confirmed_at is not None,
        tracking=order.tracking,
        placed_at=order.placed_at,
        paid_at=order.paid_at,
        lines=lines,
        history=history,
        allowed_actions=domain.allowed_actions(action_facts(order, role, now)),
    )


def placed_order_view(
    order: OrderState, *, shop_name: str, lines: list[LineView], now: datetime
) -> OrderView:
    """The buyer's page of an order they placed a moment ago and nobody else has touched: one
    transition, no payment yet. Only for an order without a sharer or a team (whose parts live
    in other rows)."""
    assert order.sharer_id is None and order.team_id is None
    return order_view(
        order,
        role=BUYER,
        shop_name=shop_name,
        lines=lines,
        history=[transition_view(None, domain.PENDING, "placed", order.total, order.placed_at)],
        sharer_username=None,
        sharer_display_name=None,
        now=now,
    )


# --- lists -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderSummary:
    id: int
    kind: domain.OrderKind
    status: domain.OrderStatus
    shop_id: int
    currency: str
    total: int
    refunded_amount: int
    placed_at: datetime
    item_count: int


async def _summaries(session: AsyncSession, orders: list[OrderState]) -> list[OrderSummary]:
    counts: dict[int, int] = {}
    if orders:
        for order_id, quantity in (
            await session.execute(
                select(OrderLine.order_id, OrderLine.quantity).where(
                    OrderLine.order_id.in_([o.id for o in orders])
                )
            )
        ).all():
            counts[order_id] = counts.get(order_id, 0) + quantity
    return [
        OrderSummary(
            id=o.id,
            kind=o.kind,
            status=o.status,
            shop_id=o.shop_id,
            currency=o.currency,
            total=o.total,
            refunded_amount=o.refunded_amount,
            placed_at=o.placed_at,
            item_count=counts.get(o.id, 0),
        )
        for o in orders
    ]


async def _listed(
    session: AsyncSession, where: Any, status: str | None, before: int | None, limit: int
) -> list[OrderSummary]:
    statement = select(*ORDER_COLUMNS).where(where)
    if status is not None:
        statement = statement.where(ORDERS.c.status == status)
    if before is not None:
        statement = statement.where(ORDERS.c.id < before)
    rows = await session.execute(statement.order_by(ORDERS.c.id.desc()).limit(limit))
    return await _summaries(session, [order_state(row) for row in rows])


async def orders_of_buyer(
    session: AsyncSession,
    buyer_id: int,
    *,
    status: str | None = None,
    before: int | None = None,
    limit: int = 20,
) -> list[OrderSummary]:
    return await _listed(session, ORDERS.c.buyer_id == buyer_id, status, before, limit)


async def orders_of_shop(
    session: AsyncSession,
    shop_id: int,
    owner_id: int,
    *,
    status: str | None = None,
    before: int | None = None,
    limit: int = 20,
) -> list[OrderSummary]:
    shop = await shop_page(session, shop_id)  # ShopNotFound
    if shop.owner_id != owner_id:
        raise NotShopOwner()
    return await _listed(session, ORDERS.c.shop_id == shop_id, status, before, limit)


# --- for other domains -------------------------------------------------------------------------


async def team_of_order(session: AsyncSession, order_id: int) -> int | None:
    """The team a team-purchase order belongs to."""
    return await session.scalar(select(ORDERS.c.team_id).where(ORDERS.c.id == order_id))


def unpaid(order: OrderState) -> bool:
    """The order still waits for its payment (it may take money)."""
    return order.status == domain.PENDING


# --- for the social loop (reports, reviews, share trees) ---

# An order in one of these has been paid for (and not refunded or cancelled): it counts as bought.
PURCHASED_STATUSES = (domain.PAID, domain.SHIPPED, domain.DELIVERED, domain.COMPLETED)


@dataclass(frozen=True)
class OrderFacts:
    id: int
    buyer_id: int
    shop_id: int
    status: str
    share_id: int | None  # the share the order came from
    sharer_id: int | None


async def order_facts(session: AsyncSession, order_id: int) -> OrderFacts | None:
    order = await session.get(Order, order_id)
    if order is None:
        return None
    return OrderFacts(
        order.id, order.buyer_id, order.shop_id, order.status, order.share_id, order.sharer_id
    )


async def sharers_of(session: AsyncSession, order_ids: Collection[int]) -> dict[int, int | None]:
    """order id → the sharer whose share the order came from (None: not from a share)."""
    if not order_ids:
        return {}
    rows = await session.execute(
        select(Order.id, Order.sharer_id).where(Order.id.in_(set(order_ids)))
    )
    return {order_id: sharer_id for order_id, sharer_id in rows}


async def products_in_order(session: AsyncSession, order_id: int) -> list[int]:
    """The distinct products an order's lines are for."""
    return list(
        await session.scalars(
            select(OrderLine.product_id).where(OrderLine.order_id == order_id).distinct()
        )
    )


async def purchases_through(session: AsyncSession, share_ids: list[int]) -> list[tuple[int, int]]:
    """(share id, buyer id) of each bought order that came from one of ``share_ids``."""
    if not share_ids:
        return []
    rows = await session.execute(
        select(Order.share_id, Order.buyer_id).where(
            Order.share_id.in_(share_ids), Order.status.in_(PURCHASED_STATUSES)
        )
    )
    return [(int(share_id), buyer_id) for share_id, buyer_id in rows if share_id is not None]


# --- for proof/asks/foryou ---


def purchases_view() -> Subquery:
    """What people bought, one row per order line of an order that counts as bought (paid, and
    neither cancelled nor refunded), to join on: ``order_id``, ``buyer_id``, ``product_id``,
    ``share_id`` and ``sharer_id`` (the share the order came from and its sharer, if any) and
    ``paid_at``."""
    bought = (domain.PAID, domain.SHIPPED, domain.DELIVERED, domain.COMPLETED)
    return (
        select(
            Order.id.label("order_id"),
            Order.buyer_id.label("buyer_id"),
            OrderLine.product_id.label("product_id"),
            Order.share_id.label("share_id"),
            Order.sharer_id.label("sharer_id"),
            Order.paid_at.label("paid_at"),
        )
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(Order.status.in_(bought))
        .subquery()
    )


UNDELIVERED = (domain.PENDING, domain.PAID, domain.SHIPPED)


async def undelivered_orders(
    session: AsyncSession, *, buyer_id: int | None = None, shop_ids: Collection[int] = ()
) -> list[tuple[int, int]]:
    """``(order id, shop id)`` of the orders not yet delivered (nor cancelled or refunded) that
    a buyer placed, or that shops received: what a person leaving still owes or is owed."""
    if buyer_id is None and not shop_ids:
        return []
    who = Order.buyer_id == buyer_id if buyer_id is not None else Order.shop_id.in_(shop_ids)
    rows = await session.execute(
        select(Order.id, Order.shop_id).where(who, Order.status.in_(UNDELIVERED)).order_by(Order.id)
    )
    return [(int(order_id), int(shop_id)) for order_id, shop_id in rows]
