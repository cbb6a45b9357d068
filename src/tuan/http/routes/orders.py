"""Orders over HTTP: checkout with an Idempotency-Key, the order page, the state changes.

A buyer sees their orders, a shop owner their shop's; to anyone else an order does not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field, model_validator

from tuan.catalog.stock import StockHolds
from tuan.core.db import latest_reads
from tuan.groupbuy.queries import TeamSummary, team_summary
from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.http.schemas import MAX_ID, Currency, IdPath, Input, Money
from tuan.ledger.queries import commission_for
from tuan.orders import domain, lifecycle, service
from tuan.orders.queries import (
    LineView,
    OrderSummary,
    OrderView,
    SharerView,
    TransitionView,
    order_page,
    orders_of_buyer,
    orders_of_shop,
    placed_order_view,
)
from tuan.payments import refunds
from tuan.payments.queries import OrderMoney, PaymentView, RefundView, money_of_order

router = APIRouter(prefix="/api/v1", tags=["orders"])

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=100,
        pattern=r"^[\x21-\x7e]+$",
        description="Any unique string per intended order; a retry with the same key and body "
        "returns the same order, the same key with a different body is refused (409)",
    ),
]
Status = domain.OrderStatus


class LineIn(Input):
    sku_id: int = Field(ge=1, le=MAX_ID)
    quantity: int = Field(ge=1, le=99)
    deal_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="Buy at this deal; refused if it is not running"
    )


class CheckoutIn(Input):
    """Either ``items`` or ``shop_id`` (to order that shop's items from the cart). No prices:
    the server computes them."""

    items: list[LineIn] | None = Field(default=None, min_length=1, max_length=50)
    shop_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    share_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="Where you saw it")
    currency: Currency | None = Field(default=None, description="The currency you expect to pay")

    @model_validator(mode="after")
    def _one_source(self) -> CheckoutIn:
        if (self.items is None) == (self.shop_id is None):
            raise ValueError("give either items or shop_id (to check out that shop's cart)")
        return self


class RefundIn(Input):
    amount: Money | None = Field(default=None, description="Default: everything not yet refunded")
    reason: str = Field(default="shop_refund", pattern=r"^[a-z_]{1,40}$")


class ShipIn(Input):
    tracking: str | None = Field(default=None, max_length=100, pattern=r"^[\w\- ]*$")


class CommissionOut(BaseModel):
    """Disclosed to the buyer: who recommended this and what they earn when the order completes."""

    model_config = ConfigDict(from_attributes=True)
    sharer_id: int | None
    sharer_username: str | None
    sharer_display_name: str | None
    rate_bp: int
    amount: int
    note: Literal["none", "shared", "self_referral", "no_rate"]


class TeamSummaryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    status: Literal["forming", "open", "filled", "expired", "cancelled"]
    size: int
    paid_count: int
    deadline_at: datetime | None
    confirmed: bool


class OrderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    role: Literal["buyer", "shop_owner"]
    kind: domain.OrderKind
    status: domain.OrderStatus
    shop_id: int
    shop_name: str
    buyer_id: int
    currency: str
    subtotal: int
    total: int
    refunded_amount: int
    savings: int
    reserved_until: datetime | None
    seconds_to_pay: int | None
    share_id: int | None
    commission: CommissionOut
    team: TeamSummaryOut | None
    tracking: str | None
    placed_at: datetime
    paid_at: datetime | None
    lines: list[LineView]
    history: list[TransitionView]
    payments: list[PaymentView]
    refunds: list[RefundView]
    allowed_actions: list[domain.OrderAction] = Field(
        description="What the viewer may do now; the web app offers exactly these"
    )


def compose_order(view: OrderView, money: OrderMoney, team: TeamSummary | None) -> OrderOut:
    """The order page from its owners' parts: the order's own (orders), its payments and refunds
    (payments), its team (groupbuy) and the sharer's commission on it (ledger's arithmetic)."""
    parts = {name: getattr(view, name) for name in OrderView.__dataclass_fields__}
    sharer: SharerView = parts.pop("sharer")
    del parts["team_id"]
    confirmed = parts.pop("team_confirmed")
    return OrderOut.model_validate(
        {
            **parts,
            "commission": {
                "sharer_id": sharer.user_id,
                "sharer_username": sharer.username,
                "sharer_display_name": sharer.display_name,
                "rate_bp": sharer.rate_bp,
                "amount": commission_for(view.total - view.refunded_amount, sharer.rate_bp),
                "note": sharer.note,
            },
            "team": None if team is None else {**vars(team), "confirmed": confirmed},
            "payments": money.payments,
            "refunds": money.refunds,
        }
    )


async def order_out(container: ContainerDep, order_id: int, viewer_id: int) -> OrderOut:
    """The order page, read on a connection that goes back to the pool at once."""
    async with latest_reads(container.db) as reader:
        view = await order_page(reader, order_id, viewer_id, container.clock.now())
        money = await money_of_order(reader, order_id, refunded_amount=view.refunded_amount)
        team = await team_summary(reader, view.team_id) if view.team_id is not None else None
    return compose_order(view, money, team)


@router.post(
    "/orders",
    status_code=status.HTTP_201_CREATED,
    responses={
        **error_responses(400, 401, 404, 409, 410, 413, 422),
        200: {"model": OrderOut, "description": "A retry: the order this key created before"},
    },
)
async def checkout(
    body: CheckoutIn,
    key: IdempotencyKey,
    user: CurrentUser,
    container: ContainerDep,
    response: Response,
) -> OrderOut:
    """Place an order: prices are computed here, stock is reserved for 15 minutes until paid.

    ``409 SOLD_OUT`` means there is not enough left; nothing was reserved."""
    request_hash = domain.fingerprint("checkout", body.model_dump(mode="json"))
    if body.items is not None:
        result = await service.checkout(
            container,
            container.adapter(StockHolds),
            buyer_id=user.id,
            idempotency_key=key,
            request_hash=request_hash,
            lines=[domain.LineRequest(i.sku_id, i.quantity, i.deal_id) for i in body.items],
            share_id=body.share_id,
            currency=body.currency,
        )
    else:
        assert body.shop_id is not None
        result = await container.run(
            service.checkout_cart,
            buyer_id=user.id,
            shop_id=body.shop_id,
            idempotency_key=key,
            request_hash=request_hash,
            currency=body.currency,
        )
    if result.replayed:
        response.status_code = status.HTTP_200_OK
    placed = result.placed
    if placed is not None and placed.order.sharer_id is None and placed.order.team_id is None:
        # The order as this request wrote it: the page a read would give, without the read.
        view = placed_order_view(
            placed.order, shop_name=placed.shop_name, lines=placed.lines, now=container.clock.now()
        )
        return compose_order(view, OrderMoney(), None)
    return await order_out(container, result.order_id, user.id)


@router.get("/orders", responses=error_responses(400, 401, 422))
async def my_orders(
    user: CurrentUser,
    reader: ReaderDep,
    status_filter: Annotated[Status | None, Query(alias="status")] = None,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Order id cursor")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[OrderSummary]:
    """My orders, newest first."""
    found = await orders_of_buyer(reader, user.id, status=status_filter, before=before, limit=limit)
    return found


@router.get("/shops/{shop_id}/orders", responses=error_responses(400, 401, 403, 404, 422))
async def shop_orders(
    shop_id: IdPath,
    user: CurrentUser,
    reader: ReaderDep,
    status_filter: Annotated[Status | None, Query(alias="status")] = None,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[OrderSummary]:
    """The orders of a shop I own, newest first."""
    found = await orders_of_shop(
        reader, shop_id, user.id, status=status_filter, before=before, limit=limit
    )
    return found


@router.get("/orders/{order_id}", responses=error_responses(400, 401, 404, 422))
async def get_order(order_id: IdPath, user: CurrentUser, container: ContainerDep) -> OrderOut:
    """The order page: lines, history of every transition, payments, refunds, and the
    commission the sharer earns from it."""
    return await order_out(container, order_id, user.id)


@router.post("/orders/{order_id}/cancel", responses=error_responses(400, 401, 404, 409, 422))
async def cancel(order_id: IdPath, user: CurrentUser, container: ContainerDep) -> OrderOut:
    """Buyer: withdraw an unpaid order; the items go back on sale."""
    await container.run(lifecycle.cancel_order, order_id=order_id, actor_id=user.id)
    return await order_out(container, order_id, user.id)


@router.post("/orders/{order_id}/ship", responses=error_responses(400, 401, 404, 409, 413, 422))
async def ship(
    order_id: IdPath, user: CurrentUser, container: ContainerDep, body: ShipIn | None = None
) -> OrderOut:
    """Shop: the order is on its way."""
    await container.run(
        lifecycle.ship_order,
        order_id=order_id,
        actor_id=user.id,
        tracking=body.tracking if body else None,
    )
    return await order_out(container, order_id, user.id)


@router.post("/orders/{order_id}/deliver", responses=error_responses(400, 401, 404, 409, 422))
async def deliver(order_id: IdPath, user: CurrentUser, container: ContainerDep) -> OrderOut:
    """Shop or buyer: the order arrived."""
    await container.run(lifecycle.mark_delivered, order_id=order_id, actor_id=user.id)
    return await order_out(container, order_id, user.id)


@router.post("/orders/{order_id}/complete", responses=error_responses(400, 401, 404, 409, 422))
async def complete(order_id: IdPath, user: CurrentUser, container: ContainerDep) -> OrderOut:
    """Buyer: all is well. The sharer's commission is credited."""
    await container.run(lifecycle.complete_order, order_id=order_id, actor_id=user.id)
    return await order_out(container, order_id, user.id)


@router.post(
    "/orders/{order_id}/refunds",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 404, 409, 413, 422),
)
async def refund(
    order_id: IdPath, user: CurrentUser, container: ContainerDep, body: RefundIn | None = None
) -> OrderOut:
    """Shop: refund all of an order (the default) or part of it."""
    body = body or RefundIn()
    await container.run(
        refunds.refund_order,
        order_id=order_id,
        actor_id=user.id,
        amount=body.amount,
        reason=body.reason,
    )
    return await order_out(container, order_id, user.id)
