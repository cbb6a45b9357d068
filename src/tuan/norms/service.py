"""Setting a group's norms and enforcing them when a product is shared into the group."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, replace
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.catalog.errors import ProductNotFound
from tuan.catalog.models import Product
from tuan.chat.models import Member
from tuan.core.db import changed_one, dialect_insert
from tuan.core.uow import UnitOfWork
from tuan.groups.errors import GroupNotFound
from tuan.groups.models import Group
from tuan.norms import domain
from tuan.norms.domain import Norms
from tuan.norms.errors import (
    InvalidNorms,
    ItemDisputed,
    NewMemberCooldown,
    NotGroupAdmin,
    PromotionCapReached,
)
from tuan.norms.models import GroupNorms, NormOverride, ShareQuota
from tuan.reviews.models import Review

SETTINGS = (
    "disputed_enabled",
    "disputed_min_reviews",
    "disputed_low_percent",
    "promotion_cap",
    "cooldown_hours",
)


async def norms_of(session: AsyncSession, group_id: int) -> Norms:
    row = await session.get(GroupNorms, group_id)
    if row is None:
        return Norms()
    return Norms(**{name: getattr(row, name) for name in SETTINGS})


async def is_group(session: AsyncSession, conversation_id: int) -> bool:
    found = await session.scalar(
        select(Group.id).where(Group.id == conversation_id, Group.dissolved_at.is_(None))
    )
    return found is not None


async def _as_admin(uow: UnitOfWork, group_id: int, user_id: int) -> None:
    if not await is_group(uow.session, group_id):
        raise GroupNotFound()
    member = await uow.session.get(Member, (group_id, user_id))
    if member is None:
        raise GroupNotFound()
    if member.role not in ("owner", "admin"):
        raise NotGroupAdmin()


def _checked(norms: Norms) -> Norms:
    if not 1 <= norms.disputed_min_reviews <= 1000:
        raise InvalidNorms("disputed_min_reviews is between 1 and 1000.", field="min_reviews")
    if not 1 <= norms.disputed_low_percent <= 100:
        raise InvalidNorms("disputed_low_percent is between 1 and 100.", field="low_percent")
    if norms.promotion_cap is not None and not 0 <= norms.promotion_cap <= domain.MAX_CAP:
        raise InvalidNorms(f"promotion_cap is between 0 and {domain.MAX_CAP}.", field="cap")
    if not 0 <= norms.cooldown_hours <= domain.MAX_COOLDOWN_HOURS:
        raise InvalidNorms("cooldown_hours is at most 90 days.", field="cooldown_hours")
    return norms


async def set_norms(uow: UnitOfWork, *, group_id: int, by: int, changes: dict[str, Any]) -> Norms:
    """An admin changes some of the group's norms; the others keep their values."""
    async with uow:
        await _as_admin(uow, group_id, by)
        current = await norms_of(uow.session, group_id)
        wanted = _checked(replace(current, **{k: v for k, v in changes.items() if k in SETTINGS}))
        values = {k: v for k, v in asdict(wanted).items() if k in SETTINGS}
        row = await uow.session.get(GroupNorms, group_id)
        if row is None:
            uow.session.add(
                GroupNorms(group_id=group_id, updated_by=by, updated_at=uow.now, **values)
            )
        else:
            for name, value in values.items():
                setattr(row, name, value)
            row.updated_by, row.updated_at = by, uow.now
        await uow.commit()
    return wanted


async def set_override(
    uow: UnitOfWork, *, group_id: int, product_id: int, by: int, allowed: bool
) -> None:
    """An admin allows a disputed item in the group again (or withdraws that)."""
    async with uow:
        await _as_admin(uow, group_id, by)
        if await uow.session.get(Product, product_id) is None:
            raise ProductNotFound(field="product_id")
        existing = await uow.session.get(NormOverride, (group_id, product_id))
        if allowed and existing is None:
            uow.session.add(
                NormOverride(
                    group_id=group_id, product_id=product_id, by_user_id=by, created_at=uow.now
                )
            )
        elif not allowed and existing is not None:
            await uow.session.delete(existing)
        await uow.commit()


async def disputed_in(session: AsyncSession, group_id: int, product_id: int, norms: Norms) -> bool:
    """Reviews reported *into this group* disagree (they were posted there for its members)."""
    stars = await session.scalars(
        select(Review.stars).where(
            Review.conversation_id == group_id, Review.product_id == product_id
        )
    )
    return domain.is_disputed(list(stars), norms)


async def disputed_items(
    session: AsyncSession, group_ids: Sequence[int], product_ids: set[int]
) -> set[int]:
    """Which of ``product_ids`` are disputed in at least one of ``group_ids`` and not allowed
    there by its admins: :func:`disputed_in` and :func:`overridden` for many at once."""
    if not group_ids or not product_ids:
        return set()
    stars: dict[tuple[int, int], list[int]] = defaultdict(list)
    for group_id, product, rating in await session.execute(
        select(Review.conversation_id, Review.product_id, Review.stars).where(
            Review.conversation_id.in_(group_ids), Review.product_id.in_(product_ids)
        )
    ):
        if group_id is not None:
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


async def overridden(session: AsyncSession, group_id: int, product_id: int) -> bool:
    return await session.get(NormOverride, (group_id, product_id)) is not None


async def enforce_in(uow: UnitOfWork, *, group_id: int, member: Member, product_id: int) -> None:
    """Refuse a product share the group's norms forbid; otherwise count it against today's cap.

    Runs inside the sharing transaction. The cap is a conditional increment of a per-day counter,
    so two shares racing for the last place cannot both take it.
    """
    norms = await norms_of(uow.session, group_id)
    if member.role not in ("owner", "admin"):
        left = domain.cooldown_left(member.joined_at, norms.cooldown_hours, uow.now)
        if left is not None:
            raise NewMemberCooldown(domain.cooldown_message(left, norms.cooldown_hours))
    if await disputed_in(uow.session, group_id, product_id, norms) and not await overridden(
        uow.session, group_id, product_id
    ):
        raise ItemDisputed()
    if norms.promotion_cap is None:
        return
    day = domain.day_key(uow.now)
    key = {"group_id": group_id, "user_id": member.user_id, "day": day}
    await uow.session.execute(
        dialect_insert(uow.session, ShareQuota)
        .values(**key, count=0)
        .on_conflict_do_nothing(index_elements=["group_id", "user_id", "day"])
    )
    counted = await uow.session.execute(
        update(ShareQuota)
        .where(
            ShareQuota.group_id == group_id,
            ShareQuota.user_id == member.user_id,
            ShareQuota.day == day,
            ShareQuota.count < norms.promotion_cap,
        )
        .values(count=ShareQuota.count + 1)
        .execution_options(synchronize_session=False)
    )
    if not changed_one(counted):
        wait = int((domain.next_day_starts(uow.now) - uow.now).total_seconds())
        raise PromotionCapReached(domain.cap_message(norms.promotion_cap), retry_after=wait)


async def member_role(session: AsyncSession, group_id: int, user_id: int) -> str | None:
    member = await session.get(Member, (group_id, user_id))
    return member.role if member is not None else None
