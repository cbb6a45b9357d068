"""Read side of orders: the order page (buyer or shop owner only), order lists, the cart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Subquery, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.models import User
from tuan.catalog.errors import NotShopOwner, ShopNotFound
from tuan.catalog.models import Deal, Product, Shop, Sku
from tuan.groupbuy.models import Team
from tuan.ledger.domain import commission_for
from tuan.orders import domain
from tuan.orders.lifecycle import order_and_shop_for_party
from tuan.orders.models import CartItem, Order, OrderLine, OrderTransition
from tuan.payments.models import Payment, Refund


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


@dataclass(frozen=True)
class PaymentView:
    id: int
    reference: str
    provider: str
    amount: int
    status: str
    failure_reason: str | None
    created_at: datetime


@dataclass(frozen=True)
class RefundView:
    id: int
    amount: int
    reason: str
    status: str
    created_at: datetime


@dataclass(frozen=True)
class CommissionDisclosure:
    """What the buyer is told: who shared this with them and what that person earns from it."""

    sharer_username: str | None
    sharer_display_name: str | None
    rate_bp: int
    amount: int  # on what the buyer pays now (after refunds)
    note: str  # none | shared | self_referral | no_rate


@dataclass(frozen=True)
class TeamSummary:
    id: int
    status: str
    size: int
    paid_count: int
    deadline_at: datetime | None
    confirmed: bool


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
    commission: CommissionDisclosure
    team: TeamSummary | None
    tracking: str | None
    placed_at: datetime
    paid_at: datetime | None
    lines: list[LineView]
    history: list[TransitionView]
    payments: list[PaymentView]
    refunds: list[RefundView]


@dataclass(frozen=True)
class OrderSummary:
    id: int
    kind: str
    status: str
    shop_id: int
    currency: str
    total: int
    refunded_amount: int
    placed_at: datetime
    item_count: int


async def order_page(
    session: AsyncSession, order_id: int, viewer_id: int, now: datetime
) -> OrderView:
    order, shop, role = await order_and_shop_for_party(session, order_id, viewer_id)
    lines = (
        await session.scalars(
            select(OrderLine).where(OrderLine.order_id == order_id).order_by(OrderLine.id)
        )
    ).all()
    history = (
        await session.scalars(
            select(OrderTransition)
            .where(OrderTransition.order_id == order_id)
            .order_by(OrderTransition.id)
        )
    ).all()
    payments = (
        await session.scalars(
            select(Payment).where(Payment.order_id == order_id).order_by(Payment.id)
        )
    ).all()
    refunds = (
        (
            await session.scalars(
                select(Refund).where(Refund.order_id == order_id).order_by(Refund.id)
            )
        ).all()
        if order.refunded_amount or any(p.status == "refunded" for p in payments)
        else []
    )
    sharer = await session.get(User, order.sharer_id) if order.sharer_id else None
    team = await session.get(Team, order.team_id) if order.team_id else None
    return order_view(
        order,
        role=role,
        shop_id=shop.id,
        shop_name=shop.name,
        lines=[
            LineView(
                product_id=line.product_id,
                sku_id=line.sku_id,
                deal_id=line.deal_id,
                product_name=line.product_name,
                sku_label=line.sku_label,
                regular_unit_price=line.regular_unit_price,
                unit_price=line.unit_price,
                quantity=line.quantity,
                line_total=line.line_total,
            )
            for line in lines
        ],
        history=[
            TransitionView(t.from_status, t.to_status, t.reason, t.amount, t.at) for t in history
        ],
        payments=[
            PaymentView(
                p.id, p.reference, p.provider, p.amount, p.status, p.failure_reason, p.created_at
            )
            for p in payments
        ],
        refunds=[RefundView(r.id, r.amount, r.reason, r.status, r.created_at) for r in refunds],
        sharer=sharer,
        team=team,
        now=now,
    )


def order_view(
    order: Order,
    *,
    role: str,
    shop_id: int,
    shop_name: str,
    lines: list[LineView],
    history: list[TransitionView],
    payments: list[PaymentView],
    refunds: list[RefundView],
    sharer: User | None,
    team: Team | None,
    now: datetime,
) -> OrderView:
    """The order page from its parts (read by :func:`order_page`, or known to the writer)."""
    unpaid = order.status == domain.PENDING
    return OrderView(
        id=order.id,
        role=role,
        kind=order.kind,
        status=order.status,
        shop_id=shop_id,
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
        commission=CommissionDisclosure(
            sharer_username=sharer.username if sharer else None,
            sharer_display_name=sharer.display_name if sharer else None,
            rate_bp=order.commission_rate_bp,
            amount=commission_for(order.total - order.refunded_amount, order.commission_rate_bp),
            note=order.commission_note,
        ),
        team=TeamSummary(
            id=team.id,
            status=team.status,
            size=team.size,
            paid_count=team.paid_count,
            deadline_at=team.deadline_at,
            confirmed=order.team_confirmed_at is not None,
        )
        if team
        else None,
        tracking=order.tracking,
        placed_at=order.placed_at,
        paid_at=order.paid_at,
        lines=lines,
        history=history,
        payments=payments,
        refunds=refunds,
    )


def placed_order_view(
    order: Order, *, shop_name: str, lines: list[LineView], now: datetime
) -> OrderView:
    """The buyer's page of an order they placed a moment ago and nobody else has touched: no
    payments or refunds yet, one transition. Only for an order without a sharer or a team (whose
    parts live in other rows)."""
    assert order.sharer_id is None and order.team_id is None
    return order_view(
        order,
        role="buyer",
        shop_id=order.shop_id,
        shop_name=shop_name,
        lines=lines,
        history=[TransitionView(None, domain.PENDING, "placed", order.total, order.placed_at)],
        payments=[],
        refunds=[],
        sharer=None,
        team=None,
        now=now,
    )


async def _summaries(session: AsyncSession, orders: list[Order]) -> list[OrderSummary]:
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


async def orders_of_buyer(
    session: AsyncSession,
    buyer_id: int,
    *,
    status: str | None = None,
    before: int | None = None,
    limit: int = 20,
) -> list[OrderSummary]:
    statement = select(Order).where(Order.buyer_id == buyer_id)
    if status is not None:
        statement = statement.where(Order.status == status)
    if before is not None:
        statement = statement.where(Order.id < before)
    orders = (await session.scalars(statement.order_by(Order.id.desc()).limit(limit))).all()
    return await _summaries(session, list(orders))


async def orders_of_shop(
    session: AsyncSession,
    shop_id: int,
    owner_id: int,
    *,
    status: str | None = None,
    before: int | None = None,
    limit: int = 20,
) -> list[OrderSummary]:
    shop = await session.get(Shop, shop_id)
    if shop is None:
        raise ShopNotFound()
    if shop.owner_id != owner_id:
        raise NotShopOwner()
    statement = select(Order).where(Order.shop_id == shop_id)
    if status is not None:
        statement = statement.where(Order.status == status)
    if before is not None:
        statement = statement.where(Order.id < before)
    orders = (await session.scalars(statement.order_by(Order.id.desc()).limit(limit))).all()
    return await _summaries(session, list(orders))


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
    available: bool
    share_id: int | None


@dataclass(frozen=True)
class CartView:
    lines: list[CartLine]


async def cart_page(session: AsyncSession, user_id: int, now: datetime) -> CartView:
    rows = (
        await session.execute(
            select(CartItem, Sku, Product)
            .join(Sku, Sku.id == CartItem.sku_id)
            .join(Product, Product.id == Sku.product_id)
            .where(CartItem.user_id == user_id)
            .order_by(CartItem.added_at, CartItem.sku_id)
        )
    ).all()
    running = {
        deal.sku_id: deal.price
        for deal in (
            await session.scalars(
                select(Deal).where(
                    Deal.sku_id.in_([r[1].id for r in rows]),
                    Deal.starts_at <= now,
                    Deal.ends_at > now,
                    Deal.sold < Deal.stock_cap,
                )
            )
        ).all()
    }
    return CartView(
        lines=[
            CartLine(
                sku_id=sku.id,
                product_id=product.id,
                shop_id=product.shop_id,
                product_name=product.name,
                sku_label=sku.label,
                currency=product.currency,
                unit_price=running.get(sku.id, sku.price),
                quantity=item.quantity,
                available=product.status == "active" and sku.stock >= item.quantity,
                share_id=item.share_id,
            )
            for item, sku, product in rows
        ]
    )


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
