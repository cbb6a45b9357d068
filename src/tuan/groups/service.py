"""Group use cases: create, join (by every policy), leave, remove, roles, invites, requests.

Every join goes through :func:`_admit`, which takes a seat with one conditional update
(``member_count < member_cap``), so concurrent joins can never overfill a group.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import select, update

from tuan.accounts.models import User
from tuan.chat import stream
from tuan.chat.membership import add_member, member_of, remove_member
from tuan.chat.models import Conversation, Member
from tuan.core.db import rows_changed
from tuan.core.uow import UnitOfWork
from tuan.groups.errors import (
    AlreadyMember,
    AnswerRequired,
    GroupDissolved,
    GroupFull,
    GroupNotFound,
    IntroductionRequired,
    InvalidGroupSettings,
    InviteExpired,
    InviteInvalid,
    InviteUsedUp,
    NotAllowedInGroup,
    OwnerCannotLeave,
    RequestAlreadyOpen,
    RequestNotFound,
    VerifiedOnly,
)
from tuan.groups.events import MemberJoined, MemberLeft
from tuan.groups.models import Group, InviteLink, JoinRequest
from tuan.notifications.service import notify_users
from tuan.realtime import topics
from tuan.social.queries import blocked_either_way

JoinPolicy = Literal["open", "approval", "introduced", "verified"]
POLICIES = ("open", "approval", "introduced", "verified")
ADMINS = ("owner", "admin")


@dataclass(frozen=True)
class GroupSettings:
    name: str
    description: str = ""
    join_policy: JoinPolicy = "approval"
    join_question: str | None = None
    member_cap: int | None = None
    subgroups_by: Literal["admins", "members"] = "admins"


@dataclass(frozen=True)
class JoinOutcome:
    status: Literal["joined", "requested"]
    group_id: int
    request_id: int | None = None


def _clean_name(name: str) -> str:
    name = unicodedata.normalize("NFC", name).strip()
    if not 1 <= len(name) <= 80:
        raise InvalidGroupSettings("A group name is 1 to 80 characters.", field="name")
    return name


def _cap(requested: int | None, deployment_cap: int, current: int = 0) -> int:
    cap = deployment_cap if requested is None else requested
    if not 2 <= cap <= deployment_cap:
        raise InvalidGroupSettings(
            f"The member cap is between 2 and {deployment_cap}.", field="member_cap"
        )
    if cap < current:
        raise InvalidGroupSettings(
            f"The group already has {current} members; the cap cannot be lower.",
            field="member_cap",
        )
    return cap


async def _group_as_member(uow: UnitOfWork, group_id: int, user_id: int) -> tuple[Group, Member]:
    group = await uow.session.get(Group, group_id)
    member = await member_of(uow.session, group_id, user_id)
    if group is None or member is None:
        raise GroupNotFound()
    if group.dissolved_at is not None:
        raise GroupDissolved()
    return group, member


async def _group_as_admin(uow: UnitOfWork, group_id: int, user_id: int) -> tuple[Group, Member]:
    group, member = await _group_as_member(uow, group_id, user_id)
    if member.role not in ADMINS:
        raise NotAllowedInGroup("Only the group's owner and admins can do that.")
    return group, member


async def _name_of(uow: UnitOfWork, user_id: int) -> str:
    return await uow.session.scalar(select(User.display_name).where(User.id == user_id)) or "?"


async def _announce(uow: UnitOfWork, group_id: int, text: str, data: dict[str, object]) -> None:
    view = await stream.system_message(
        uow.session, group_id, text=text, data=dict(data), now=uow.now
    )
    uow.notify(topics.CONVERSATION_CHANGED, view)


async def _admit(
    uow: UnitOfWork,
    group: Group,
    user_id: int,
    *,
    role: str = "member",
    introduced_by: int | None = None,
) -> None:
    """Take a seat (or refuse: full) and add the member, announcing it to the group."""
    if await member_of(uow.session, group.id, user_id) is not None:
        raise AlreadyMember()
    seated = await uow.session.execute(
        update(Group)
        .where(
            Group.id == group.id,
            Group.member_count < Group.member_cap,
            Group.dissolved_at.is_(None),
        )
        .values(member_count=Group.member_count + 1)
        .execution_options(synchronize_session=False)
    )
    if not rows_changed(seated):
        raise GroupFull(f"The group is full ({group.member_cap} members).")
    await add_member(
        uow.session, group.id, user_id, role=role, now=uow.now, introduced_by=introduced_by
    )
    uow.notify(
        topics.MEMBERSHIP_CHANGED, {"conversation_id": group.id, "user_id": user_id, "joined": True}
    )
    name = await _name_of(uow, user_id)
    data: dict[str, object] = {"event": "joined", "user_id": user_id}
    text = f"{name} joined"
    if introduced_by is not None:
        data["introduced_by"] = introduced_by
        text += f", introduced by {await _name_of(uow, introduced_by)}"
    await _announce(uow, group.id, text, data)
    uow.emit(MemberJoined(group_id=group.id, user_id=user_id, introduced_by=introduced_by))


async def _release(uow: UnitOfWork, group: Group, user_id: int, *, by: int | None) -> None:
    if not await remove_member(uow.session, group.id, user_id):
        return
    await uow.session.execute(
        update(Group)
        .where(Group.id == group.id)
        .values(member_count=Group.member_count - 1)
        .execution_options(synchronize_session=False)
    )
    uow.notify(
        topics.MEMBERSHIP_CHANGED,
        {"conversation_id": group.id, "user_id": user_id, "joined": False},
    )
    name = await _name_of(uow, user_id)
    text = f"{name} left" if by is None else f"{name} was removed"
    await _announce(uow, group.id, text, {"event": "left", "user_id": user_id, "by": by})
    uow.emit(MemberLeft(group_id=group.id, user_id=user_id, removed_by=by))


async def create_group(
    uow: UnitOfWork,
    *,
    owner_id: int,
    settings: GroupSettings,
    deployment_cap: int,
    parent_id: int | None = None,
) -> int:
    name = _clean_name(settings.name)
    if settings.join_policy not in POLICIES:
        raise InvalidGroupSettings(field="join_policy")
    cap = _cap(settings.member_cap, deployment_cap)
    async with uow:
        if parent_id is not None:
            parent, membership = await _group_as_member(uow, parent_id, owner_id)
            if parent.subgroups_by == "admins" and membership.role not in ADMINS:
                raise NotAllowedInGroup("Only admins of the parent group can create sub-groups.")
        conversation = Conversation(kind="group", created_at=uow.now)
        uow.session.add(conversation)
        await uow.session.flush()
        group = Group(
            id=conversation.id,
            name=name,
            description=settings.description.strip(),
            owner_id=owner_id,
            parent_id=parent_id,
            join_policy=settings.join_policy,
            join_question=(settings.join_question or "").strip() or None,
            member_cap=cap,
            member_count=0,
            subgroups_by=settings.subgroups_by,
            created_at=uow.now,
        )
        uow.session.add(group)
        await uow.session.flush()
        await _announce(
            uow,
            group.id,
            f"{await _name_of(uow, owner_id)} created {name}",
            {
                "event": "created",
                "user_id": owner_id,
                "parent_id": parent_id,
            },
        )
        await _admit(uow, group, owner_id, role="owner")
        await uow.commit()
        return group.id


async def add_members(uow: UnitOfWork, *, group_id: int, user_ids: list[int], by: int) -> None:
    """Bring people straight in (seeding and imports, not exposed over HTTP): the cap still
    holds; join policies are for people asking to come in, not for the owner's own list."""
    async with uow:
        group, _ = await _group_as_admin(uow, group_id, by)
        for user_id in user_ids:
            await _admit(uow, group, user_id)
        await uow.commit()


async def update_group(
    uow: UnitOfWork,
    *,
    group_id: int,
    user_id: int,
    deployment_cap: int,
    name: str | None = None,
    description: str | None = None,
    join_policy: str | None = None,
    join_question: str | None = None,
    member_cap: int | None = None,
    subgroups_by: str | None = None,
) -> None:
    async with uow:
        group, _ = await _group_as_admin(uow, group_id, user_id)
        if name is not None:
            group.name = _clean_name(name)
        if description is not None:
            group.description = description.strip()
        if join_policy is not None:
            if join_policy not in POLICIES:
                raise InvalidGroupSettings(field="join_policy")
            group.join_policy = join_policy
        if join_question is not None:
            group.join_question = join_question.strip() or None
        if member_cap is not None:
            group.member_cap = _cap(member_cap, deployment_cap, group.member_count)
        if subgroups_by is not None:
            group.subgroups_by = subgroups_by
        await uow.commit()


async def leave(uow: UnitOfWork, *, group_id: int, user_id: int) -> None:
    async with uow:
        group, member = await _group_as_member(uow, group_id, user_id)
        if member.role == "owner":
            raise OwnerCannotLeave()
        await _release(uow, group, user_id, by=None)
        await uow.commit()


async def remove(uow: UnitOfWork, *, group_id: int, user_id: int, by: int) -> None:
    """An admin removes a member; only the owner may remove an admin; nobody removes the owner."""
    async with uow:
        group, actor = await _group_as_admin(uow, group_id, by)
        target = await member_of(uow.session, group_id, user_id)
        if target is None:
            raise GroupNotFound("That person is not a member of this group.")
        if target.role == "owner" or (target.role == "admin" and actor.role != "owner"):
            raise NotAllowedInGroup("You cannot remove this member.")
        await _release(uow, group, user_id, by=by)
        await uow.commit()


async def set_role(
    uow: UnitOfWork, *, group_id: int, user_id: int, role: Literal["admin", "member"], by: int
) -> None:
    async with uow:
        group, actor = await _group_as_member(uow, group_id, by)
        if actor.role != "owner":
            raise NotAllowedInGroup("Only the owner can appoint or dismiss admins.")
        target = await member_of(uow.session, group_id, user_id)
        if target is None or target.role == "owner":
            raise GroupNotFound("That person is not a member you can change.")
        if target.role != role:
            target.role = role
            name = await _name_of(uow, user_id)
            verb = "is now an admin" if role == "admin" else "is no longer an admin"
            await _announce(
                uow, group.id, f"{name} {verb}", {"event": "role", "user_id": user_id, "role": role}
            )
        await uow.commit()


async def transfer_ownership(uow: UnitOfWork, *, group_id: int, to_user_id: int, by: int) -> None:
    async with uow:
        group, actor = await _group_as_member(uow, group_id, by)
        if actor.role != "owner":
            raise NotAllowedInGroup("Only the owner can hand the group over.")
        target = await member_of(uow.session, group_id, to_user_id)
        if target is None or to_user_id == by:
            raise GroupNotFound("Hand the group to another member of it.")
        target.role, actor.role = "owner", "admin"
        group.owner_id = to_user_id
        await _announce(
            uow,
            group.id,
            f"{await _name_of(uow, to_user_id)} is now the owner",
            {
                "event": "owner",
                "user_id": to_user_id,
            },
        )
        await uow.commit()


async def dissolve(uow: UnitOfWork, *, group_id: int, by: int) -> None:
    """The owner closes the group: history stays readable, nothing new can be posted or joined."""
    async with uow:
        group, actor = await _group_as_member(uow, group_id, by)
        if actor.role != "owner":
            raise NotAllowedInGroup("Only the owner can dissolve the group.")
        await _announce(uow, group.id, "The group was dissolved", {"event": "dissolved"})
        group.dissolved_at = uow.now
        conversation = await uow.session.get(Conversation, group_id)
        assert conversation is not None
        conversation.closed_at = uow.now
        await uow.commit()


# --- invite links ---------------------------------------------------------------------------


async def create_invite_link(
    uow: UnitOfWork,
    *,
    group_id: int,
    by: int,
    expires_in: timedelta | None,
    max_uses: int | None,
) -> InviteLink:
    async with uow:
        await _group_as_admin(uow, group_id, by)
        link = InviteLink(
            group_id=group_id,
            code=secrets.token_urlsafe(12),
            created_by=by,
            created_at=uow.now,
            expires_at=uow.now + expires_in if expires_in else None,
            max_uses=max_uses,
            uses=0,
        )
        uow.session.add(link)
        await uow.commit()
    return link


async def revoke_invite_link(uow: UnitOfWork, *, group_id: int, link_id: int, by: int) -> None:
    async with uow:
        await _group_as_admin(uow, group_id, by)
        link = await uow.session.get(InviteLink, link_id)
        if link is None or link.group_id != group_id:
            raise InviteInvalid()
        link.revoked_at = link.revoked_at or uow.now
        await uow.commit()


def check_link(link: InviteLink | None, now: datetime) -> InviteLink:
    if link is None or link.revoked_at is not None:
        raise InviteInvalid()
    if link.expires_at is not None and link.expires_at <= now:
        raise InviteExpired()
    if link.max_uses is not None and link.uses >= link.max_uses:
        raise InviteUsedUp()
    return link


async def _use_link(uow: UnitOfWork, link: InviteLink) -> None:
    """Count one use, atomically; a link at its limit refuses the extra joiner."""
    used = await uow.session.execute(
        update(InviteLink)
        .where(
            InviteLink.id == link.id,
            InviteLink.revoked_at.is_(None),
            (InviteLink.max_uses.is_(None)) | (InviteLink.uses < InviteLink.max_uses),
        )
        .values(uses=InviteLink.uses + 1)
        .execution_options(synchronize_session=False)
    )
    if not rows_changed(used):
        raise InviteUsedUp()


async def join_by_link(
    uow: UnitOfWork, *, code: str, user_id: int, answer: str = ""
) -> JoinOutcome:
    async with uow:
        link = check_link(
            await uow.session.scalar(select(InviteLink).where(InviteLink.code == code)), uow.now
        )
        group = await uow.session.get(Group, link.group_id)
        assert group is not None
        outcome = await _enter(uow, group, user_id, answer=answer, link=link)
        await uow.commit()
    return outcome


async def request_to_join(
    uow: UnitOfWork, *, group_id: int, user_id: int, answer: str = ""
) -> JoinOutcome:
    """A member of the parent group joins (or asks to join) one of its sub-groups."""
    async with uow:
        group = await uow.session.get(Group, group_id)
        if group is None or group.parent_id is None:
            raise GroupNotFound()
        if await member_of(uow.session, group.parent_id, user_id) is None:
            if await member_of(uow.session, group_id, user_id) is not None:
                raise AlreadyMember()
            raise GroupNotFound()
        outcome = await _enter(uow, group, user_id, answer=answer, link=None)
        await uow.commit()
    return outcome


async def _enter(
    uow: UnitOfWork, group: Group, user_id: int, *, answer: str, link: InviteLink | None
) -> JoinOutcome:
    if group.dissolved_at is not None:
        raise GroupDissolved()
    if await member_of(uow.session, group.id, user_id) is not None:
        raise AlreadyMember()
    if group.join_policy == "introduced":
        raise IntroductionRequired()
    if group.join_policy == "verified" and not await _is_verified(uow, user_id):
        raise VerifiedOnly()
    if group.join_policy == "approval":
        request_id = await _open_request(uow, group, user_id, answer=answer, link=link)
        if link is not None:
            await _use_link(uow, link)
        return JoinOutcome("requested", group.id, request_id)
    if link is not None:
        await _use_link(uow, link)
    await _admit(uow, group, user_id)
    return JoinOutcome("joined", group.id)


async def _is_verified(uow: UnitOfWork, user_id: int) -> bool:
    return bool(await uow.session.scalar(select(User.verified).where(User.id == user_id)))


async def _open_request(
    uow: UnitOfWork,
    group: Group,
    user_id: int,
    *,
    answer: str,
    link: InviteLink | None,
    introduced_by: int | None = None,
    status: str = "pending",
) -> int:
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
        via_link_id=link.id if link else None,
        status=status,
        created_at=uow.now,
        open_key=open_key,
    )
    uow.session.add(request)
    await uow.session.flush()
    if status == "pending":
        admins = await uow.session.scalars(
            select(Member.user_id).where(
                Member.conversation_id == group.id, Member.role.in_(ADMINS)
            )
        )
        await notify_users(
            uow,
            admins,
            kind="join_request",
            actor_id=user_id,
            conversation_id=group.id,
            data={"request_id": request.id, "group": group.name},
        )
    return request.id


async def _pending_request(
    uow: UnitOfWork, request_id: int, group_id: int, status: str
) -> JoinRequest:
    request = await uow.session.get(JoinRequest, request_id)
    if request is None or request.group_id != group_id or request.status != status:
        raise RequestNotFound()
    return request


async def decide_request(
    uow: UnitOfWork, *, group_id: int, request_id: int, by: int, approve: bool
) -> None:
    async with uow:
        group, _ = await _group_as_admin(uow, group_id, by)
        request = await _pending_request(uow, request_id, group_id, "pending")
        request.status = "approved" if approve else "declined"
        request.decided_by, request.decided_at, request.open_key = by, uow.now, None
        await uow.session.flush()
        if approve:
            await _admit(uow, group, request.user_id, introduced_by=request.introduced_by)
        await notify_users(
            uow,
            [request.user_id],
            kind="join_" + request.status,
            actor_id=by,
            conversation_id=group.id if approve else None,
            data={"group": group.name},
        )
        await uow.commit()


async def cancel_request(uow: UnitOfWork, *, request_id: int, user_id: int) -> None:
    async with uow:
        request = await uow.session.get(JoinRequest, request_id)
        if request is None or request.user_id != user_id or request.status != "pending":
            raise RequestNotFound()
        request.status, request.decided_at, request.open_key = "cancelled", uow.now, None
        await uow.commit()


# --- introductions --------------------------------------------------------------------------


async def introduce(uow: UnitOfWork, *, group_id: int, by: int, user_id: int) -> int:
    """A member vouches for someone; they become a member when they accept (and, in an approval
    group, when an admin approves, unless the introducer is an admin)."""
    async with uow:
        group, _ = await _group_as_member(uow, group_id, by)
        if await uow.session.get(User, user_id) is None or user_id == by:
            raise GroupNotFound("No such person to introduce.")
        if await blocked_either_way(uow.session, by, user_id):
            raise NotAllowedInGroup("You cannot introduce this person.")
        if await member_of(uow.session, group_id, user_id) is not None:
            raise AlreadyMember()
        request_id = await _open_request(
            uow, group, user_id, answer="", link=None, introduced_by=by, status="invited"
        )
        await notify_users(
            uow,
            [user_id],
            kind="group_invitation",
            actor_id=by,
            data={"request_id": request_id, "group": group.name, "group_id": group.id},
        )
        await uow.commit()
    return request_id


async def answer_introduction(
    uow: UnitOfWork, *, request_id: int, user_id: int, accept: bool
) -> JoinOutcome:
    async with uow:
        request = await uow.session.get(JoinRequest, request_id)
        if request is None or request.user_id != user_id or request.status != "invited":
            raise RequestNotFound()
        group = await uow.session.get(Group, request.group_id)
        assert group is not None
        if not accept:
            request.status, request.decided_at, request.open_key = "declined", uow.now, None
            await uow.commit()
            return JoinOutcome("requested", group.id, request.id)
        if group.dissolved_at is not None:
            raise GroupDissolved()
        if group.join_policy == "verified" and not await _is_verified(uow, user_id):
            raise VerifiedOnly()
        introducer = await member_of(uow.session, group.id, request.introduced_by or 0)
        needs_admin = group.join_policy == "approval" and (
            introducer is None or introducer.role not in ADMINS
        )
        if needs_admin:
            request.status = "pending"
            admins = await uow.session.scalars(
                select(Member.user_id).where(
                    Member.conversation_id == group.id, Member.role.in_(ADMINS)
                )
            )
            await notify_users(
                uow,
                admins,
                kind="join_request",
                actor_id=user_id,
                conversation_id=group.id,
                data={"request_id": request.id, "group": group.name},
            )
            await uow.commit()
            return JoinOutcome("requested", group.id, request.id)
        request.status, request.decided_at, request.open_key = "approved", uow.now, None
        await uow.session.flush()
        await _admit(uow, group, user_id, introduced_by=request.introduced_by)
        await uow.commit()
    return JoinOutcome("joined", group.id)
