"""Read side of the social graph: friends, friend requests, blocks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.queries import avatar_url, people_view
from tuan.social.models import Block, FriendRequest, Friendship


def ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


@dataclass(frozen=True)
class Person:
    """Someone as their friends see them."""

    id: int
    username: str
    display_name: str
    avatar_url: str | None
    verified: bool


@dataclass(frozen=True)
class FriendRequestView:
    id: int
    from_user_id: int
    to_user_id: int
    message: str
    context_group_id: int | None
    created_at: datetime


@dataclass(frozen=True)
class FriendRequests:
    incoming: list[FriendRequestView]
    outgoing: list[FriendRequestView]


async def are_friends(session: AsyncSession, a: int, b: int) -> bool:
    low, high = ordered(a, b)
    return await session.get(Friendship, (low, high)) is not None


async def has_blocked(session: AsyncSession, blocker: int, blocked: int) -> bool:
    return await session.get(Block, (blocker, blocked)) is not None


async def blocked_either_way(session: AsyncSession, a: int, b: int) -> bool:
    found = await session.scalar(
        select(
            exists().where(
                or_(
                    and_(Block.blocker_id == a, Block.blocked_id == b),
                    and_(Block.blocker_id == b, Block.blocked_id == a),
                )
            )
        )
    )
    return bool(found)


async def blocked_among(session: AsyncSession, user_id: int, others: set[int]) -> set[int]:
    """Those of ``others`` who blocked ``user_id`` or whom ``user_id`` blocked."""
    if not others:
        return set()
    blockers = await session.scalars(
        select(Block.blocker_id).where(Block.blocker_id.in_(others), Block.blocked_id == user_id)
    )
    blocked = await session.scalars(
        select(Block.blocked_id).where(Block.blocker_id == user_id, Block.blocked_id.in_(others))
    )
    return set(blockers) | set(blocked)


async def friend_ids(session: AsyncSession, user_id: int) -> list[int]:
    rows = await session.execute(
        select(Friendship.user_low, Friendship.user_high).where(
            or_(Friendship.user_low == user_id, Friendship.user_high == user_id)
        )
    )
    return sorted(high if low == user_id else low for low, high in rows)


async def friends_among(session: AsyncSession, user_id: int, others: Iterable[int]) -> set[int]:
    """Those of ``others`` who are friends of ``user_id`` (one statement)."""
    wanted = set(others)
    if not wanted:
        return set()
    rows = await session.execute(
        select(Friendship.user_low, Friendship.user_high).where(
            or_(
                and_(Friendship.user_low == user_id, Friendship.user_high.in_(wanted)),
                and_(Friendship.user_high == user_id, Friendship.user_low.in_(wanted)),
            )
        )
    )
    return {high if low == user_id else low for low, high in rows}


async def friends(session: AsyncSession, user_id: int) -> list[Person]:
    ids = await friend_ids(session, user_id)
    if not ids:
        return []
    people = people_view()
    rows = await session.execute(
        select(people).where(people.c.id.in_(ids)).order_by(people.c.display_name)
    )
    return [
        Person(p.id, p.username, p.display_name, avatar_url(p.avatar_key), p.verified) for p in rows
    ]


async def friend_requests(session: AsyncSession, user_id: int) -> FriendRequests:
    rows = list(
        await session.scalars(
            select(FriendRequest)
            .where(
                FriendRequest.status == "pending",
                or_(FriendRequest.to_user_id == user_id, FriendRequest.from_user_id == user_id),
            )
            .order_by(FriendRequest.id)
        )
    )
    views = [
        FriendRequestView(
            r.id, r.from_user_id, r.to_user_id, r.message, r.context_group_id, r.created_at
        )
        for r in rows
    ]
    return FriendRequests(
        incoming=[r for r in views if r.to_user_id == user_id],
        outgoing=[r for r in views if r.from_user_id == user_id],
    )


async def blocked_ids(session: AsyncSession, user_id: int) -> list[int]:
    return list(await session.scalars(select(Block.blocked_id).where(Block.blocker_id == user_id)))
