"""Social proof and reputation, private by default.

Four views of an item for a viewer — friends who bought it, friends' ratings and reviews, the
viewer's groups that bought it (with member counts) and each of those groups' rating — and a
recommender's reputation. Every purchase and every rating passes
:func:`tuan.privacy.queries.visible_owners` before it is listed *or counted*; blocked people
(either way) are never visible, and a purchase hidden from the viewer is in no number.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.queries import display_names
from tuan.catalog.errors import ProductNotFound
from tuan.catalog.queries import named_products, products_view
from tuan.chat.queries import members_by_conversation
from tuan.core.phrases import Phrase
from tuan.groups.queries import groups_of
from tuan.orders.queries import purchases_view
from tuan.privacy.queries import visible_owners
from tuan.proof import domain
from tuan.proof.domain import Outcomes, PurchaseOnShare
from tuan.reviews.queries import (
    UNCATEGORISED,
    GroupRating,
    rating_of,
    ratings_of_shares_by,
    visible_reviews,
)
from tuan.shares.queries import shares_view
from tuan.social.queries import blocked_among, blocked_either_way, friend_ids
from tuan.trust.queries import ReputationRecord, reputation, reputations_of


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
    """One of the viewer's groups that bought the item: ``buyers`` counts the members whose
    purchase of it the viewer may see."""

    group_id: int
    name: str
    member_count: int
    buyers: int


@dataclass(frozen=True)
class SocialProof:
    product_id: int
    friends_who_bought: list[PersonRef]
    friends_reviews: list[FriendReview]
    groups_that_bought: list[GroupPurchases]
    group_ratings: list[GroupRating]


async def buyers_of(session: AsyncSession, product_id: int) -> set[int]:
    """Everyone holding a paid (not cancelled, not refunded) order of the item."""
    bought = purchases_view()
    return set(
        await session.scalars(
            select(bought.c.buyer_id).where(bought.c.product_id == product_id).distinct()
        )
    )


async def social_proof(session: AsyncSession, product_id: int, viewer_id: int) -> SocialProof:
    if not await named_products(session, {product_id}):
        raise ProductNotFound()
    visible_buyers = await visible_owners(
        session, viewer_id, await buyers_of(session, product_id), "purchases"
    )
    reviews = await visible_reviews(session, product_id, viewer_id)
    friends = set(await friend_ids(session, viewer_id))
    bought_friends = (visible_buyers & friends) - {viewer_id}
    reviewing_friends = [r for r in reviews if r.author_id in friends]
    names = await display_names(session, bought_friends | {r.author_id for r in reviewing_friends})
    groups = await groups_of(session, viewer_id)
    group_ids = [g.id for g in groups]
    buyers_in = await members_by_conversation(session, group_ids, visible_buyers)
    reviewers_in = await members_by_conversation(session, group_ids, {r.author_id for r in reviews})
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
            GroupRating(
                g.id,
                g.name,
                rating_of(r.stars for r in reviews if r.author_id in reviewers_in[g.id]),
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
    explanation: Phrase


def _line(name: str, record: ReputationRecord) -> ReputationLine:
    return ReputationLine(
        category=record.category,
        shares=record.shares,
        purchases=record.purchases,
        rated=record.rated,
        rated_good=record.rated_good,
        score=round(record.score, 4),
        explanation=domain.explanation(name, record),
    )


async def reputation_for(
    session: AsyncSession, person_id: int, viewer_id: int
) -> list[ReputationLine]:
    """A recommender's record per category, with what it says, recounted from what the viewer
    may see: purchases by buyers whose purchases are visible to them, and ratings by authors
    whose ratings are visible to them — so a hidden purchase or rating moves nobody else's view
    of it. The person is no exception for ratings (one hidden from them is not in their own
    numbers either); they count every purchase on their own shares (see :mod:`.domain`)."""
    name = (await display_names(session, {person_id})).get(person_id)
    if name is None:
        return []
    if viewer_id != person_id and await blocked_either_way(session, viewer_id, person_id):
        return []
    stored = await reputation(session, person_id)
    outcomes = await _visible_outcomes(session, {person_id}, viewer_id)
    return [_line(name, r) for r in domain.recounted(stored, outcomes.get(person_id, {}))]


async def _visible_outcomes(
    session: AsyncSession, person_ids: set[int], viewer_id: int
) -> dict[int, dict[str, Outcomes]]:
    """Per person and category: purchases on their shares, ratings of those and good ratings,
    counting only buyers whose purchases and authors whose ratings the viewer may see.

    Two statements plus the privacy gate's, however many people are asked about."""
    if not person_ids:
        return {}
    bought, shares, products = purchases_view(), shares_view(), products_view()
    purchases = [
        PurchaseOnShare(sharer, buyer, category or UNCATEGORISED)
        for _order, sharer, buyer, category in await session.execute(
            # One row per order (an order of several lines is one purchase on the share).
            select(bought.c.order_id, bought.c.sharer_id, bought.c.buyer_id, products.c.category)
            .join(shares, shares.c.share_id == bought.c.share_id)
            .join(products, products.c.product_id == shares.c.product_id)
            .where(bought.c.sharer_id.in_(person_ids))
            .distinct()
        )
    ]
    ratings = await ratings_of_shares_by(session, person_ids)
    buyers = await visible_owners(session, viewer_id, {p.buyer_id for p in purchases}, "purchases")
    authors = await visible_owners(session, viewer_id, {r.author_id for r in ratings}, "ratings")
    return domain.visible_outcomes(
        purchases, ratings, buyers=buyers, authors=authors, viewer_id=viewer_id
    )


async def visible_reputations(
    session: AsyncSession, person_ids: set[int], viewer_id: int
) -> dict[int, list[ReputationRecord]]:
    """Many people's records as ``viewer_id`` may see them, in a bounded number of statements.

    The same recount as :func:`reputation_for`. People blocked by or blocking the viewer, and the
    viewer, are left out; so is anyone with nothing recorded."""
    others = set(person_ids) - {viewer_id}
    if not others:
        return {}
    others -= await blocked_among(session, viewer_id, others)
    if not others:
        return {}
    stored = await reputations_of(session, others)
    outcomes = await _visible_outcomes(session, others, viewer_id)
    return {
        person: domain.recounted(stored.get(person, []), outcomes.get(person, {}))
        for person in sorted(set(stored) | set(outcomes))
    }
