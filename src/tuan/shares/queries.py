"""Read side of shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Subquery, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.queries import public_names_view
from tuan.shares.errors import ShareNotFound
from tuan.shares.models import Share


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
    names = public_names_view()
    row = (
        await session.execute(
            select(Share, names.c.username, names.c.display_name)
            .join(names, names.c.user_id == Share.sharer_id)
            .where(Share.id == share_id)
        )
    ).first()
    if row is None:
        raise ShareNotFound()
    found, username, display_name = row
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


async def share_terms(session: AsyncSession, share_id: int) -> ShareTerms | None:
    row = (
        await session.execute(
            select(Share.id, Share.sharer_id, Share.product_id).where(Share.id == share_id)
        )
    ).first()
    return None if row is None else ShareTerms(*row)


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
