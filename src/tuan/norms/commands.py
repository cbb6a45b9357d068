"""Writes other domains make in their own transaction: a product share counted against a group's
norms (cards calls it when a product is shared into a group)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from tuan.core.db import changed_one, dialect_insert
from tuan.core.uow import UnitOfWork
from tuan.norms import domain
from tuan.norms.errors import ItemDisputed, NewMemberCooldown, PromotionCapReached
from tuan.norms.models import NormOverride, ShareQuota
from tuan.norms.queries import norms_of
from tuan.reviews.queries import stars_posted_in


async def enforce_share_norms(
    uow: UnitOfWork,
    *,
    group_id: int,
    sharer_id: int,
    role: str,
    joined_at: datetime,
    product_id: int,
) -> None:
    """Refuse a product share the group's norms forbid; otherwise count it against today's cap.

    ``role`` and ``joined_at`` are the sharer's membership of the group. The cap is a conditional
    increment of a per-day counter, so two shares racing for the last place cannot both take it.
    """
    norms = await norms_of(uow.session, group_id)
    if role not in domain.ADMIN_ROLES:
        left = domain.cooldown_left(joined_at, norms.cooldown_hours, uow.now)
        if left is not None:
            raise NewMemberCooldown.waiting(
                hours=norms.cooldown_hours, wait_hours=domain.hours_left(left)
            )
    stars = [s for _, _, s in await stars_posted_in(uow.session, [group_id], [product_id])]
    if domain.is_disputed(stars, norms) and (
        await uow.session.get(NormOverride, (group_id, product_id)) is None
    ):
        raise ItemDisputed()
    if norms.promotion_cap is not None:
        await _count_against_cap(uow, group_id, sharer_id, norms.promotion_cap)


async def _count_against_cap(uow: UnitOfWork, group_id: int, sharer_id: int, cap: int) -> None:
    day = domain.day_key(uow.now)
    key = {"group_id": group_id, "user_id": sharer_id, "day": day}
    await uow.session.execute(
        dialect_insert(uow.session, ShareQuota)
        .values(**key, count=0)
        .on_conflict_do_nothing(index_elements=["group_id", "user_id", "day"])
    )
    counted = await uow.session.execute(
        update(ShareQuota)
        .where(
            ShareQuota.group_id == group_id,
            ShareQuota.user_id == sharer_id,
            ShareQuota.day == day,
            ShareQuota.count < cap,
        )
        .values(count=ShareQuota.count + 1)
        .execution_options(synchronize_session=False)
    )
    if not changed_one(counted):
        wait = int((domain.next_day_starts(uow.now) - uow.now).total_seconds())
        raise PromotionCapReached.at(cap, retry_after=wait)
