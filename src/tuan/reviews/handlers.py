"""Trust and reputation from the social loop, each event applied exactly once.

* an order paid through someone's share: the buyer's tie to the sharer strengthens
  (``BOUGHT_ON_SHARE``) and the sharer's record in the item's category counts a purchase;
* a product shared: the sharer's record counts a share;
* a review of an item bought through a share: the sharer's record counts a rating, and a good
  one (4–5 stars) if it was good.
"""

from __future__ import annotations

from tuan.catalog.queries import product_facts
from tuan.core.events import Envelope
from tuan.core.uow import UnitOfWork
from tuan.core.wiring import Wiring
from tuan.orders.events import OrderPaid
from tuan.orders.queries import order_facts
from tuan.reviews import domain
from tuan.reviews.events import ReviewPosted
from tuan.shares.events import ProductShared
from tuan.shares.queries import share_record
from tuan.trust import commands as trust


async def _category(uow: UnitOfWork, product_id: int) -> str:
    product = await product_facts(uow.session, product_id)
    return (product.category if product else None) or domain.UNCATEGORISED


async def on_paid(uow: UnitOfWork, envelope: Envelope) -> None:
    at = envelope.at
    order = await order_facts(uow.session, OrderPaid.decode(envelope).order_id)
    if (
        order is None
        or order.share_id is None
        or order.sharer_id is None
        or order.sharer_id == order.buyer_id
    ):
        return
    share = await share_record(uow.session, order.share_id)
    category = await _category(uow, share.product_id) if share else domain.UNCATEGORISED
    await trust.bought_on_share(uow, buyer_id=order.buyer_id, sharer_id=order.sharer_id, at=at)
    await trust.count_outcome(uow, user_id=order.sharer_id, category=category, at=at, purchases=1)


async def on_shared(uow: UnitOfWork, envelope: Envelope) -> None:
    shared = ProductShared.decode(envelope)
    await trust.count_outcome(
        uow,
        user_id=shared.sharer_id,
        category=await _category(uow, shared.product_id),
        at=envelope.at,
        shares=1,
    )


async def on_review(uow: UnitOfWork, envelope: Envelope) -> None:
    review = ReviewPosted.decode(envelope)
    if review.sharer_id is None or review.sharer_id == review.author_id:
        return
    await trust.count_rating(
        uow,
        user_id=review.sharer_id,
        category=review.category or domain.UNCATEGORISED,
        at=envelope.at,
        stars=review.stars,
    )


def register(wiring: Wiring) -> None:
    wiring.on_event(OrderPaid.topic, "loop.order_paid", on_paid)
    wiring.on_event(ProductShared.topic, "loop.product_shared", on_shared)
    wiring.on_event(ReviewPosted.topic, "loop.review_posted", on_review)
