"""Who is in a group and with which role: admitting (the one way in), leaving, removing,
appointing admins, handing the group over.

A group's members are its conversation's members, changed through ``tuan.chat.commands`` in
this domain's transaction. Every join goes through :func:`admit`, which takes a seat with one
conditional update (``member_count < member_cap``), so concurrent joins never overfill a group.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import update

from tuan.accounts.queries import display_name
from tuan.chat import commands as chat
from tuan.chat.queries import Membership, member_of
from tuan.core.db import rows_changed
from tuan.core.uow import UnitOfWork
from tuan.groups import domain
from tuan.groups.errors import (
    AlreadyMember,
    GroupDissolved,
    GroupFull,
    GroupNotFound,
    NotAllowedInGroup,
    OwnerCannotLeave,
)
from tuan.groups.events import MemberJoined, MemberLeft
from tuan.groups.models import Group


async def group_as_member(uow: UnitOfWork, group_id: int, user_id: int) -> tuple[Group, Membership]:
    """The group and ``user_id``'s place in it; a non-member learns nothing (not found)."""
    group = await uow.session.get(Group, group_id)
    member = await member_of(uow.session, group_id, user_id)
    if group is None or member is None:
        raise GroupNotFound()
    if group.dissolved_at is not None:
        raise GroupDissolved()
    return group, member


async def group_as_admin(uow: UnitOfWork, group_id: int, user_id: int) -> tuple[Group, Membership]:
    group, member = await group_as_member(uow, group_id, user_id)
    if not domain.is_admin(member.role):
        raise NotAllowedInGroup("Only the group's owner and admins can do that.")
    return group, member


async def announce(uow: UnitOfWork, group_id: int, code: str, **params: Any) -> None:
    """Write a line into the group's chat: a code from ``domain.SYSTEM_LINES`` and what the
    sentence needs (names as they are now, ids to link them)."""
    await chat.post_system_message(uow, conversation_id=group_id, code=code, params=params)


async def admit(
    uow: UnitOfWork,
    group: Group,
    user_id: int,
    *,
    role: domain.Role = "member",
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
    await chat.add_member(
        uow, conversation_id=group.id, user_id=user_id, role=role, introduced_by=introduced_by
    )
    name = await display_name(uow.session, user_id)
    if introduced_by is None:
        await announce(uow, group.id, domain.MEMBER_JOINED, user_id=user_id, name=name)
    else:
        await announce(
            uow,
            group.id,
            domain.MEMBER_JOINED_INTRODUCED,
            user_id=user_id,
            name=name,
            introduced_by=introduced_by,
            introducer=await display_name(uow.session, introduced_by),
        )
    uow.emit(MemberJoined(group_id=group.id, user_id=user_id, introduced_by=introduced_by))


async def add_members(uow: UnitOfWork, *, group_id: int, user_ids: list[int], by: int) -> None:
    """Bring people straight in (seeding and imports, not exposed over HTTP): the cap still
    holds; join policies are for people asking to come in, not for the owner's own list."""
    group, _ = await group_as_admin(uow, group_id, by)
    for user_id in user_ids:
        await admit(uow, group, user_id)


async def _release(uow: UnitOfWork, group: Group, user_id: int, *, by: int | None) -> None:
    if not await chat.remove_member(uow, conversation_id=group.id, user_id=user_id):
        return
    await uow.session.execute(
        update(Group)
        .where(Group.id == group.id)
        .values(member_count=Group.member_count - 1)
        .execution_options(synchronize_session=False)
    )
    name = await display_name(uow.session, user_id)
    if by is None:
        await announce(uow, group.id, domain.MEMBER_LEFT, user_id=user_id, name=name)
    else:
        await announce(uow, group.id, domain.MEMBER_REMOVED, user_id=user_id, name=name, by=by)
    uow.emit(MemberLeft(group_id=group.id, user_id=user_id, removed_by=by))


async def leave(uow: UnitOfWork, *, group_id: int, user_id: int) -> None:
    group, member = await group_as_member(uow, group_id, user_id)
    if member.role == "owner":
        raise OwnerCannotLeave()
    await _release(uow, group, user_id, by=None)


async def remove(uow: UnitOfWork, *, group_id: int, user_id: int, by: int) -> None:
    """An admin removes a member (see ``domain.may_remove``)."""
    group, actor = await group_as_admin(uow, group_id, by)
    target = await member_of(uow.session, group_id, user_id)
    if target is None:
        raise GroupNotFound("That person is not a member of this group.")
    if not domain.may_remove(actor.role, target.role):
        raise NotAllowedInGroup("You cannot remove this member.")
    await _release(uow, group, user_id, by=by)


async def set_role(
    uow: UnitOfWork, *, group_id: int, user_id: int, role: Literal["admin", "member"], by: int
) -> None:
    group, actor = await group_as_member(uow, group_id, by)
    if actor.role != "owner":
        raise NotAllowedInGroup("Only the owner can appoint or dismiss admins.")
    target = await member_of(uow.session, group_id, user_id)
    if target is None or not domain.may_change_role(actor.role, target.role):
        raise GroupNotFound("That person is not a member you can change.")
    if target.role != role:
        await chat.set_role(uow, conversation_id=group.id, user_id=user_id, role=role)
        code = domain.ADMIN_APPOINTED if role == "admin" else domain.ADMIN_DISMISSED
        await announce(
            uow, group.id, code, user_id=user_id, name=await display_name(uow.session, user_id)
        )


async def transfer_ownership(uow: UnitOfWork, *, group_id: int, to_user_id: int, by: int) -> None:
    group, actor = await group_as_member(uow, group_id, by)
    if actor.role != "owner":
        raise NotAllowedInGroup("Only the owner can hand the group over.")
    target = await member_of(uow.session, group_id, to_user_id)
    if target is None or to_user_id == by:
        raise GroupNotFound("Hand the group to another member of it.")
    await chat.set_role(uow, conversation_id=group.id, user_id=to_user_id, role="owner")
    await chat.set_role(uow, conversation_id=group.id, user_id=by, role="admin")
    group.owner_id = to_user_id
    await announce(
        uow,
        group.id,
        domain.OWNER_CHANGED,
        user_id=to_user_id,
        name=await display_name(uow.session, to_user_id),
    )
