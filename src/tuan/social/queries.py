"""Read side of the social graph: friends, friend requests, blocks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Subquery, and_, exists, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

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
    person: Person  # the other one: who asked (incoming) or who was asked (outgoing)


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


def blocked_with(
    user_id: int, other: ColumnElement[int] | InstrumentedAttribute[int]
) -> ColumnElement[bool]:
    """SQL: ``other`` (a column, such as a note's author) blocked ``user_id``, or was blocked by
    them; to keep a blocked person's things out of a read in the same statement."""
    return exists().where(
        or_(
            and_(Block.blocker_id == other, Block.blocked_id == user_id),
            and_(Block.blocker_id == user_id, Block.blocked_id == other),
        )
    )


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


def friend_pairs_view() -> Subquery:
    """Every friendship both ways round, to join on: ``user_id`` and ``friend_id``."""
    return union_all(
        select(Friendship.user_low.label("user_id"), Friendship.user_high.label("friend_id")),
        select(Friendship.user_high.label("user_id"), Friendship.user_low.label("friend_id")),
    ).subquery("friend_pairs")


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


async def people(session: AsyncSession, user_ids: Iterable[int]) -> dict[int, Person]:
    """``user_ids`` as anyone may see them (missing ids are left out), in one statement."""
    wanted = set(user_ids)
    if not wanted:
        return {}
    view = people_view()
    rows = await session.execute(select(view).where(view.c.id.in_(wanted)))
    return {
        p.id: Person(p.id, p.username, p.display_name, avatar_url(p.avatar_key), p.verified)
        for p in rows
    }


def _by_name(found: Iterable[Person]) -> list[Person]:
    return sorted(found, key=lambda p: (p.display_name, p.id))


async def friends(session: AsyncSession, user_id: int) -> list[Person]:
    return _by_name((await people(session, await friend_ids(session, user_id))).values())


async def mutual_friends(session: AsyncSession, a: int, b: int) -> list[Person]:
    """The people who are friends of both ``a`` and ``b``, by name. The caller decides who may
    be told (it says something of ``b``'s friendships)."""
    shared = set(await friend_ids(session, a)) & set(await friend_ids(session, b))
    return _by_name((await people(session, shared)).values())


@dataclass(frozen=True)
class OpenRequests:
    """The pending friend request between two people, each way (ids, or None)."""

    asked: int | None  # the one ``a`` sent to ``b``
    was_asked: int | None  # the one ``b`` sent to ``a``


async def open_requests(session: AsyncSession, a: int, b: int) -> OpenRequests:
    rows = await session.execute(
        select(FriendRequest.id, FriendRequest.pending_key).where(
            FriendRequest.pending_key.in_([f"{a}>{b}", f"{b}>{a}"])
        )
    )
    found = {key: request_id for request_id, key in rows}
    return OpenRequests(asked=found.get(f"{a}>{b}"), was_asked=found.get(f"{b}>{a}"))


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
    other = {r.id: r.from_user_id if r.to_user_id == user_id else r.to_user_id for r in rows}
    known = await people(session, other.values())
    views = [
        FriendRequestView(
            r.id,
            r.from_user_id,
            r.to_user_id,
            r.message,
            r.context_group_id,
            r.created_at,
            known[other[r.id]],
        )
        for r in rows
        if other[r.id] in known
    ]
    return FriendRequests(
        incoming=[r for r in views if r.to_user_id == user_id],
        outgoing=[r for r in views if r.from_user_id == user_id],
    )


async def already_tied(session: AsyncSession, user_id: int) -> set[int]:
    """Everyone ``user_id`` is already tied to, for better or worse: their friends, those with
    an open friend request from or to them, those they blocked or who blocked them."""
    requests = await session.execute(
        select(FriendRequest.from_user_id, FriendRequest.to_user_id).where(
            FriendRequest.pending_key.is_not(None),
            or_(FriendRequest.from_user_id == user_id, FriendRequest.to_user_id == user_id),
        )
    )
    blocks = await session.execute(
        select(Block.blocker_id, Block.blocked_id).where(
            or_(Block.blocker_id == user_id, Block.blocked_id == user_id)
        )
    )
    tied = set(await friend_ids(session, user_id))
    tied |= {a if b == user_id else b for a, b in [*requests, *blocks]}
    return tied - {user_id}


async def blocked_ids(session: AsyncSession, user_id: int) -> list[int]:
    return list(await session.scalars(select(Block.blocked_id).where(Block.blocker_id == user_id)))
