"""Friends and blocks."""

from __future__ import annotations

from sqlalchemy import delete, or_, select

from tuan.accounts.queries import user_exists
from tuan.core.uow import UnitOfWork
from tuan.notifications.commands import notify_users
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
) -> int | None:
    """Ask someone to be friends; returns the request's id. If they already asked me, this
    accepts (returns None).

    ``context_group_id`` is where the two met: the caller passes only a group both are in
    (``tuan.groups.queries.meeting_place``); the graph itself knows nothing of groups.
    """
    if from_user_id == to_user_id:
        raise PersonNotFound("You cannot befriend yourself.")
    if not await user_exists(uow.session, to_user_id):
        raise PersonNotFound()
    if await blocked_either_way(uow.session, from_user_id, to_user_id):
        raise Blocked()
    if await are_friends(uow.session, from_user_id, to_user_id):
        raise AlreadyFriends()
    reverse = await uow.session.scalar(
        select(FriendRequest).where(FriendRequest.pending_key == f"{to_user_id}>{from_user_id}")
    )
    if reverse is not None:
        reverse.status, reverse.decided_at, reverse.pending_key = "accepted", uow.now, None
        await _befriend(uow, from_user_id, to_user_id, reverse.context_group_id or context_group_id)
        await notify_users(uow, [to_user_id], kind="friend_accepted", actor_id=from_user_id)
        return None
    key = f"{from_user_id}>{to_user_id}"
    if await uow.session.scalar(select(FriendRequest.id).where(FriendRequest.pending_key == key)):
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
    return request.id


async def answer_friend_request(
    uow: UnitOfWork, *, request_id: int, user_id: int, accept: bool
) -> None:
    request = await uow.session.get(FriendRequest, request_id)
    if request is None or request.to_user_id != user_id or request.status != "pending":
        raise RequestNotFound()
    request.status = "accepted" if accept else "declined"
    request.decided_at, request.pending_key = uow.now, None
    if accept:
        await _befriend(uow, request.from_user_id, user_id, request.context_group_id)
        await notify_users(uow, [request.from_user_id], kind="friend_accepted", actor_id=user_id)


async def unfriend(uow: UnitOfWork, *, user_id: int, other_id: int) -> None:
    low, high = ordered(user_id, other_id)
    friendship = await uow.session.get(Friendship, (low, high))
    if friendship is None:
        raise PersonNotFound("You are not friends with this person.")
    await uow.session.delete(friendship)


async def block(uow: UnitOfWork, *, blocker_id: int, blocked_id: int) -> None:
    """Block someone: ends the friendship and any open requests between you, both ways."""
    if blocker_id == blocked_id:
        raise PersonNotFound("You cannot block yourself.")
    if not await user_exists(uow.session, blocked_id):
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


async def unblock(uow: UnitOfWork, *, blocker_id: int, blocked_id: int) -> None:
    await uow.session.execute(
        delete(Block).where(Block.blocker_id == blocker_id, Block.blocked_id == blocked_id)
    )
