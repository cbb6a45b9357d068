"""Social proof and reputation, private by default.

Four views of an item for a viewer — friends who bought it, friends' ratings and reviews, the
viewer's groups that bought it (with member counts) and each of those groups' rating — and a
recommender's reputation. Every purchase and every rating passes
:func:`tuan.privacy.queries.visible_owners` before it is listed *or counted*; blocked people
(either way) are never visible, and a purchase hidden from the viewer is in no number.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.models import User
from tuan.cards.domain import PURCHASED_STATUSES
from tuan.catalog.errors import ProductNotFound
from tuan.catalog.models import Product
from tuan.chat.models import Member
from tuan.groups.queries import groups_of
from tuan.orders.models import Order, OrderLine
from tuan.privacy.queries import visible_owners
from tuan.reviews import domain as reviews_domain
from tuan.reviews.domain import Rating
from tuan.reviews.models import Review
from tuan.reviews.queries import visible_reviews
from tuan.shares.models import Share
from tuan.social.queries import blocked_among, blocked_either_way, friend_ids
from tuan.trust.domain import GOOD_STARS, ReputationRecord, explain_reputation
from tuan.trust.models import Reputation
from tuan.trust.queries import reputation


@dataclass(frozen=True)
class PersonRef:
    id: int
    display_name: str


@dataclass(frozen=True)
class FriendReview:
    author: PersonRef
    stars: int
    text: str


@dataclass(frozen=True)
class GroupPurchases:
    group_id: int
    name: str
    member_count: int
    buyers: int  # members whose purchase of the item the viewer may see


@dataclass(frozen=True)
class GroupRatingLine:
    group_id: int
    name: str
    rating: Rating


@dataclass(frozen=True)
class SocialProof:
    product_id: int
    friends_who_bought: list[PersonRef]
    friends_reviews: list[FriendReview]
    groups_that_bought: list[GroupPurchases]
    group_ratings: list[GroupRatingLine]


async def buyers_of(session: AsyncSession, product_id: int) -> set[int]:
    """Everyone holding a paid (not cancelled, not refunded) order of the item."""
    return set(
        await session.scalars(
            select(Order.buyer_id)
            .join(OrderLine, OrderLine.order_id == Order.id)
            .where(OrderLine.product_id == product_id, Order.status.in_(PURCHASED_STATUSES))
            .distinct()
        )
    )


async def _names(session: AsyncSession, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return dict(rows.all())


async def _members_by_group(
    session: AsyncSession, group_ids: list[int], user_ids: set[int]
) -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    if not group_ids or not user_ids:
        return found
    for group_id, user_id in await session.execute(
        select(Member.conversation_id, Member.user_id).where(
            Member.conversation_id.in_(group_ids), Member.user_id.in_(user_ids)
        )
    ):
        found[group_id].add(user_id)
    return found


async def social_proof(session: AsyncSession, product_id: int, viewer_id: int) -> SocialProof:
    if await session.get(Product, product_id) is None:
        raise ProductNotFound()
    visible_buyers = await visible_owners(
        session, viewer_id, await buyers_of(session, product_id), "purchases"
    )
    reviews = await visible_reviews(session, product_id, viewer_id)
    friends = set(await friend_ids(session, viewer_id))
    bought_friends = (visible_buyers & friends) - {viewer_id}
    reviewing_friends = [r for r in reviews if r.author_id in friends]
    names = await _names(session, bought_friends | {r.author_id for r in reviewing_friends})
    groups = await groups_of(session, viewer_id)
    group_ids = [g.id for g in groups]
    buyers_in = await _members_by_group(session, group_ids, visible_buyers)
    reviewers_in = await _members_by_group(session, group_ids, {r.author_id for r in reviews})
    return SocialProof(
        product_id=product_id,
        friends_who_bought=[PersonRef(uid, names.get(uid, "")) for uid in sorted(bought_friends)],
        friends_reviews=[
            FriendReview(PersonRef(r.author_id, names.get(r.author_id, "")), r.stars, r.text)
            for r in reviewing_friends
        ],
        groups_that_bought=[
            GroupPurchases(g.id, g.name, g.member_count, len(buyers_in[g.id]))
            for g in groups
            if buyers_in.get(g.id)
        ],
        group_ratings=[
            GroupRatingLine(
                g.id,
                g.name,
                reviews_domain.rating(
                    r.stars for r in reviews if r.author_id in reviewers_in[g.id]
                ),
            )
            for g in groups
            if reviewers_in.get(g.id)
        ],
    )


@dataclass(frozen=True)
class ReputationLine:
    category: str
    shares: int
    purchases: int
    rated: int
    rated_good: int
    score: float
    explanation: str


def _line(name: str, record: ReputationRecord) -> ReputationLine:
    return ReputationLine(
        category=record.category,
        shares=record.shares,
        purchases=record.purchases,
        rated=record.rated,
        rated_good=record.rated_good,
        score=round(record.score, 4),
        explanation=explain_reputation(name, record),
    )


async def reputation_for(
    session: AsyncSession, person_id: int, viewer_id: int
) -> list[ReputationLine]:
    """A recommender's record per category, explained in words.

    The person sees their whole record. Anyone else sees it recomputed from what they may see:
    purchases by buyers whose purchases are visible to them, and ratings by authors whose ratings
    are visible to them — so a hidden purchase or rating moves nobody else's view of it.
    """
    user = await session.get(User, person_id)
    if user is None:
        return []
    stored = await reputation(session, person_id)
    if viewer_id == person_id:
        return [_line(user.display_name, r) for r in stored]
    if await blocked_either_way(session, viewer_id, person_id):
        return []
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for record in stored:
        counts[record.category][0] = record.shares
    for category, (purchases, rated, rated_good) in (
        (await _visible_outcomes(session, {person_id}, viewer_id)).get(person_id, {}).items()
    ):
        counts[category][1:] = [purchases, rated, rated_good]
    return [
        _line(user.display_name, ReputationRecord(category, *values))
        for category, values in sorted(counts.items())
    ]


async def _visible_outcomes(
    session: AsyncSession, person_ids: set[int], viewer_id: int
) -> dict[int, dict[str, tuple[int, int, int]]]:
    """Per person and category: (purchases on their shares, ratings of those, good ratings),
    counting only buyers whose purchases and authors whose ratings the viewer may see.

    Two statements plus the privacy gate's, however many people are asked about."""
    if not person_ids:
        return {}
    purchases: list[tuple[int | None, int, str | None]] = list(
        (
            await session.execute(
                select(Order.sharer_id, Order.buyer_id, Product.category)
                .join(Share, Share.id == Order.share_id)
                .join(Product, Product.id == Share.product_id)
                .where(Order.sharer_id.in_(person_ids), Order.status.in_(PURCHASED_STATUSES))
            )
        ).all()
    )
    ratings: list[tuple[int | None, int, str | None, int]] = list(
        (
            await session.execute(
                select(Review.sharer_id, Review.author_id, Review.category, Review.stars).where(
                    Review.sharer_id.in_(person_ids)
                )
            )
        ).all()
    )
    buyers = await visible_owners(session, viewer_id, {b for _, b, _ in purchases}, "purchases")
    authors = await visible_owners(session, viewer_id, {a for _, a, _, _ in ratings}, "ratings")
    counts: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    general = reviews_domain.UNCATEGORISED
    for sharer, buyer, category in purchases:
        if sharer is not None and buyer in buyers:
            counts[sharer][category or general][0] += 1
    for sharer, author, category, stars in ratings:
        if sharer is not None and author in authors:
            counts[sharer][category or general][1] += 1
            counts[sharer][category or general][2] += 1 if stars >= GOOD_STARS else 0
    return {
        person: {category: (c[0], c[1], c[2]) for category, c in by_category.items()}
        for person, by_category in counts.items()
    }


async def visible_reputations(
    session: AsyncSession, person_ids: set[int], viewer_id: int
) -> dict[int, list[ReputationRecord]]:
    """Many people's records as ``viewer_id`` may see them, in a bounded number of statements.

    The same recomputation as :func:`reputation_for` shows to anyone but the person: shares from
    the stored record, purchases and ratings only through buyers and authors the viewer may see.
    People blocked by or blocking the viewer, and the viewer, are left out; so is anyone with
    nothing recorded."""
    others = set(person_ids) - {viewer_id}
    if not others:
        return {}
    blocked = await blocked_among(session, viewer_id, others)
    others -= blocked
    if not others:
        return {}
    counts: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0]))
    for row in await session.scalars(select(Reputation).where(Reputation.user_id.in_(others))):
        counts[row.user_id][row.category][0] = row.shares
    for person, by_category in (await _visible_outcomes(session, others, viewer_id)).items():
        for category, (purchases, rated, rated_good) in by_category.items():
            counts[person][category][1:] = [purchases, rated, rated_good]
    return {
        person: [
            ReputationRecord(category, *values) for category, values in sorted(by_category.items())
        ]
        for person, by_category in counts.items()
    }
