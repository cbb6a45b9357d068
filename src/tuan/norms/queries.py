"""Read side of norms: a group's settings, and which items its members' reviews dispute."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.chat.queries import member_role
from tuan.groups.errors import GroupNotFound
from tuan.groups.queries import live_group_name
from tuan.norms import domain
from tuan.norms.domain import Norms
from tuan.norms.models import GroupNorms, NormOverride
from tuan.reviews.queries import stars_posted_in

SETTINGS = (
    "disputed_enabled",
    "disputed_min_reviews",
    "disputed_low_percent",
    "promotion_cap",
    "cooldown_hours",
)


async def norms_of(session: AsyncSession, group_id: int) -> Norms:
    """The group's norms (the defaults for a group that never set any)."""
    row = await session.get(GroupNorms, group_id)
    if row is None:
        return Norms()
    return Norms(**{name: getattr(row, name) for name in SETTINGS})


async def role_in_group(session: AsyncSession, group_id: int, user_id: int) -> str:
    """``user_id``'s role in a group that still exists; GroupNotFound for anyone else."""
    if await live_group_name(session, group_id) is None:
        raise GroupNotFound()
    role = await member_role(session, group_id, user_id)
    if role is None:
        raise GroupNotFound()
    return role


async def group_norms(session: AsyncSession, group_id: int, viewer_id: int) -> Norms:
    """The norms of a group, for its members."""
    await role_in_group(session, group_id, viewer_id)
    return await norms_of(session, group_id)


async def disputed_items(
    session: AsyncSession, group_ids: Sequence[int], product_ids: set[int]
) -> set[int]:
    """Which of ``product_ids`` are disputed in at least one of ``group_ids`` and not allowed
    there by its admins (reviews posted into a group were posted for its members)."""
    if not group_ids or not product_ids:
        return set()
    stars: dict[tuple[int, int], list[int]] = defaultdict(list)
    for group_id, product, rating in await stars_posted_in(session, group_ids, product_ids):
        stars[(group_id, product)].append(rating)
    allowed = set(
        (
            await session.execute(
                select(NormOverride.group_id, NormOverride.product_id).where(
                    NormOverride.group_id.in_(group_ids)
                )
            )
        ).all()
    )
    disputed = set()
    for group_id in sorted({g for g, _ in stars}):
        norms = await norms_of(session, group_id)
        disputed |= {
            product
            for (g, product), ratings in stars.items()
            if g == group_id and (g, product) not in allowed and domain.is_disputed(ratings, norms)
        }
    return disputed
