"""Creating shares: the record that lets an order remember whom to thank (and pay).

A product or a deal is shared here; a team is shared through ``tuan.groupbuy.service.share_team``,
which checks that the sharer may see the team and then records the share the same way.
"""

from __future__ import annotations

from tuan.core.uow import UnitOfWork
from tuan.shares.commands import product_target, record_share


async def share(
    uow: UnitOfWork,
    *,
    sharer_id: int,
    product_id: int | None = None,
    deal_id: int | None = None,
    conversation_id: int | None = None,
    parent_share_id: int | None = None,
) -> int:
    """Record that ``sharer_id`` shared a product (or one of its deals); returns the share's id."""
    target = await product_target(uow, product_id=product_id, deal_id=deal_id)
    return await record_share(
        uow,
        sharer_id=sharer_id,
        target=target,
        conversation_id=conversation_id,
        parent_share_id=parent_share_id,
    )
