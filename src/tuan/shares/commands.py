"""Writes other domains make in their own transaction: a share recorded with what it posts."""

from __future__ import annotations

from tuan.core.uow import UnitOfWork
from tuan.shares import service

# --- for cards: sharing into a chat records the share and posts its card in one transaction ---


async def product_to_share(
    uow: UnitOfWork,
    *,
    sharer_id: int,
    product_id: int | None,
    deal_id: int | None,
    team_id: int | None,
) -> int:
    """The id of the product ``sharer_id`` may share (named, or through a deal or a team they
    may see; on sale), or the refusal sharing it would meet."""
    product = await service.shared_product(uow, sharer_id, product_id, deal_id, team_id)
    return product.id


async def record_share(
    uow: UnitOfWork,
    *,
    sharer_id: int,
    product_id: int,
    deal_id: int | None,
    team_id: int | None,
    conversation_id: int | None,
    parent_share_id: int | None,
) -> int:
    """Record a checked share (and its ``ProductShared`` event); returns the share's id."""
    row = await service.record_share_in(
        uow,
        sharer_id=sharer_id,
        product_id=product_id,
        deal_id=deal_id,
        team_id=team_id,
        conversation_id=conversation_id,
        parent_share_id=parent_share_id,
    )
    return row.id
