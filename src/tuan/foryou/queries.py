"""Gathering a viewer's visible world and ranking it (see the package docstring for the rules)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.queries import display_names
from tuan.catalog.queries import ProductCard, named_products, product_cards_by_id
from tuan.chat.queries import members_by_conversation
from tuan.core.personal import DELETED_USER_ID
from tuan.foryou import domain
from tuan.foryou.domain import Entry, GroupView, Person, Signals
from tuan.foryou.neighbours import neighbours_of
from tuan.groups.queries import groups_of
from tuan.norms.queries import disputed_items
from tuan.orders.queries import purchases_view
from tuan.privacy.queries import visible_owners_by_kind
from tuan.reviews.queries import stars_by_authors
from tuan.social.queries import friend_ids
from tuan.trust.queries import one_way_ties


@dataclass(frozen=True)
class FeedItem:
    product: ProductCard
    score: float
    reasons: tuple[domain.Reason, ...]


async def _groups(session: AsyncSession, viewer_id: int) -> list[GroupView]:
    groups = await groups_of(session, viewer_id)
    members = await members_by_conversation(session, [g.id for g in groups])
    return [
        GroupView(g.id, g.name, frozenset(members.get(g.id, ())), g.member_count) for g in groups
    ]


async def _people(
    session: AsyncSession, viewer_id: int, groups: list[GroupView], now: datetime
) -> dict[int, Person]:
    """Friends and co-members with the viewer's tie to each, from facts the viewer has."""
    friends = set(await friend_ids(session, viewer_id))
    shared: dict[int, int] = defaultdict(int)
    for group in groups:
        for member in group.member_ids:
            shared[member] += 1
    # The deleted-user tombstone is in no group and no one's friend; never a reason either.
    known = (friends | set(shared)) - {viewer_id, DELETED_USER_ID}
    if not known:
        return {}
    # Only the viewer's own direction: the other one can hold purchases hidden from them.
    ties = await one_way_ties(session, viewer_id, {p: shared.get(p, 0) for p in known}, now)
    names = await display_names(session, known)
    people = {}
    for person in known:
        tie = ties[person]
        if person in friends:
            tie = max(tie, domain.FRIEND_TIE_FLOOR)
        people[person] = Person(person, names.get(person, ""), round(tie, 6), person in friends)
    return people


async def _purchases(session: AsyncSession, buyers: set[int]) -> dict[int, frozenset[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    if buyers:
        bought = purchases_view()
        for buyer, product in await session.execute(
            select(bought.c.buyer_id, bought.c.product_id)
            .where(bought.c.buyer_id.in_(buyers))
            .distinct()
        ):
            found[buyer].add(product)
    return {buyer: frozenset(products) for buyer, products in found.items()}


async def signals_for(session: AsyncSession, viewer_id: int, now: datetime) -> Signals:
    groups = await _groups(session, viewer_id)
    people = await _people(session, viewer_id, groups, now)
    visible = await visible_owners_by_kind(
        session, viewer_id, set(people), ("purchases", "ratings")
    )
    buyers, raters = visible["purchases"], visible["ratings"]
    purchases = await _purchases(session, (buyers - {viewer_id}) | {viewer_id})
    own = purchases.pop(viewer_id, frozenset())
    ratings = await stars_by_authors(session, raters - {viewer_id})
    similar = await neighbours_of(session, set(own))
    mentioned = (
        set(own)
        | {p for products in purchases.values() for p in products}
        | {p for rated in ratings.values() for p in rated}
        | {n for neighbours in similar.values() for n, _ in neighbours}
    )
    named = await named_products(session, mentioned)
    active = {product_id for product_id, product in named.items() if product.active}
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
        product_names={product_id: product.name for product_id, product in named.items()},
    )


async def for_you(
    session: AsyncSession, viewer_id: int, now: datetime, limit: int = 20
) -> list[FeedItem]:
    """The viewer's feed, best first, each item with the reasons to show beside it."""
    entries: list[Entry] = domain.rank(await signals_for(session, viewer_id, now), limit)
    cards = await product_cards_by_id(session, [e.product_id for e in entries], now)
    return [
        FeedItem(cards[e.product_id], e.score, e.reasons) for e in entries if e.product_id in cards
    ]
