"""Join requests and introductions: someone asks to join and an admin decides; a member vouches
for someone, who joins when they accept (and an admin approves, where the policy says so)."""

from __future__ import annotations

from sqlalchemy import select

from tuan.accounts.queries import is_verified, user_exists
from tuan.chat.queries import member_ids, member_of
from tuan.core.uow import UnitOfWork
from tuan.groups import domain
from tuan.groups.domain import JoinOutcome
from tuan.groups.errors import (
    AlreadyMember,
    AnswerRequired,
    GroupDissolved,
    GroupNotFound,
    NotAllowedInGroup,
    RequestAlreadyOpen,
    RequestNotFound,
)
from tuan.groups.membership import admit, group_as_admin, group_as_member
from tuan.groups.models import Group, JoinRequest
from tuan.notifications.commands import notify_users
from tuan.social.queries import blocked_either_way


async def open_request(
    uow: UnitOfWork,
    group: Group,
    user_id: int,
    *,
    answer: str,
    via_link_id: int | None = None,
    introduced_by: int | None = None,
    status: str = "pending",
) -> int:
    """Queue ``user_id`` for ``group``: ``pending`` (an admin decides; the admins are told) or
    ``invited`` (a member introduced them; they accept or decline). One open request each."""
    answer = answer.strip()
    if status == "pending" and group.join_question and not answer:
        raise AnswerRequired(f"Please answer: {group.join_question}", field="answer")
    open_key = f"{group.id}:{user_id}"
    if await uow.session.scalar(select(JoinRequest.id).where(JoinRequest.open_key == open_key)):
        raise RequestAlreadyOpen()
    request = JoinRequest(
        group_id=group.id,
        user_id=user_id,
        answer=answer,
        introduced_by=introduced_by,
        via_link_id=via_link_id,
        status=status,
        created_at=uow.now,
        open_key=open_key,
    )
    uow.session.add(request)
    await uow.session.flush()
    if status == "pending":
        await _tell_admins(uow, group, request)
    return request.id


async def _tell_admins(uow: UnitOfWork, group: Group, request: JoinRequest) -> None:
    await notify_users(
        uow,
        await member_ids(uow.session, group.id, roles=domain.ADMINS),
        kind="join_request",
        actor_id=request.user_id,
        conversation_id=group.id,
        data={"request_id": request.id, "group": group.name},
    )


async def _request(
    uow: UnitOfWork, request_id: int, *, status: str, group_id: int | None = None
) -> JoinRequest:
    request = await uow.session.get(JoinRequest, request_id)
    if (
        request is None
        or request.status != status
        or (group_id is not None and request.group_id != group_id)
    ):
        raise RequestNotFound()
    return request


async def decide_request(
    uow: UnitOfWork, *, group_id: int, request_id: int, by: int, approve: bool
) -> None:
    group, _ = await group_as_admin(uow, group_id, by)
    request = await _request(uow, request_id, status="pending", group_id=group_id)
    request.status = "approved" if approve else "declined"
    request.decided_by, request.decided_at, request.open_key = by, uow.now, None
    await uow.session.flush()
    if approve:
        await admit(uow, group, request.user_id, introduced_by=request.introduced_by)
    await notify_users(
        uow,
        [request.user_id],
        kind="join_" + request.status,
        actor_id=by,
        conversation_id=group.id if approve else None,
        data={"group": group.name},
    )


async def cancel_request(uow: UnitOfWork, *, request_id: int, user_id: int) -> None:
    request = await _request(uow, request_id, status="pending")
    if request.user_id != user_id:
        raise RequestNotFound()
    request.status, request.decided_at, request.open_key = "cancelled", uow.now, None


async def introduce(uow: UnitOfWork, *, group_id: int, by: int, user_id: int) -> int:
    """A member vouches for someone; they become a member when they accept (and, in an approval
    group, when an admin approves, unless the introducer is an admin)."""
    group, _ = await group_as_member(uow, group_id, by)
    if user_id == by or not await user_exists(uow.session, user_id):
        raise GroupNotFound("No such person to introduce.")
    if await blocked_either_way(uow.session, by, user_id):
        raise NotAllowedInGroup("You cannot introduce this person.")
    if await member_of(uow.session, group_id, user_id) is not None:
        raise AlreadyMember()
    request_id = await open_request(
        uow, group, user_id, answer="", introduced_by=by, status="invited"
    )
    await notify_users(
        uow,
        [user_id],
        kind="group_invitation",
        actor_id=by,
        data={"request_id": request_id, "group": group.name, "group_id": group.id},
    )
    return request_id


async def answer_introduction(
    uow: UnitOfWork, *, request_id: int, user_id: int, accept: bool
) -> JoinOutcome:
    request = await _request(uow, request_id, status="invited")
    if request.user_id != user_id:
        raise RequestNotFound()
    group = await uow.session.get(Group, request.group_id)
    assert group is not None
    if not accept:
        request.status, request.decided_at, request.open_key = "declined", uow.now, None
        return JoinOutcome("requested", group.id, request.id)
    if group.dissolved_at is not None:
        raise GroupDissolved()
    verified = group.join_policy == "verified" and await is_verified(uow.session, user_id)
    domain.check_verified(group.join_policy, verified=verified)
    introducer = await member_of(uow.session, group.id, request.introduced_by or 0)
    if domain.introduction_needs_admin(group.join_policy, introducer.role if introducer else None):
        request.status = "pending"
        await _tell_admins(uow, group, request)
        return JoinOutcome("requested", group.id, request.id)
    request.status, request.decided_at, request.open_key = "approved", uow.now, None
    await uow.session.flush()
    await admit(uow, group, user_id, introduced_by=request.introduced_by)
    return JoinOutcome("joined", group.id)
