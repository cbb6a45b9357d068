"""A group's life and settings: create it (or a sub-group), change its settings, dissolve it.

Membership (``membership``), invite links (``invites``) and join requests and introductions
(``join_requests``) have modules of their own; the rules they share are in ``domain``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from tuan.accounts.queries import display_name
from tuan.chat import commands as chat
from tuan.core.uow import UnitOfWork
from tuan.groups import domain
from tuan.groups.errors import NotAllowedInGroup
from tuan.groups.membership import admit, announce, group_as_admin, group_as_member
from tuan.groups.models import Group


@dataclass(frozen=True)
class GroupSettings:
    name: str
    description: str = ""
    join_policy: domain.JoinPolicy = "approval"
    join_question: str | None = None
    member_cap: int | None = None
    subgroups_by: Literal["admins", "members"] = "admins"


async def create_group(
    uow: UnitOfWork,
    *,
    owner_id: int,
    settings: GroupSettings,
    deployment_cap: int,
    parent_id: int | None = None,
) -> int:
    """A new group with ``owner_id`` as its owner and only member; returns its id (its
    conversation's id too)."""
    name = domain.clean_name(settings.name)
    policy = domain.check_policy(settings.join_policy)
    cap = domain.member_cap(settings.member_cap, deployment_cap)
    if parent_id is not None:
        parent, membership = await group_as_member(uow, parent_id, owner_id)
        if not domain.may_create_subgroup(membership.role, parent.subgroups_by):
            raise NotAllowedInGroup("Only admins of the parent group can create sub-groups.")
    group_id = await chat.open_group_conversation(uow, title=name, parent_id=parent_id)
    group = Group(
        id=group_id,
        name=name,
        description=settings.description.strip(),
        owner_id=owner_id,
        parent_id=parent_id,
        join_policy=policy,
        join_question=(settings.join_question or "").strip() or None,
        member_cap=cap,
        member_count=0,
        subgroups_by=settings.subgroups_by,
        created_at=uow.now,
    )
    uow.session.add(group)
    await uow.session.flush()
    await announce(
        uow,
        group.id,
        domain.GROUP_CREATED,
        user_id=owner_id,
        name=await display_name(uow.session, owner_id),
        group=name,
        parent_id=parent_id,
    )
    await admit(uow, group, owner_id, role="owner")
    return group.id


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
    """Change settings (owner and admins); what is left out stays as it is."""
    group, _ = await group_as_admin(uow, group_id, user_id)
    if name is not None:
        group.name = domain.clean_name(name)
        await chat.retitle(uow, conversation_id=group.id, title=group.name)
    if description is not None:
        group.description = description.strip()
    if join_policy is not None:
        group.join_policy = domain.check_policy(join_policy)
    if join_question is not None:
        group.join_question = join_question.strip() or None
    if member_cap is not None:
        group.member_cap = domain.member_cap(member_cap, deployment_cap, group.member_count)
    if subgroups_by is not None:
        group.subgroups_by = subgroups_by


async def dissolve(uow: UnitOfWork, *, group_id: int, by: int) -> None:
    """The owner closes the group: history stays readable, nothing new can be posted or joined."""
    group, actor = await group_as_member(uow, group_id, by)
    if actor.role != "owner":
        raise NotAllowedInGroup("Only the owner can dissolve the group.")
    await announce(uow, group.id, domain.GROUP_DISSOLVED)
    group.dissolved_at = uow.now
    await chat.close(uow, conversation_id=group_id)
