"""Friends and blocks."""

from __future__ import annotations

from sqlalchemy import delete, or_, select

from tuan.accounts.models import User
from tuan.chat.membership import member_of
from tuan.core.uow import UnitOfWork
from tuan.notifications.service import notify_users
from tuan.social.errors import (
    AlreadyFriends,
    Blocked,
    PersonNotFound,
    RequestAlreadyOpen,
    RequestNotFound,
)
from tuan.social.events import FriendshipFormed
from tuan.social.models import Block, FriendRequest, Friendship
from tuan.social.queries import are_friends, blocked_either_way, ordered


async def _befriend(uow: UnitOfWork, a: int, b: int, context_group_id: int | None) -> None:
    low, high = ordered(a, b)
    uow.session.add(
        Friendship(
            user_low=low, user_high=high, created_at=uow.now, context_group_id=context_group_id
        )
    )
    uow.emit(FriendshipFormed(user_a=low, user_b=high))


async def request_friendship(
    uow: UnitOfWork,
    *,
    from_user_id: int,
    to_user_id: int,
    message: str = "",
    context_group_id: int | None = None,
) -> FriendRequest | None:
    """Ask someone to be friends. If they already asked me, this accepts (returns None)."""
    if from_user_id == to_user_id:
        raise PersonNotFound("You cannot befriend yourself.")
    async with uow:
        if await uow.session.get(User, to_user_id) is None:
            raise PersonNotFound()
        if await blocked_either_way(uow.session, from_user_id, to_user_id):
            raise Blocked()
        if await are_friends(uow.session, from_user_id, to_user_id):
            raise AlreadyFriends()
        if context_group_id is not None and not (
            await member_of(uow.session, context_group_id, from_user_id)
            and await member_of(uow.session, context_group_id, to_user_id)
        ):
            context_group_id = None  # only a group both are in can be the context
        reverse = await uow.session.scalar(
            select(FriendRequest).where(FriendRequest.pending_key == f"{to_user_id}>{from_user_id}")
        )
        if reverse is not None:
            reverse.status, reverse.decided_at, reverse.pending_key = "accepted", uow.now, None
            await _befriend(
                uow, from_user_id, to_user_id, reverse.context_group_id or context_group_id
            )
            await notify_users(uow, [to_user_id], kind="friend_accepted", actor_id=from_user_id)
            await uow.commit()
            return None
        key = f"{from_user_id}>{to_user_id}"
        if await uow.session.scalar(
            select(FriendRequest.id).where(FriendRequest.pending_key == key)
        ):
            raise RequestAlreadyOpen("You already asked; wait for an answer.")
        request = FriendRequest(
            from_user_id=from_user_id,
            to_user_id=to_user_id,
            message=message.strip()[:200],
            context_group_id=context_group_id,
            status="pending",
            created_at=uow.now,
            pending_key=key,
        )
        uow.session.add(request)
        await uow.session.flush()
        await notify_users(
            uow,
            [to_user_id],
            kind="friend_request",
            actor_id=from_user_id,
            data={"request_id": request.id, "context_group_id": context_group_id},
        )
        await uow.commit()
    return request


async def answer_friend_request(
    uow: UnitOfWork, *, request_id: int, user_id: int, accept: bool
) -> None:
    async with uow:
        request = await uow.session.get(FriendRequest, request_id)
        if request is None or request.to_user_id != user_id or request.status != "pending":
            raise RequestNotFound()
        request.status = "accepted" if accept else "declined"
        request.decided_at, request.pending_key = uow.now, None
        if accept:
            await _befriend(uow, request.from_user_id, user_id, request.context_group_id)
            await notify_users(
                uow, [request.from_user_id], kind="friend_accepted", actor_id=user_id
            )
        await uow.commit()


async def unfriend(uow: UnitOfWork, *, user_id: int, other_id: int) -> None:
    low, high = ordered(user_id, other_id)
    async with uow:
        friendship = await uow.session.get(Friendship, (low, high))
        if friendship is None:
            raise PersonNotFound("You are not friends with this person.")
        await uow.session.delete(friendship)
        await uow.commit()


async def block(uow: UnitOfWork, *, blocker_id: int, blocked_id: int) -> None:
    """Block someone: ends the friendship and any open requests between you, both ways."""
    if blocker_id == blocked_id:
        raise PersonNotFound("You cannot block yourself.")
    async with uow:
        if await uow.session.get(User, blocked_id) is None:
            raise PersonNotFound()
        if await uow.session.get(Block, (blocker_id, blocked_id)) is None:
            uow.session.add(Block(blocker_id=blocker_id, blocked_id=blocked_id, created_at=uow.now))
        low, high = ordered(blocker_id, blocked_id)
        await uow.session.execute(
            delete(Friendship).where(Friendship.user_low == low, Friendship.user_high == high)
        )
        pending = await uow.session.scalars(
            select(FriendRequest).where(
                or_(
                    FriendRequest.pending_key == f"{blocker_id}>{blocked_id}",
                    FriendRequest.pending_key == f"{blocked_id}>{blocker_id}",
                )
            )
        )
        for request in pending:
            request.status, request.decided_at, request.pending_key = "cancelled", uow.now, None
        await uow.commit()


async def unblock(uow: UnitOfWork, *, blocker_id: int, blocked_id: int) -> None:
    async with uow:
        await uow.session.execute(
            delete(Block).where(Block.blocker_id == blocker_id, Block.blocked_id == blocked_id)
        )
        await uow.commit()
