"""Gathering a viewer's visible world and ranking it (see the package docstring for the rules)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.models import User
from tuan.cards.domain import PURCHASED_STATUSES
from tuan.catalog.models import Product
from tuan.catalog.queries import ProductCard, product_cards
from tuan.chat.models import Member
from tuan.foryou import domain
from tuan.foryou.domain import Entry, GroupView, Person, Signals
from tuan.foryou.neighbours import neighbours_of
from tuan.groups.queries import groups_of
from tuan.norms.service import disputed_items
from tuan.orders.models import Order, OrderLine
from tuan.privacy.queries import visible_owners_by_kind
from tuan.reviews.models import Review
from tuan.social.queries import friend_ids
from tuan.trust import domain as trust_domain
from tuan.trust.models import TrustEdge


@dataclass(frozen=True)
class FeedItem:
    product: ProductCard
    score: float
    reasons: tuple[domain.Reason, ...]


async def _groups(session: AsyncSession, viewer_id: int) -> list[GroupView]:
    groups = await groups_of(session, viewer_id)
    members: dict[int, set[int]] = defaultdict(set)
    if groups:
        for group_id, user_id in await session.execute(
            select(Member.conversation_id, Member.user_id).where(
                Member.conversation_id.in_([g.id for g in groups])
            )
        ):
            members[group_id].add(user_id)
    return [GroupView(g.id, g.name, frozenset(members[g.id]), g.member_count) for g in groups]


async def _people(
    session: AsyncSession, viewer_id: int, groups: list[GroupView], now: datetime
) -> dict[int, Person]:
    """Friends and co-members with the viewer's tie to each, from facts the viewer has."""
    friends = set(await friend_ids(session, viewer_id))
    shared: dict[int, int] = defaultdict(int)
    for group in groups:
        for member in group.member_ids:
            shared[member] += 1
    known = (friends | set(shared)) - {viewer_id}
    if not known:
        return {}
    outgoing = {
        target: trust_domain.unscaled(stored, now)
        for target, stored in await session.execute(
            select(TrustEdge.target_id, TrustEdge.scaled_weight).where(
                TrustEdge.source_id == viewer_id, TrustEdge.target_id.in_(known)
            )
        )
    }
    names = dict(
        (await session.execute(select(User.id, User.display_name).where(User.id.in_(known)))).all()
    )
    people = {}
    for person in known:
        # Only the viewer's own direction: the other one can hold purchases hidden from them.
        tie = trust_domain.tie_strength(outgoing.get(person, 0.0), 0.0, shared.get(person, 0))
        if person in friends:
            tie = max(tie, domain.FRIEND_TIE_FLOOR)
        people[person] = Person(person, names.get(person, ""), round(tie, 6), person in friends)
    return people


async def _purchases(session: AsyncSession, buyers: set[int]) -> dict[int, frozenset[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    if buyers:
        for buyer, product in await session.execute(
            select(Order.buyer_id, OrderLine.product_id)
            .join(OrderLine, OrderLine.order_id == Order.id)
            .where(Order.buyer_id.in_(buyers), Order.status.in_(PURCHASED_STATUSES))
            .distinct()
        ):
            found[buyer].add(product)
    return {buyer: frozenset(products) for buyer, products in found.items()}


async def _ratings(session: AsyncSession, authors: set[int]) -> dict[int, dict[int, int]]:
    found: dict[int, dict[int, int]] = defaultdict(dict)
    if authors:
        for author, product, stars in await session.execute(
            select(Review.author_id, Review.product_id, Review.stars)
            .where(Review.author_id.in_(authors))
            .order_by(Review.id)
        ):
            found[author][product] = stars  # the latest review of an item stands
    return dict(found)


async def signals_for(session: AsyncSession, viewer_id: int, now: datetime) -> Signals:
    groups = await _groups(session, viewer_id)
    people = await _people(session, viewer_id, groups, now)
    visible = await visible_owners_by_kind(
        session, viewer_id, set(people), ("purchases", "ratings")
    )
    buyers, raters = visible["purchases"], visible["ratings"]
    purchases = await _purchases(session, (buyers - {viewer_id}) | {viewer_id})
    own = purchases.pop(viewer_id, frozenset())
    ratings = await _ratings(session, raters - {viewer_id})
    similar = await neighbours_of(session, set(own))
    mentioned = (
        set(own)
        | {p for products in purchases.values() for p in products}
        | {p for rated in ratings.values() for p in rated}
        | {n for neighbours in similar.values() for n, _ in neighbours}
    )
    names, active = {}, set()
    if mentioned:
        for product_id, name, status in await session.execute(
            select(Product.id, Product.name, Product.status).where(Product.id.in_(mentioned))
        ):
            names[product_id] = name
            if status == "active":
                active.add(product_id)
    candidates = active - own - await disputed_items(session, [g.id for g in groups], active - own)
    return Signals(
        viewer_id=viewer_id,
        people=people,
        purchases=purchases,
        ratings=ratings,
        groups=groups,
        own=own,
        similar=similar,
        candidates=frozenset(candidates),
        product_names=names,
    )


async def for_you(
    session: AsyncSession, viewer_id: int, now: datetime, limit: int = 20
) -> list[FeedItem]:
    """The viewer's feed, best first, each item with the reasons to show beside it."""
    entries: list[Entry] = domain.rank(await signals_for(session, viewer_id, now), limit)
    products = await session.scalars(
        select(Product).where(Product.id.in_([e.product_id for e in entries]))
    )
    cards = {card.id: card for card in await product_cards(session, list(products), now)}
    return [
        FeedItem(cards[e.product_id], e.score, e.reasons) for e in entries if e.product_id in cards
    ]
