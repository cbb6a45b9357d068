"""Read side of shares.

Who could have seen a share (ADR 0008): its sharer; anyone, for a share made outside any chat
(a link its sharer may hand to anyone); otherwise the members of the chat it was made into. Only
they may read it, pass it on, or buy through it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.queries import public_names_view
from tuan.chat.queries import members_view
from tuan.shares.errors import ShareMismatch, ShareNotFound, ShareNotVisible
from tuan.shares.models import Share


def _seen_by(viewer_id: int) -> ColumnElement[bool]:
    """Whether ``viewer_id`` could have seen the share (see the module's doc)."""
    members = members_view("share_viewers")
    return or_(
        Share.sharer_id == viewer_id,
        Share.conversation_id.is_(None),
        exists().where(
            members.c.conversation_id == Share.conversation_id, members.c.user_id == viewer_id
        ),
    )


@dataclass(frozen=True)
class ShareView:
    id: int
    sharer_id: int
    sharer_username: str
    sharer_display_name: str
    product_id: int
    deal_id: int | None
    team_id: int | None
    conversation_id: int | None  # shown to the sharer only
    parent_share_id: int | None
    created_at: datetime


async def share_page(session: AsyncSession, share_id: int, viewer_id: int) -> ShareView:
    """A share its viewer could have seen (its sharer, and where it was made, to its sharer)."""
    names = public_names_view()
    row = (
        await session.execute(
            select(Share, names.c.username, names.c.display_name, _seen_by(viewer_id))
            .join(names, names.c.user_id == Share.sharer_id)
            .where(Share.id == share_id)
        )
    ).first()
    if row is None:
        raise ShareNotFound()
    found, username, display_name, seen = row
    if not seen:
        raise ShareNotVisible()
    return ShareView(
        id=found.id,
        sharer_id=found.sharer_id,
        sharer_username=username,
        sharer_display_name=display_name,
        product_id=found.product_id,
        deal_id=found.deal_id,
        team_id=found.team_id,
        conversation_id=found.conversation_id if viewer_id == found.sharer_id else None,
        parent_share_id=found.parent_share_id,
        created_at=found.created_at,
    )


@dataclass(frozen=True)
class ShareTerms:
    """What an order placed through a share remembers: whose share it was, about what."""

    id: int
    sharer_id: int
    product_id: int


async def seen_share(
    session: AsyncSession, share_id: int, *, viewer_id: int, field: str
) -> ShareTerms:
    """A share ``viewer_id`` could have seen; else ``ShareNotFound`` or ``ShareNotVisible``
    naming ``field``."""
    row = (
        await session.execute(
            select(Share.id, Share.sharer_id, Share.product_id, _seen_by(viewer_id)).where(
                Share.id == share_id
            )
        )
    ).first()
    if row is None:
        raise ShareNotFound(field=field)
    if not row[3]:
        raise ShareNotVisible(field=field)
    return ShareTerms(row[0], row[1], row[2])


async def attribution(
    session: AsyncSession, share_id: int, *, buyer_id: int, product_ids: Collection[int]
) -> ShareTerms:
    """The share a purchase is made through, checked: the buyer could have seen it and it is
    about one of ``product_ids`` (refusals name ``share_id``). One statement."""
    share = await seen_share(session, share_id, viewer_id=buyer_id, field="share_id")
    if share.product_id not in product_ids:
        raise ShareMismatch(field="share_id")
    return share


async def seen_share_ids(
    session: AsyncSession, share_ids: Collection[int], viewer_id: int
) -> set[int]:
    """Those of ``share_ids`` that ``viewer_id`` could have seen (still: a member who left the
    chat a share was made into no longer can)."""
    if not share_ids:
        return set()
    return set(
        await session.scalars(
            select(Share.id).where(Share.id.in_(set(share_ids)), _seen_by(viewer_id))
        )
    )


# --- for cards (forwards, share trees) and reviews ---


@dataclass(frozen=True)
class ShareRecord:
    """A share as other domains see it (the conversation included: callers decide who sees it)."""

    id: int
    sharer_id: int
    product_id: int
    deal_id: int | None
    team_id: int | None
    conversation_id: int | None
    parent_share_id: int | None
    created_at: datetime


def _record(share: Share) -> ShareRecord:
    return ShareRecord(
        id=share.id,
        sharer_id=share.sharer_id,
        product_id=share.product_id,
        deal_id=share.deal_id,
        team_id=share.team_id,
        conversation_id=share.conversation_id,
        parent_share_id=share.parent_share_id,
        created_at=share.created_at,
    )


async def share_record(session: AsyncSession, share_id: int) -> ShareRecord | None:
    share = await session.get(Share, share_id)
    return _record(share) if share is not None else None


async def forward_counts(session: AsyncSession, share_ids: list[int]) -> dict[int, int]:
    """How many times each of ``share_ids`` was passed on (shares whose parent it is)."""
    if not share_ids:
        return {}
    rows = await session.execute(
        select(Share.parent_share_id, func.count())
        .where(Share.parent_share_id.in_(share_ids))
        .group_by(Share.parent_share_id)
    )
    return {int(parent): int(n) for parent, n in rows if parent is not None}


async def count_forwards_of(session: AsyncSession, share_ids: Select[Any]) -> int:
    """How many shares passed on one of the shares ``share_ids`` selects."""
    count = await session.scalar(
        select(func.count()).select_from(Share).where(Share.parent_share_id.in_(share_ids))
    )
    return int(count or 0)


MAX_TREE = 2000


async def share_family(session: AsyncSession, share_id: int) -> list[tuple[ShareRecord, int]]:
    """The tree a share belongs to: its original share first, then every share passed on from
    it, breadth first, each with its depth (0 for the original); at most ``MAX_TREE`` shares."""
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
    family = [(_record(share), 0)]
    depth_of = {share.id: 0}
    frontier = [share.id]
    while frontier and len(family) < MAX_TREE:
        children = list(
            await session.scalars(
                select(Share).where(Share.parent_share_id.in_(frontier)).order_by(Share.id)
            )
        )
        for child in children:
            depth_of[child.id] = depth_of[child.parent_share_id or share.id] + 1
            family.append((_record(child), depth_of[child.id]))
        frontier = [c.id for c in children]
    return family


# --- for proof/asks/foryou ---


def shares_view() -> Subquery:
    """Shares, to join on: ``share_id``, ``sharer_id``, ``product_id`` (what was shared) and
    ``conversation_id`` (where; None for a share made outside a chat)."""
    return select(
        Share.id.label("share_id"),
        Share.sharer_id.label("sharer_id"),
        Share.product_id.label("product_id"),
        Share.conversation_id.label("conversation_id"),
    ).subquery()
