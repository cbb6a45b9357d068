"""Read side of cards: the live card (price now, deal time left, team fill), counts, comments,
and the share tree (who passed a share on, and what each hop sold — through the privacy gate)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.models import User
from tuan.cards import domain
from tuan.cards.errors import CardNotFound, ReportNotFound, TreeNotYours
from tuan.cards.models import CardComment, CardLike, ProductCard
from tuan.catalog.models import Deal, Product, Shop, Sku
from tuan.catalog.queries import deal_view, product_cards
from tuan.chat.models import Member, Message
from tuan.groupbuy.models import Team
from tuan.orders.models import Order
from tuan.privacy.queries import visible_owners
from tuan.reviews.models import PurchaseReport
from tuan.shares.errors import ShareNotFound
from tuan.shares.models import Share


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
class TeamState:
    id: int
    status: str
    size: int
    paid_count: int
    places_left: int
    team_price: int
    seconds_left: int | None
    # A private team's join code: its member chose to post the card here, so the people who can
    # see the card may join (a non-member cannot share or forward a private team).
    code: str | None = None


@dataclass(frozen=True)
class CardView:
    share_id: int
    conversation_id: int
    message_seq: int
    sharer_id: int
    sharer_display_name: str
    text: str
    photo_urls: list[str]
    product_id: int
    product_name: str
    product_status: str
    currency: str
    price: int  # the lowest price one unit costs right now
    regular_price: int
    on_deal: bool
    image_url: str | None
    deal: DealState | None
    team: TeamState | None
    paid_share: bool
    commission_rate_bp: int
    paid_label: str | None
    parent_share_id: int | None
    counts: Counts
    created_at: datetime


async def _counts(
    session: AsyncSession, target: str, ids: list[int], viewer_id: int
) -> dict[int, Counts]:
    if not ids:
        return {}
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
    forwards: dict[int, int] = {}
    if target == "card":
        for parent_id, n in await session.execute(
            select(Share.parent_share_id, func.count())
            .where(Share.parent_share_id.in_(ids))
            .group_by(Share.parent_share_id)
        ):
            if parent_id is not None:
                forwards[int(parent_id)] = int(n)
    return {
        i: Counts(
            likes=int(likes.get(i, 0)),
            comments=int(comments.get(i, 0)),
            forwards=int(forwards.get(i, 0)),
            you_liked=i in mine,
        )
        for i in ids
    }


async def visible_card(session: AsyncSession, share_id: int, viewer_id: int) -> ProductCard:
    card = await session.get(ProductCard, share_id)
    if card is None:
        raise CardNotFound()
    member = await session.get(Member, (card.conversation_id, viewer_id))
    if member is None or card.message_seq <= member.visible_from_seq:
        raise CardNotFound()
    deleted = await session.scalar(
        select(Message.deleted_at).where(
            Message.conversation_id == card.conversation_id, Message.seq == card.message_seq
        )
    )
    if deleted is not None:  # the sender or a group admin took the card down
        raise CardNotFound()
    return card


async def card_page(
    session: AsyncSession, share_id: int, viewer_id: int, now: datetime
) -> CardView:
    """The live card, for members of the conversation it was posted in."""
    card = await visible_card(session, share_id, viewer_id)
    share = await session.get(Share, share_id)
    row = (
        await session.execute(
            select(Product, Shop, User.display_name)
            .join(Shop, Shop.id == Product.shop_id)
            .join(User, User.id == card.sharer_id)
            .where(Product.id == card.product_id)
        )
    ).first()
    assert share is not None and row is not None
    product, shop, sharer_name = row
    (summary,) = await product_cards(session, [product], now)
    deal = None
    if share.deal_id is not None:
        found = (
            await session.execute(
                select(Deal, Sku).join(Sku, Sku.id == Deal.sku_id).where(Deal.id == share.deal_id)
            )
        ).first()
        if found is not None:
            d = deal_view(found[0], found[1], product.currency, now)
            deal = DealState(d.id, d.price, d.regular_price, d.state, d.seconds_left, d.remaining)
    team = None
    if share.team_id is not None:
        t = await session.get(Team, share.team_id)
        if t is not None:
            left = (
                max(0, int((t.deadline_at - now).total_seconds()))
                if t.deadline_at is not None and t.status == "open"
                else None
            )
            team = TeamState(
                id=t.id,
                status=t.status,
                size=t.size,
                paid_count=t.paid_count,
                places_left=max(0, t.size - t.held) if t.status in ("forming", "open") else 0,
                team_price=t.team_price,
                seconds_left=left,
                code=None if t.allow_public_join else t.code,
            )
    counts = (await _counts(session, "card", [share_id], viewer_id))[share_id]
    return CardView(
        share_id=share_id,
        conversation_id=card.conversation_id,
        message_seq=card.message_seq,
        sharer_id=card.sharer_id,
        sharer_display_name=sharer_name,
        text=card.text,
        photo_urls=[domain.photo_url(k) for k in card.photos],
        product_id=product.id,
        product_name=product.name,
        product_status=product.status,
        currency=product.currency,
        price=summary.price_from,
        regular_price=summary.regular_price_from,
        on_deal=summary.on_deal,
        image_url=summary.image_url,
        deal=deal,
        team=team,
        paid_share=shop.commission_rate_bp > 0,
        commission_rate_bp=shop.commission_rate_bp,
        paid_label=domain.paid_label(shop.commission_rate_bp),
        parent_share_id=share.parent_share_id,
        counts=counts,
        created_at=card.created_at,
    )


async def report_counts(session: AsyncSession, report_id: int, viewer_id: int) -> Counts:
    report = await session.get(PurchaseReport, report_id)
    if report is None:
        raise ReportNotFound()
    member = await session.get(Member, (report.conversation_id, viewer_id))
    if member is None or report.message_seq <= member.visible_from_seq:
        raise ReportNotFound()
    return (await _counts(session, "report", [report_id], viewer_id))[report_id]


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
        await report_counts(session, target_id, viewer_id)
    rows = await session.execute(
        select(CardComment, User.display_name)
        .join(User, User.id == CardComment.user_id)
        .where(CardComment.target == target, CardComment.target_id == target_id)
        .order_by(CardComment.id)
        .limit(limit)
    )
    return [CommentView(c.id, c.user_id, name, c.text, c.created_at) for c, name in rows]


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
    share = await session.get(Share, share_id)
    if share is None:
        raise ShareNotFound()
    seen = {share.id}
    while share.parent_share_id is not None:
        parent = await session.get(Share, share.parent_share_id)
        if parent is None or parent.id in seen:
            break
        seen.add(parent.id)
        share = parent
    root = share
    shop_owner = await session.scalar(
        select(Shop.owner_id)
        .join(Product, Product.shop_id == Shop.id)
        .where(Product.id == root.product_id)
    )
    if viewer_id not in (root.sharer_id, shop_owner):
        raise TreeNotYours()
    shares: list[Share] = [root]
    frontier = [root.id]
    depth_of = {root.id: 0}
    while frontier and len(shares) < 2000:
        children = list(
            await session.scalars(
                select(Share).where(Share.parent_share_id.in_(frontier)).order_by(Share.id)
            )
        )
        for child in children:
            depth_of[child.id] = depth_of[child.parent_share_id or root.id] + 1
        shares.extend(children)
        frontier = [c.id for c in children]
    ids = [s.id for s in shares]
    orders = list(
        await session.execute(
            select(Order.share_id, Order.buyer_id).where(
                Order.share_id.in_(ids), Order.status.in_(domain.PURCHASED_STATUSES)
            )
        )
    )
    if viewer_id == shop_owner:
        visible_buyers = {buyer for _, buyer in orders}
    else:
        visible_buyers = await visible_owners(
            session, viewer_id, {buyer for _, buyer in orders}, "purchases"
        )
    own = {s.id for s in shares if s.sharer_id == viewer_id}
    bought: Counter[int] = Counter(
        sid for sid, buyer in orders if sid is not None and (sid in own or buyer in visible_buyers)
    )
    names = dict(
        (
            await session.execute(
                select(User.id, User.display_name).where(User.id.in_({s.sharer_id for s in shares}))
            )
        ).all()
    )
    nodes = {
        s.id: TreeNode(
            share_id=s.id,
            parent_share_id=s.parent_share_id,
            sharer_id=s.sharer_id,
            sharer_display_name=names.get(s.sharer_id, ""),
            depth=depth_of[s.id],
            created_at=s.created_at,
            purchases=bought.get(s.id, 0),
        )
        for s in shares
    }
    for s in shares[1:]:
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
    forwards = await session.scalar(
        select(func.count()).select_from(Share).where(Share.parent_share_id.in_(mine))
    )
    return CardStats(int(shared or 0), int(likes or 0), int(comments or 0), int(forwards or 0))
