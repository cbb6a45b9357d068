"""Trust and reputation from the social loop, each event applied exactly once.

* an order paid through someone's share: the buyer's tie to the sharer strengthens
  (``BOUGHT_ON_SHARE``) and the sharer's record in the item's category counts a purchase;
* a product shared: the sharer's record counts a share;
* a review of an item bought through a share: the sharer's record counts a rating, and a good
  one (4–5 stars) if it was good.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from tuan.catalog.models import Product
from tuan.core.events import Envelope
from tuan.core.uow import UnitOfWork
from tuan.core.wiring import Wiring
from tuan.orders.events import OrderPaid
from tuan.orders.models import Order
from tuan.reviews import domain
from tuan.reviews.events import ReviewPosted
from tuan.shares.events import ProductShared
from tuan.shares.models import Share
from tuan.trust import commands as trust
from tuan.trust.domain import GOOD_STARS, Interaction


async def on_paid(uow: UnitOfWork, envelope: Envelope) -> None:
    at = datetime.fromisoformat(envelope.occurred_at)
    order = await uow.session.get(Order, int(envelope.payload["order_id"]))
    if (
        order is None
        or order.share_id is None
        or order.sharer_id is None
        or order.sharer_id == order.buyer_id
    ):
        return
    category = await uow.session.scalar(
        select(Product.category)
        .join(Share, Share.product_id == Product.id)
        .where(Share.id == order.share_id)
    )
    await trust.record(uow, order.buyer_id, order.sharer_id, Interaction.BOUGHT_ON_SHARE, at)
    await trust.count_outcome(
        uow,
        user_id=order.sharer_id,
        category=category or domain.UNCATEGORISED,
        at=at,
        purchases=1,
    )


async def on_shared(uow: UnitOfWork, envelope: Envelope) -> None:
    at = datetime.fromisoformat(envelope.occurred_at)
    category = await uow.session.scalar(
        select(Product.category).where(Product.id == int(envelope.payload["product_id"]))
    )
    await trust.count_outcome(
        uow,
        user_id=int(envelope.payload["sharer_id"]),
        category=category or domain.UNCATEGORISED,
        at=at,
        shares=1,
    )


async def on_review(uow: UnitOfWork, envelope: Envelope) -> None:
    p = envelope.payload
    if not p.get("sharer_id") or p["sharer_id"] == p["author_id"]:
        return
    await trust.count_outcome(
        uow,
        user_id=int(p["sharer_id"]),
        category=p.get("category") or domain.UNCATEGORISED,
        at=datetime.fromisoformat(envelope.occurred_at),
        rated=1,
        rated_good=1 if int(p["stars"]) >= GOOD_STARS else 0,
    )


def register(wiring: Wiring) -> None:
    wiring.on_event(OrderPaid.topic, "loop.order_paid", on_paid)
    wiring.on_event(ProductShared.topic, "loop.product_shared", on_shared)
    wiring.on_event(ReviewPosted.topic, "loop.review_posted", on_review)
