"""Read side of the social graph: friends, blocks, who may talk to whom."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from tuan.accounts.models import User
from tuan.chat.models import Member
from tuan.groups.models import Group
from tuan.social.models import Block, FriendRequest, Friendship


def ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


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


async def share_a_group(session: AsyncSession, a: int, b: int) -> bool:
    mine, theirs = aliased(Member), aliased(Member)
    found = await session.scalar(
        select(
            exists()
            .where(mine.user_id == a, theirs.user_id == b)
            .where(mine.conversation_id == theirs.conversation_id)
            .where(mine.conversation_id.in_(select(Group.id).where(Group.dissolved_at.is_(None))))
        )
    )
    return bool(found)


async def connected(session: AsyncSession, a: int, b: int) -> bool:
    """Friends, or members of a common group: people who may start a 1:1 chat."""
    return await are_friends(session, a, b) or await share_a_group(session, a, b)


async def friend_ids(session: AsyncSession, user_id: int) -> list[int]:
    rows = await session.execute(
        select(Friendship.user_low, Friendship.user_high).where(
            or_(Friendship.user_low == user_id, Friendship.user_high == user_id)
        )
    )
    return sorted(high if low == user_id else low for low, high in rows)


async def friends(session: AsyncSession, user_id: int) -> list[dict[str, Any]]:
    ids = await friend_ids(session, user_id)
    if not ids:
        return []
    users = await session.scalars(select(User).where(User.id.in_(ids)).order_by(User.display_name))
    return [person(u) for u in users]


def person(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "avatar_url": f"/media/{user.avatar_key}" if user.avatar_key else None,
        "verified": user.verified,
    }


async def friend_requests(session: AsyncSession, user_id: int) -> dict[str, list[FriendRequest]]:
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
    return {
        "incoming": [r for r in rows if r.to_user_id == user_id],
        "outgoing": [r for r in rows if r.from_user_id == user_id],
    }


async def blocked_ids(session: AsyncSession, user_id: int) -> list[int]:
    return list(await session.scalars(select(Block.blocked_id).where(Block.blocker_id == user_id)))


async def shared_groups(session: AsyncSession, a: int, b: int) -> list[Group]:
    mine, theirs = aliased(Member), aliased(Member)
    return list(
        await session.scalars(
            select(Group)
            .join(mine, mine.conversation_id == Group.id)
            .join(theirs, theirs.conversation_id == Group.id)
            .where(mine.user_id == a, theirs.user_id == b, Group.dissolved_at.is_(None))
            .order_by(Group.name)
        )
    )
