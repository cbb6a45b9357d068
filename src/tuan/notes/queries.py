"""Read side of notes.

Who may see a note (ADR 0013), said once in :func:`seen_by`: its author, unless deleted; a live
note for ``everyone``, anyone, signed out included; for ``friends``, the author's friends now; for
``groups``, members now of a chosen group; for ``me``, the author only; a note an operator hid,
its author only; a deleted note, nobody. Anyone else is told it does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.queries import public_names_view
from tuan.catalog.queries import product_cards_by_id, product_facts
from tuan.core.media import media_url, photo_alts_of
from tuan.groups.queries import memberships_view
from tuan.notes.domain import Earning, is_sponsored
from tuan.notes.errors import NoteNotFound
from tuan.notes.interactions_queries import note_counts
from tuan.notes.models import Note, NoteAudienceGroup, NoteProduct
from tuan.orders.queries import purchases_view
from tuan.social.queries import blocked_with, friend_pairs_view


def seen_by(viewer_id: int | None) -> ColumnElement[bool]:
    """Whether ``viewer_id`` (None: signed out) may see the note now: the one condition every
    read, feed, search, count and notification of notes goes through (ADR 0013)."""
    if viewer_id is None:
        return and_(Note.status == "live", Note.audience == "everyone")
    friends = friend_pairs_view()
    members = memberships_view("note_readers")
    return or_(
        # Its author sees it while it is live or hidden (with the operator's reason).
        and_(Note.author_id == viewer_id, Note.status.in_(("live", "hidden"))),
        and_(
            Note.status == "live",
            # Blocking either way hides a person's notes, even those to everyone.
            ~blocked_with(viewer_id, Note.author_id),
            or_(
                Note.audience == "everyone",
                and_(
                    Note.audience == "friends",
                    exists().where(
                        friends.c.user_id == Note.author_id, friends.c.friend_id == viewer_id
                    ),
                ),
                and_(
                    Note.audience == "groups",
                    exists().where(
                        NoteAudienceGroup.note_id == Note.id,
                        members.c.group_id == NoteAudienceGroup.group_id,
                        members.c.user_id == viewer_id,
                    ),
                ),
            ),
        ),
    )


@dataclass(frozen=True)
class NotePhoto:
    key: str
    url: str
    alt: str  # what the author says it shows, or ""


@dataclass(frozen=True)
class LinkedProduct:
    product_id: int
    name: str
    currency: str
    price: int  # the lowest price of its variants now, deals included (minor units)
    image_url: str | None
    on_sale: bool
    share_id: int  # the author's share: buying with it credits the author
    verified_purchase: bool  # the author bought it (a paid, or later, order); never set by hand


@dataclass(frozen=True)
class NoteView:
    id: int
    author_id: int
    author_username: str
    author_display_name: str
    title: str
    text: str
    photos: list[NotePhoto]
    tags: list[str]
    area: str | None
    audience: str
    products: list[LinkedProduct]
    created_at: datetime
    edited_at: datetime | None  # readers see "edited"; its author also sees the history
    sponsored: bool
    collaboration_shop_id: int | None  # a paid collaboration its author disclosed
    group_ids: list[int]  # the chosen groups: shown to the author only ([] to anyone else)
    # Anonymous totals, and the reader's own acts (False signed out).
    likes: int = 0
    saves: int = 0
    comments: int = 0
    helpful: int = 0
    liked: bool = False
    saved: bool = False
    marked_helpful: bool = False
    # Said to the author only, of a note an operator hid: "hidden" and why; else None.
    status: str | None = None
    hidden_reason: str | None = None


async def seen_note(session: AsyncSession, note_id: int, viewer_id: int | None) -> Note:
    """The note if ``viewer_id`` may see it; else ``NoteNotFound`` (existence not revealed)."""
    note = await session.scalar(select(Note).where(Note.id == note_id, seen_by(viewer_id)))
    if note is None:
        raise NoteNotFound()
    return note


async def _bought_by(session: AsyncSession, buyer_id: int, product_ids: list[int]) -> set[int]:
    if not product_ids:
        return set()
    bought = purchases_view()
    rows = await session.scalars(
        select(bought.c.product_id)
        .where(bought.c.buyer_id == buyer_id, bought.c.product_id.in_(product_ids))
        .distinct()
    )
    return set(rows)


async def _linked_products(
    session: AsyncSession, note: Note, now: datetime, earnings: list[Earning]
) -> list[LinkedProduct]:
    """The note's products as they sell now; what each pays its author goes into ``earnings``."""
    links = (
        await session.scalars(
            select(NoteProduct).where(NoteProduct.note_id == note.id).order_by(NoteProduct.position)
        )
    ).all()
    ids = [link.product_id for link in links]
    cards = await product_cards_by_id(session, ids, now)
    bought = await _bought_by(session, note.author_id, ids)
    linked = []
    for link in links:
        card = cards[link.product_id]
        facts = await product_facts(session, link.product_id)
        if facts is not None:
            earnings.append(Earning(facts.commission_rate_bp, facts.shop_owner_id))
        linked.append(
            LinkedProduct(
                product_id=card.id,
                name=card.name,
                currency=card.currency,
                price=card.price_from,
                image_url=card.image_url,
                on_sale=facts is not None and facts.status == "active",
                share_id=link.share_id,
                verified_purchase=link.product_id in bought,
            )
        )
    return linked


async def note_page(
    session: AsyncSession, note_id: int, viewer_id: int | None, now: datetime
) -> NoteView:
    """A note as ``viewer_id`` may see it, with its products' live prices."""
    note = await seen_note(session, note_id, viewer_id)
    names = public_names_view()
    username, display_name = (
        await session.execute(
            select(names.c.username, names.c.display_name).where(names.c.user_id == note.author_id)
        )
    ).one()
    alts = photo_alts_of(note.photo_alts, len(note.photos))
    earnings: list[Earning] = []
    products = await _linked_products(session, note, now, earnings)
    counts = await note_counts(session, note.id, viewer_id)
    # Only a hidden note's author is told: anyone else never sees a hidden note at all.
    hidden = viewer_id == note.author_id and note.status == "hidden"
    return NoteView(
        id=note.id,
        author_id=note.author_id,
        author_username=username,
        author_display_name=display_name,
        title=note.title,
        text=note.text,
        photos=[NotePhoto(k, media_url(k), a) for k, a in zip(note.photos, alts, strict=True)],
        tags=list(note.tags),
        area=note.area,
        audience=note.audience,
        products=products,
        created_at=note.created_at,
        edited_at=note.edited_at,
        # Set when published or edited; a shop that starts paying later shows at once too.
        sponsored=note.sponsored or is_sponsored(note.author_id, earnings),
        collaboration_shop_id=note.collaboration_shop_id,
        group_ids=await _chosen_groups(session, note) if viewer_id == note.author_id else [],
        likes=counts.likes,
        saves=counts.saves,
        comments=counts.comments,
        helpful=counts.helpful,
        liked=counts.liked,
        saved=counts.saved,
        marked_helpful=counts.marked_helpful,
        status=note.status if hidden else None,
        hidden_reason=note.hidden_reason if hidden else None,
    )


async def _chosen_groups(session: AsyncSession, note: Note) -> list[int]:
    return list(
        await session.scalars(
            select(NoteAudienceGroup.group_id)
            .where(NoteAudienceGroup.note_id == note.id)
            .order_by(NoteAudienceGroup.group_id)
        )
    )
