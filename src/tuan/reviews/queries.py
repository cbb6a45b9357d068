"""Ratings people can use, counting only reviews whose authors let the viewer see their ratings.

Every view filters authors through :func:`tuan.privacy.queries.visible_owners` *before* it
aggregates, so a hidden review changes no average and no count. Around a review shown, nothing
says more than its author lets the viewer see: "verified purchase" only where the viewer may see
the author's purchases, and the trust weight only from the viewer's own ties
(:func:`tuan.trust.queries.trust_seen_by`), which no one else's hidden purchase moves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.queries import display_names
from tuan.catalog.errors import ProductNotFound
from tuan.catalog.queries import product_facts
from tuan.chat.queries import conversation_titles, member_role, members_among, message_view
from tuan.core.media import media_url, photo_alts_of
from tuan.groups.errors import GroupNotFound
from tuan.groups.queries import live_group_name
from tuan.orders.errors import OrderNotFound
from tuan.orders.queries import order_facts, products_in_order
from tuan.privacy.queries import visible_owners_by_kind
from tuan.realtime.topics import MessageView
from tuan.reviews import domain
from tuan.reviews.domain import Rating
from tuan.reviews.models import PurchaseReport, Review
from tuan.shares.queries import share_record
from tuan.social.queries import friend_ids
from tuan.trust.queries import trust_seen_by


async def visible_reviews(session: AsyncSession, product_id: int, viewer_id: int) -> list[Review]:
    """The item's reviews whose authors let ``viewer_id`` see their ratings (newest first)."""
    return (await _reviews_seen(session, product_id, viewer_id))[0]


async def _reviews_seen(
    session: AsyncSession, product_id: int, viewer_id: int
) -> tuple[list[Review], set[int]]:
    """The item's reviews the viewer may see (newest first), and the authors among them whose
    purchases the viewer may see too. One pass through the privacy gate."""
    reviews = list(
        await session.scalars(
            select(Review).where(Review.product_id == product_id).order_by(Review.id.desc())
        )
    )
    seen = await visible_owners_by_kind(
        session, viewer_id, {r.author_id for r in reviews}, ("ratings", "purchases")
    )
    shown = [r for r in reviews if r.author_id in seen["ratings"]]
    return shown, seen["purchases"] & {r.author_id for r in shown}


@dataclass(frozen=True)
class ReviewView:
    id: int
    author_id: int
    author_display_name: str
    stars: int
    text: str
    photo_urls: list[str]
    photo_alts: list[str]  # one per photo, in order: what its author says it shows, or ""
    # Every review is of a delivered order; this says so only where the viewer may see the
    # author's purchases (a review shown by the author's ratings setting must not reveal more).
    verified_purchase: bool
    author_is_friend: bool
    trust: float  # the viewer's trust in the author, 0..1, from the viewer's own ties
    created_at: datetime


@dataclass(frozen=True)
class GroupRating:
    group_id: int
    name: str
    rating: Rating


@dataclass(frozen=True)
class TrustedRating:
    average: float | None
    count: int  # reviews by authors the viewer trusts at all
    weight: float


@dataclass(frozen=True)
class RatingsView:
    product_id: int
    overall: Rating
    friends: Rating
    group: GroupRating | None
    trusted: TrustedRating
    reviews: list[ReviewView]  # negative reviews from trusted people first


async def ratings(
    session: AsyncSession,
    product_id: int,
    viewer_id: int,
    now: datetime,
    *,
    group_id: int | None = None,
    limit: int = 50,
) -> RatingsView:
    if await product_facts(session, product_id) is None:
        raise ProductNotFound()
    reviews, buyers_seen = await _reviews_seen(session, product_id, viewer_id)
    authors = {r.author_id for r in reviews}
    friends = set(await friend_ids(session, viewer_id)) & authors
    group = None
    if group_id is not None:
        name = await live_group_name(session, group_id)
        if name is None or await member_role(session, group_id, viewer_id) is None:
            raise GroupNotFound(field="group_id")
        members = await members_among(session, group_id, authors)
        group = GroupRating(
            group_id, name, domain.rating(r.stars for r in reviews if r.author_id in members)
        )
    trust = await trust_seen_by(session, viewer_id, authors, now) if reviews else {}
    average, weight = domain.weighted_rating(
        (r.stars, trust.get(r.author_id, 0.0)) for r in reviews
    )
    names = await display_names(session, authors)
    order = domain.trusted_order((r.id, r.stars, trust.get(r.author_id, 0.0)) for r in reviews)
    by_id = {r.id: r for r in reviews}
    return RatingsView(
        product_id=product_id,
        overall=domain.rating(r.stars for r in reviews),
        friends=domain.rating(r.stars for r in reviews if r.author_id in friends),
        group=group,
        trusted=TrustedRating(
            average, sum(1 for r in reviews if trust.get(r.author_id, 0.0) > 0), weight
        ),
        reviews=[
            ReviewView(
                id=r.id,
                author_id=r.author_id,
                author_display_name=names.get(r.author_id, ""),
                stars=r.stars,
                text=r.text,
                photo_urls=[media_url(k) for k in r.photos],
                photo_alts=photo_alts_of(r.photo_alts, len(r.photos)),
                verified_purchase=r.author_id in buyers_seen,
                author_is_friend=r.author_id in friends,
                trust=round(trust.get(r.author_id, 0.0), 3),
                created_at=r.created_at,
            )
            for r in (by_id[i] for i in order[:limit])
        ],
    )


@dataclass(frozen=True)
class Mentioned:
    user_id: int
    display_name: str


@dataclass(frozen=True)
class PostedReport:
    """What a "bought it" said and where: the chat (named as the buyer's chat list names it),
    the message (its place, words, the people it mentions) and when."""

    conversation_id: int
    conversation_title: str
    message_seq: int
    text: str
    mentions: list[Mentioned]
    posted_at: datetime


async def posted_report(
    session: AsyncSession, viewer_id: int, message: MessageView
) -> PostedReport:
    """``message`` (a report ``viewer_id`` posted) as :class:`PostedReport`."""
    cid = int(message["conversation_id"])
    titles = await conversation_titles(session, viewer_id, [cid])
    names = await display_names(session, message["mentions"])
    return PostedReport(
        conversation_id=cid,
        conversation_title=titles.get(cid, "?"),
        message_seq=int(message["seq"]),
        text=message["text"],
        mentions=[Mentioned(uid, names.get(uid, "?")) for uid in message["mentions"]],
        posted_at=datetime.fromisoformat(message["created_at"]),
    )


@dataclass(frozen=True)
class PostedReview:
    review_id: int
    product_id: int
    stars: int
    conversation_id: int | None
    conversation_title: str | None


@dataclass(frozen=True)
class OrderReports:
    """What the buyer already said about one order (the "bought it" report, the reviews) and
    what they may say next."""

    bought_it_conversation_id: int | None
    bought_it: PostedReport | None
    reviews: list[PostedReview]
    allowed_actions: list[str]
    products_to_review: list[int]


async def my_reports(session: AsyncSession, order_id: int, buyer_id: int) -> OrderReports:
    """The buyer's own reports on their order (an order that is not theirs is not found)."""
    order = await order_facts(session, order_id)
    if order is None or order.buyer_id != buyer_id:
        raise OrderNotFound()
    report = await session.scalar(
        select(PurchaseReport)
        .where(PurchaseReport.order_id == order_id, PurchaseReport.kind == "bought")
        .order_by(PurchaseReport.id)
        .limit(1)
    )
    told = report.conversation_id if report is not None else None
    message = (
        await message_view(session, report.conversation_id, report.message_seq)
        if report is not None
        else None
    )
    found = list(
        await session.scalars(select(Review).where(Review.order_id == order_id).order_by(Review.id))
    )
    titles = await conversation_titles(
        session, buyer_id, {r.conversation_id for r in found if r.conversation_id}
    )
    reviews = [
        PostedReview(
            r.id, r.product_id, r.stars, r.conversation_id, titles.get(r.conversation_id or 0)
        )
        for r in found
    ]
    share = await share_record(session, order.share_id) if order.share_id else None
    reviewed = {r.product_id for r in reviews}
    unreviewed = [p for p in await products_in_order(session, order_id) if p not in reviewed]
    actions = domain.order_actions(
        status=order.status,
        in_chat=share is not None and share.conversation_id is not None,
        told=told is not None,
        unreviewed=len(unreviewed),
    )
    return OrderReports(
        bought_it_conversation_id=told,
        bought_it=await posted_report(session, buyer_id, message) if message else None,
        reviews=reviews,
        allowed_actions=actions,
        products_to_review=unreviewed if domain.REVIEW in actions else [],
    )


async def report_place(session: AsyncSession, report_id: int) -> tuple[int, int] | None:
    """Where a report was posted: (conversation id, message seq); None if there is no such
    report."""
    row = (
        await session.execute(
            select(PurchaseReport.conversation_id, PurchaseReport.message_seq).where(
                PurchaseReport.id == report_id
            )
        )
    ).first()
    return (row[0], row[1]) if row else None


async def stars_posted_in(
    session: AsyncSession, conversation_ids: Sequence[int], product_ids: Collection[int]
) -> list[tuple[int, int, int]]:
    """(conversation id, product id, stars) of every review of ``product_ids`` posted into one of
    ``conversation_ids`` (for its members to read)."""
    if not conversation_ids or not product_ids:
        return []
    rows = await session.execute(
        select(Review.conversation_id, Review.product_id, Review.stars).where(
            Review.conversation_id.in_(conversation_ids), Review.product_id.in_(product_ids)
        )
    )
    return [(cid, pid, stars) for cid, pid, stars in rows if cid is not None]


# --- for proof/asks/foryou ---

# The category a recommender's record counts an outcome in when the product has none.
UNCATEGORISED = domain.UNCATEGORISED


def rating_of(stars: Iterable[int]) -> Rating:
    """Count, average and distribution of ``stars`` (ratings the caller may already count)."""
    return domain.rating(stars)


@dataclass(frozen=True)
class RatingOfShare:
    """A rating of something bought through a share: who shared it, who rated it, how."""

    sharer_id: int
    author_id: int
    category: str  # UNCATEGORISED for a product without one
    stars: int


async def ratings_of_shares_by(
    session: AsyncSession, sharer_ids: Collection[int]
) -> list[RatingOfShare]:
    """Every rating of a purchase made through a share by one of ``sharer_ids``. One statement;
    the caller filters the authors through the privacy gate."""
    if not sharer_ids:
        return []
    rows = await session.execute(
        select(Review.sharer_id, Review.author_id, Review.category, Review.stars).where(
            Review.sharer_id.in_(sharer_ids)
        )
    )
    return [
        RatingOfShare(sharer, author, category or UNCATEGORISED, stars)
        for sharer, author, category, stars in rows
        if sharer is not None
    ]


async def stars_by_authors(
    session: AsyncSession, author_ids: Collection[int]
) -> dict[int, dict[int, int]]:
    """Each of ``author_ids``' stars per product they reviewed (their latest review of it
    stands). One statement; the caller filters the authors through the privacy gate."""
    found: dict[int, dict[int, int]] = defaultdict(dict)
    if author_ids:
        for author, product, stars in await session.execute(
            select(Review.author_id, Review.product_id, Review.stars)
            .where(Review.author_id.in_(author_ids))
            .order_by(Review.id)
        ):
            found[author][product] = stars
    return dict(found)
