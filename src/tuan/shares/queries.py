"""Read side of shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Subquery, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.models import User
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
    row = (
        await session.execute(
            select(Share, User.username, User.display_name)
            .join(User, User.id == Share.sharer_id)
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
