"""Purchase reports and reviews: a buyer's word, posted where the recommendation came from.

"Bought it" needs a paid order that came from a share in a chat; a review needs a delivered (or
completed) order of the item. Both are posted as server-made messages into the share's
conversation, mentioning the sharer, in the same transaction that stores them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tuan.catalog.queries import ProductFacts, product_facts
from tuan.chat import queries as chat
from tuan.chat.commands import check_words, post_server_message, register_server_kinds
from tuan.core.errors import TuanError
from tuan.core.media import check_photo_alts
from tuan.core.uow import UnitOfWork
from tuan.groups.queries import live_group_name
from tuan.orders.errors import OrderNotFound
from tuan.orders.queries import OrderFacts, order_facts, products_in_order, sharers_of
from tuan.reviews import domain
from tuan.reviews.errors import (
    AlreadyReported,
    AlreadyReviewed,
    NoShareConversation,
    NotABuyer,
    NotYetDelivered,
    NotYetPaid,
    ProductNotInOrder,
)
from tuan.reviews.events import PurchaseReported, ReviewPosted
from tuan.reviews.models import PurchaseReport, Review
from tuan.reviews.queries import PostedReport, posted_report
from tuan.shares.queries import ShareRecord, share_record

register_server_kinds(domain.BOUGHT_KIND, domain.REVIEW_KIND, domain.DIGEST_KIND)


@dataclass(frozen=True)
class Reported:
    report_id: int
    conversation_id: int
    message_seq: int
    posted: PostedReport  # what the message says, and the chat's name


@dataclass(frozen=True)
class Reviewed:
    review_id: int
    report_id: int | None
    conversation_id: int | None
    message_seq: int | None


async def _add_once(uow: UnitOfWork, row: Review | PurchaseReport, refusal: TuanError) -> None:
    """Store ``row``, or refuse with ``refusal`` if its unique key (one per order and product)
    is taken; the transaction stays usable either way."""
    try:
        async with uow.session.begin_nested():
            uow.session.add(row)
            await uow.session.flush()
    except IntegrityError:
        raise refusal from None


async def _buyers_order(uow: UnitOfWork, order_id: int, buyer_id: int) -> OrderFacts:
    order = await order_facts(uow.session, order_id)
    if order is None:
        raise OrderNotFound()
    if order.buyer_id != buyer_id:
        raise NotABuyer()
    return order


async def _product(uow: UnitOfWork, product_id: int) -> ProductFacts:
    product = await product_facts(uow.session, product_id)
    assert product is not None  # an order's or a share's product is never deleted
    return product


async def _share_of(uow: UnitOfWork, order: OrderFacts) -> ShareRecord | None:
    return await share_record(uow.session, order.share_id) if order.share_id else None


async def report_bought(
    uow: UnitOfWork, *, order_id: int, buyer_id: int, text: str = ""
) -> Reported:
    """After paying: "bought it" into the conversation the share came from, @ the sharer, as a
    new message from the buyer with their words (ADR 0010).

    Without words of the buyer's the message has no text: its kind says what it is."""
    words = check_words(text)
    order = await _buyers_order(uow, order_id, buyer_id)
    if order.status not in domain.REPORTABLE:
        raise NotYetPaid()
    share = await _share_of(uow, order)
    if share is None or share.conversation_id is None:
        raise NoShareConversation()
    if not await chat.may_post(uow.session, share.conversation_id, buyer_id):
        raise NoShareConversation("You are no longer in the conversation this share came from.")
    product = await _product(uow, share.product_id)
    report = PurchaseReport(
        kind="bought",
        order_id=order.id,
        product_id=product.id,
        author_id=buyer_id,
        conversation_id=share.conversation_id,
        message_seq=0,
        created_at=uow.now,
    )
    await _add_once(uow, report, AlreadyReported())
    sharer_id = share.sharer_id if share.sharer_id != buyer_id else None
    view = await post_server_message(
        uow,
        conversation_id=share.conversation_id,
        sender_id=buyer_id,
        kind=domain.BOUGHT_KIND,
        text=words,
        payload={
            "report_id": report.id,
            "share_id": share.id,
            "product_id": product.id,
            "product_name": product.name,
            "sharer_id": share.sharer_id,
        },
        mentions=[sharer_id] if sharer_id else [],
        ping=await _ping(uow, report, sharer_id, has_words=bool(words)),
    )
    report.message_seq = int(view["seq"])
    uow.emit(
        PurchaseReported(
            report_id=report.id,
            order_id=order.id,
            buyer_id=buyer_id,
            sharer_id=sharer_id,
            conversation_id=share.conversation_id,
        )
    )
    posted = await posted_report(uow.session, buyer_id, view)
    return Reported(report.id, share.conversation_id, report.message_seq, posted)


async def _ping(
    uow: UnitOfWork, report: PurchaseReport, sharer_id: int | None, *, has_words: bool
) -> str | None:
    """What the sharer's notification of ``report`` says, if they get one: in a busy group a
    wordless report is part of the sharer's digest (``in_digest``), which pings them once per
    window."""
    if sharer_id is None:
        return None
    recent = await _recent_reports(uow, report.conversation_id, report.id)
    busy = (
        len(recent) >= domain.DIGEST_AFTER
        and await live_group_name(uow.session, report.conversation_id) is not None
    )
    report.in_digest = busy and not has_words
    folded = [r.order_id for r in recent if r.in_digest]
    sharers = await sharers_of(uow.session, folded)
    return domain.report_ping(
        has_words=has_words,
        busy=busy,
        sharer_pinged=any(sharers.get(oid) == sharer_id for oid in folded),
    )


async def _recent_reports(
    uow: UnitOfWork, conversation_id: int, except_id: int
) -> list[PurchaseReport]:
    """This conversation's "bought it" reports within the digest window, oldest first."""
    return list(
        await uow.session.scalars(
            select(PurchaseReport)
            .where(
                PurchaseReport.conversation_id == conversation_id,
                PurchaseReport.kind == "bought",
                PurchaseReport.created_at > uow.now - domain.DIGEST_WINDOW,
                PurchaseReport.id != except_id,
            )
            .order_by(PurchaseReport.id)
        )
    )


async def _product_in(uow: UnitOfWork, order: OrderFacts, product_id: int | None) -> int:
    in_order = await products_in_order(uow.session, order.id)
    if product_id is None:
        if len(in_order) == 1:
            return in_order[0]
        raise ProductNotInOrder(
            "This order has several items: say which one you review.", field="product_id"
        )
    if product_id not in in_order:
        raise ProductNotInOrder(field="product_id")
    return product_id


async def write_review(
    uow: UnitOfWork,
    *,
    order_id: int,
    author_id: int,
    stars: int,
    text: str = "",
    photos: Sequence[str] = (),
    photo_alts: Sequence[str] = (),
    product_id: int | None = None,
    post_to_chat: bool = True,
) -> Reviewed:
    """After delivery: a verified-purchase review, posted as a report card where the share was.
    ``photo_alts`` describes the photos, one each in order (or none)."""
    stars = domain.check_stars(stars)
    words = check_words(text)
    keys, alts = check_photo_alts(photos, photo_alts)
    order = await _buyers_order(uow, order_id, author_id)
    if order.status in ("paid", "shipped"):
        raise NotYetDelivered()
    if order.status not in domain.REVIEWABLE:
        raise NotABuyer("Only a delivered order can be reviewed.")
    product = await _product(uow, await _product_in(uow, order, product_id))
    share = await _share_of(uow, order)
    sharer_id = order.sharer_id if order.sharer_id != author_id else None
    conversation_id = None
    if (
        post_to_chat
        and share is not None
        and share.conversation_id is not None
        and share.product_id == product.id
        and await chat.may_post(uow.session, share.conversation_id, author_id)
    ):
        conversation_id = share.conversation_id
    review = Review(
        order_id=order.id,
        product_id=product.id,
        author_id=author_id,
        shop_id=order.shop_id,
        share_id=order.share_id,
        sharer_id=sharer_id,
        conversation_id=conversation_id,
        category=product.category,
        stars=stars,
        text=words,
        photos=keys,
        photo_alts=alts,
        created_at=uow.now,
    )
    await _add_once(uow, review, AlreadyReviewed())
    report_id, seq = None, None
    if conversation_id is not None and share is not None:
        report_id, seq = await _post_review(uow, review, share, product)
    uow.emit(
        ReviewPosted(
            review_id=review.id,
            order_id=order.id,
            product_id=product.id,
            author_id=author_id,
            sharer_id=sharer_id,
            category=product.category,
            stars=stars,
        )
    )
    return Reviewed(review.id, report_id, conversation_id, seq)


async def _post_review(
    uow: UnitOfWork, review: Review, share: ShareRecord, product: ProductFacts
) -> tuple[int, int]:
    """The review's card where the share was, mentioning the sharer; (report id, its seq)."""
    assert review.conversation_id is not None
    report = PurchaseReport(
        kind="review",
        order_id=review.order_id,
        product_id=review.product_id,
        author_id=review.author_id,
        conversation_id=review.conversation_id,
        message_seq=0,
        review_id=review.id,
        created_at=uow.now,
    )
    uow.session.add(report)
    await uow.session.flush()
    view = await post_server_message(
        uow,
        conversation_id=review.conversation_id,
        sender_id=review.author_id,
        kind=domain.REVIEW_KIND,
        text=review.text,
        payload={
            "report_id": report.id,
            "review_id": review.id,
            "share_id": share.id,
            "product_id": review.product_id,
            "product_name": product.name,
            "stars": review.stars,
            "photos": review.photos,
            "photo_alts": review.photo_alts,
            "verified_purchase": True,
        },
        mentions=[share.sharer_id] if share.sharer_id != review.author_id else [],
    )
    report.message_seq = int(view["seq"])
    return report.id, report.message_seq
