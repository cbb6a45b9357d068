"""Read side of cards: the live card (price now, deal time left, team fill), counts, comments,
and the share tree (who passed a share on, and what each hop sold — through the privacy gate)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.queries import display_names
from tuan.cards import domain
from tuan.cards.domain import Label
from tuan.cards.errors import CardNotFound, ReportNotFound, TreeNotYours
from tuan.cards.models import CardComment, CardLike, ProductCard
from tuan.catalog.errors import DealNotFound
from tuan.catalog.queries import deal_page, product_facts, product_with_card
from tuan.chat.queries import sees_message
from tuan.core.media import media_url, photo_alts_of
from tuan.groupbuy.queries import TeamFill, team_fill
from tuan.orders.queries import purchases_through
from tuan.privacy.queries import visible_owners
from tuan.reviews.queries import report_place
from tuan.shares.queries import count_forwards_of, forward_counts, share_family, share_record


@dataclass(frozen=True)
class Counts:
    likes: int = 0
    comments: int = 0
    forwards: int = 0
    you_liked: bool = False


@dataclass(frozen=True)
class DealState:
    id: int
    price: int
    regular_price: int
    state: str
    seconds_left: int
    remaining: int


@dataclass(frozen=True)
class CardView:
    share_id: int
    conversation_id: int
    message_seq: int
    sharer_id: int
    sharer_display_name: str
    text: str
    photo_urls: list[str]
    photo_alts: list[str]  # one per photo, in order: what its sharer says it shows, or ""
    product_id: int
    product_name: str
    product_status: str
    currency: str
    price: int  # the lowest price one unit costs right now
    regular_price: int
    on_deal: bool
    image_url: str | None
    deal: DealState | None
    team: TeamFill | None
    paid_share: bool
    commission_rate_bp: int
    paid_label: Label | None
    parent_share_id: int | None
    counts: Counts
    allowed_actions: list[str]
    created_at: datetime


async def _counts(
    session: AsyncSession, target: str, ids: list[int], viewer_id: int
) -> dict[int, Counts]:
    likes = dict(
        (
            await session.execute(
                select(CardLike.target_id, func.count())
                .where(CardLike.target == target, CardLike.target_id.in_(ids))
                .group_by(CardLike.target_id)
            )
        ).all()
    )
    comments = dict(
        (
            await session.execute(
                select(CardComment.target_id, func.count())
                .where(CardComment.target == target, CardComment.target_id.in_(ids))
                .group_by(CardComment.target_id)
            )
        ).all()
    )
    mine = set(
        await session.scalars(
            select(CardLike.target_id).where(
                CardLike.target == target,
                CardLike.target_id.in_(ids),
                CardLike.user_id == viewer_id,
            )
        )
    )
    forwards = await forward_counts(session, ids) if target == "card" else {}
    return {
        i: Counts(
            likes=int(likes.get(i, 0)),
            comments=int(comments.get(i, 0)),
            forwards=forwards.get(i, 0),
            you_liked=i in mine,
        )
        for i in ids
    }


async def visible_card(session: AsyncSession, share_id: int, viewer_id: int) -> ProductCard:
    """The card, if ``viewer_id`` can see its message (a member since before it was posted, and
    nobody took it down)."""
    card = await session.get(ProductCard, share_id)
    if card is None or not await sees_message(
        session, card.conversation_id, card.message_seq, viewer_id
    ):
        raise CardNotFound()
    return card


async def check_report_visible(session: AsyncSession, report_id: int, viewer_id: int) -> None:
    """A report is seen by whoever sees its message (or the digest it is in)."""
    place = await report_place(session, report_id)
    if place is None or not await sees_message(session, *place, viewer_id):
        raise ReportNotFound()


async def _deal(session: AsyncSession, deal_id: int | None, now: datetime) -> DealState | None:
    if deal_id is None:
        return None
    try:
        d = await deal_page(session, deal_id, now)
    except DealNotFound:
        return None
    return DealState(d.id, d.price, d.regular_price, d.state, d.seconds_left, d.remaining)


async def card_page(
    session: AsyncSession, share_id: int, viewer_id: int, now: datetime
) -> CardView:
    """The live card, for members of the conversation it was posted in."""
    card = await visible_card(session, share_id, viewer_id)
    share = await share_record(session, share_id)
    found = await product_with_card(session, card.product_id, now)
    assert share is not None and found is not None
    product, summary = found
    names = await display_names(session, {card.sharer_id})
    team = (
        await team_fill(session, share.team_id, now, viewer_id)
        if share.team_id is not None
        else None
    )
    return CardView(
        share_id=share_id,
        conversation_id=card.conversation_id,
        message_seq=card.message_seq,
        sharer_id=card.sharer_id,
        sharer_display_name=names.get(card.sharer_id, ""),
        text=card.text,
        photo_urls=[media_url(k) for k in card.photos],
        photo_alts=photo_alts_of(card.photo_alts, len(card.photos)),
        product_id=product.id,
        product_name=product.name,
        product_status=product.status,
        currency=product.currency,
        price=summary.price_from,
        regular_price=summary.regular_price_from,
        on_deal=summary.on_deal,
        image_url=summary.image_url,
        deal=await _deal(session, share.deal_id, now),
        team=team,
        paid_share=product.commission_rate_bp > 0,
        commission_rate_bp=product.commission_rate_bp,
        paid_label=domain.paid_label(product.commission_rate_bp),
        parent_share_id=share.parent_share_id,
        counts=(await _counts(session, "card", [share_id], viewer_id))[share_id],
        allowed_actions=domain.card_actions(product_status=product.status),
        created_at=card.created_at,
    )


@dataclass(frozen=True)
class CountsView:
    """What people did with a card or a report, and what the viewer may do with it."""

    likes: int
    comments: int
    forwards: int
    you_liked: bool
    allowed_actions: list[str]


async def counts_of(
    session: AsyncSession, target: str, target_id: int, viewer_id: int, now: datetime
) -> CountsView:
    """The counts of a card or a report the viewer can see."""
    if target == "card":
        card = await card_page(session, target_id, viewer_id, now)
        counts, actions = card.counts, card.allowed_actions
    else:
        await check_report_visible(session, target_id, viewer_id)
        counts = (await _counts(session, "report", [target_id], viewer_id))[target_id]
        actions = domain.report_actions()
    return CountsView(counts.likes, counts.comments, counts.forwards, counts.you_liked, actions)


@dataclass(frozen=True)
class CommentView:
    id: int
    user_id: int
    display_name: str
    text: str
    created_at: datetime


async def comments_on(
    session: AsyncSession, target: str, target_id: int, viewer_id: int, limit: int = 100
) -> list[CommentView]:
    if target == "card":
        await visible_card(session, target_id, viewer_id)
    else:
        await check_report_visible(session, target_id, viewer_id)
    comments = list(
        await session.scalars(
            select(CardComment)
            .where(CardComment.target == target, CardComment.target_id == target_id)
            .order_by(CardComment.id)
            .limit(limit)
        )
    )
    names = await display_names(session, {c.user_id for c in comments})
    return [
        CommentView(c.id, c.user_id, names.get(c.user_id, ""), c.text, c.created_at)
        for c in comments
        if c.user_id in names
    ]


@dataclass
class TreeNode:
    share_id: int
    parent_share_id: int | None
    sharer_id: int
    sharer_display_name: str
    depth: int
    created_at: datetime
    purchases: int  # orders paid through this hop that the viewer may know about
    children: list[TreeNode] = field(default_factory=list)


async def share_tree(session: AsyncSession, share_id: int, viewer_id: int) -> TreeNode:
    """The tree under the original share that ``share_id`` descends from.

    For the original sharer and the shop's owner. The shop sees every purchase (it has the
    orders anyway); the sharer sees every purchase through their own hops (their commission
    shows them) and, through other people's hops, only those by buyers whose purchases the
    sharer may see.
    """
    family = await share_family(session, share_id)
    root = family[0][0]
    product = await product_facts(session, root.product_id)
    shop_owner = product.shop_owner_id if product else None
    if viewer_id not in (root.sharer_id, shop_owner):
        raise TreeNotYours()
    orders = await purchases_through(session, [s.id for s, _ in family])
    if viewer_id == shop_owner:
        visible_buyers = {buyer for _, buyer in orders}
    else:
        visible_buyers = await visible_owners(
            session, viewer_id, {buyer for _, buyer in orders}, "purchases"
        )
    own = {s.id for s, _ in family if s.sharer_id == viewer_id}
    bought = Counter(sid for sid, buyer in orders if sid in own or buyer in visible_buyers)
    names = await display_names(session, {s.sharer_id for s, _ in family})
    nodes = {
        s.id: TreeNode(
            share_id=s.id,
            parent_share_id=s.parent_share_id,
            sharer_id=s.sharer_id,
            sharer_display_name=names.get(s.sharer_id, ""),
            depth=depth,
            created_at=s.created_at,
            purchases=bought.get(s.id, 0),
        )
        for s, depth in family
    }
    for s, _ in family[1:]:
        nodes[s.parent_share_id or root.id].children.append(nodes[s.id])
    return nodes[root.id]


@dataclass(frozen=True)
class CardStats:
    cards_shared: int
    likes_received: int
    comments_received: int
    forwards_received: int


async def my_card_stats(session: AsyncSession, user_id: int) -> CardStats:
    """What happened to my cards: the per-person counts (shown to the person themselves)."""
    mine = select(ProductCard.share_id).where(ProductCard.sharer_id == user_id)
    shared = await session.scalar(select(func.count()).select_from(mine.subquery()))
    likes = await session.scalar(
        select(func.count())
        .select_from(CardLike)
        .where(CardLike.target == "card", CardLike.target_id.in_(mine))
    )
    comments = await session.scalar(
        select(func.count())
        .select_from(CardComment)
        .where(CardComment.target == "card", CardComment.target_id.in_(mine))
    )
    forwards = await count_forwards_of(session, mine)
    return CardStats(int(shared or 0), int(likes or 0), int(comments or 0), forwards)
