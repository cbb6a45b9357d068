"""Read side of groups: a group as its member sees it, with what they may do there
(``allowed_actions``, from ``domain``); members, sub-groups, invite links, join requests.

Other domains read group membership through :func:`groups_of`, :func:`meeting_place`,
:func:`groups_shared_with`, :func:`groupmates` and, to join in SQL, :func:`memberships_view`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Subquery, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.queries import avatar_url, display_names
from tuan.chat import queries as chat
from tuan.groups import domain
from tuan.groups.errors import GroupNotFound, NotAllowedInGroup
from tuan.groups.models import Group, InviteLink, JoinRequest


@dataclass(frozen=True)
class GroupView:
    id: int
    name: str
    description: str
    avatar_url: str | None
    parent_id: int | None
    join_policy: str
    join_question: str | None
    member_cap: int
    member_count: int
    subgroups_by: str
    owner_id: int
    dissolved: bool
    my_role: str | None
    allowed_actions: list[str]


@dataclass(frozen=True)
class GroupSummary:
    id: int
    name: str
    member_count: int
    parent_id: int | None


@dataclass(frozen=True)
class SubgroupView:
    id: int
    name: str
    description: str
    join_policy: str
    join_question: str | None
    member_count: int
    member_cap: int
    is_member: bool


@dataclass(frozen=True)
class GroupMember(chat.ConversationMember):
    """A member, with what the viewer may do to them (remove, make_admin, ...)."""

    allowed_actions: list[str]


@dataclass(frozen=True)
class InviteLinkView:
    id: int
    code: str
    created_by: int
    created_at: datetime
    expires_at: datetime | None
    max_uses: int | None
    uses: int
    revoked: bool


@dataclass(frozen=True)
class InvitePreview:
    group_id: int
    name: str
    description: str
    member_count: int
    join_policy: str
    join_question: str | None


@dataclass(frozen=True)
class JoinRequestView:
    id: int
    group_id: int
    user_id: int
    user_name: str
    answer: str
    introduced_by: int | None
    introducer_name: str | None
    status: str
    created_at: datetime


def memberships_view(name: str = "group_memberships") -> Subquery:
    """Who is in which group that still exists, to join on: ``group_id``, ``user_id``, ``role``."""
    members = chat.members_view()
    return (
        select(
            members.c.conversation_id.label("group_id"),
            members.c.user_id.label("user_id"),
            members.c.role.label("role"),
        )
        .join(Group, Group.id == members.c.conversation_id)
        .where(Group.dissolved_at.is_(None))
        .subquery(name)
    )


async def _as_member(session: AsyncSession, group_id: int, viewer_id: int) -> tuple[Group, str]:
    """The group and the viewer's role in it; a non-member learns nothing (not found)."""
    group = await session.get(Group, group_id)
    member = await chat.member_of(session, group_id, viewer_id)
    if group is None or member is None:
        raise GroupNotFound()
    return group, member.role


async def _as_admin(session: AsyncSession, group_id: int, viewer_id: int, what: str) -> Group:
    group, role = await _as_member(session, group_id, viewer_id)
    if not domain.is_admin(role):
        raise NotAllowedInGroup(f"Only the group's owner and admins see its {what}.")
    return group


async def group_for(session: AsyncSession, group_id: int, viewer_id: int) -> GroupView:
    """The group as a member sees it, with what they may do in it."""
    group, role = await _as_member(session, group_id, viewer_id)
    dissolved = group.dissolved_at is not None
    return GroupView(
        id=group.id,
        name=group.name,
        description=group.description,
        avatar_url=avatar_url(group.avatar_key),
        parent_id=group.parent_id,
        join_policy=group.join_policy,
        join_question=group.join_question,
        member_cap=group.member_cap,
        member_count=group.member_count,
        subgroups_by=group.subgroups_by,
        owner_id=group.owner_id,
        dissolved=dissolved,
        my_role=role,
        allowed_actions=[] if dissolved else domain.group_actions(role, group.subgroups_by),
    )


async def members(session: AsyncSession, group_id: int, viewer_id: int) -> list[GroupMember]:
    """The members, each with what the viewer may do to them (remove, make admin, ...)."""
    group, role = await _as_member(session, group_id, viewer_id)
    dissolved = group.dissolved_at is not None
    return [
        GroupMember(
            **vars(m),
            allowed_actions=[]
            if dissolved
            else domain.member_actions(viewer_id, role, m.user_id, m.role),
        )
        for m in await chat.members(session, conversation_id=group_id, viewer_id=viewer_id)
    ]


async def groups_of(session: AsyncSession, user_id: int) -> list[GroupSummary]:
    """The groups ``user_id`` is a member of and that still exist, oldest first."""
    mine = memberships_view()
    rows = await session.execute(
        select(Group.id, Group.name, Group.member_count, Group.parent_id)
        .join(mine, mine.c.group_id == Group.id)
        .where(mine.c.user_id == user_id)
        .order_by(Group.id)
    )
    return [GroupSummary(*row) for row in rows]


async def groups_shared_with(
    session: AsyncSession, user_id: int, others: Collection[int]
) -> dict[int, list[GroupSummary]]:
    """For each of ``others``, the groups (still existing) both they and ``user_id`` are in,
    oldest first; someone sharing none is left out. One statement."""
    found: dict[int, list[GroupSummary]] = {}
    if not others:
        return found
    mine, theirs = memberships_view("mine"), memberships_view("theirs")
    rows = await session.execute(
        select(theirs.c.user_id, Group.id, Group.name, Group.member_count, Group.parent_id)
        .join(mine, mine.c.group_id == theirs.c.group_id)
        .join(Group, Group.id == theirs.c.group_id)
        .where(mine.c.user_id == user_id, theirs.c.user_id.in_(set(others)))
        .order_by(Group.id)
    )
    for other, group_id, name, member_count, parent_id in rows:
        found.setdefault(other, []).append(GroupSummary(group_id, name, member_count, parent_id))
    return found


async def groupmates(session: AsyncSession, user_id: int) -> dict[int, int]:
    """Everyone who shares a group (still existing) with ``user_id``, and how many groups they
    share. One statement."""
    mine, theirs = memberships_view("mine"), memberships_view("theirs")
    rows = await session.execute(
        select(theirs.c.user_id, func.count())
        .join(mine, mine.c.group_id == theirs.c.group_id)
        .where(mine.c.user_id == user_id, theirs.c.user_id != user_id)
        .group_by(theirs.c.user_id)
    )
    return {other: int(count) for other, count in rows}


async def member_of_groups(
    session: AsyncSession, user_id: int, group_ids: Collection[int]
) -> set[int]:
    """Those of ``group_ids`` that are groups (dissolved or not) with ``user_id`` in them."""
    if not group_ids:
        return set()
    members = chat.members_view()
    return set(
        await session.scalars(
            select(Group.id)
            .join(members, members.c.conversation_id == Group.id)
            .where(Group.id.in_(group_ids), members.c.user_id == user_id)
        )
    )


async def meeting_place(session: AsyncSession, group_id: int | None, a: int, b: int) -> int | None:
    """``group_id`` as where ``a`` and ``b`` met, if both are in it (else None)."""
    if group_id is None:
        return None
    both = [await chat.member_of(session, group_id, person) for person in (a, b)]
    found = await session.get(Group, group_id)
    return group_id if found is not None and all(both) else None


async def subgroups(session: AsyncSession, group_id: int, viewer_id: int) -> list[SubgroupView]:
    """Sub-groups of a group the viewer is in, and whether they are in each."""
    await _as_member(session, group_id, viewer_id)
    found = list(
        await session.scalars(
            select(Group)
            .where(Group.parent_id == group_id, Group.dissolved_at.is_(None))
            .order_by(Group.id)
        )
    )
    mine = await chat.member_of_which(session, viewer_id, [g.id for g in found])
    return [
        SubgroupView(
            id=g.id,
            name=g.name,
            description=g.description,
            join_policy=g.join_policy,
            join_question=g.join_question,
            member_count=g.member_count,
            member_cap=g.member_cap,
            is_member=g.id in mine,
        )
        for g in found
    ]


def link_view(link: InviteLink) -> InviteLinkView:
    return InviteLinkView(
        id=link.id,
        code=link.code,
        created_by=link.created_by,
        created_at=link.created_at,
        expires_at=link.expires_at,
        max_uses=link.max_uses,
        uses=link.uses,
        revoked=link.revoked_at is not None,
    )


async def invite_links(
    session: AsyncSession, group_id: int, viewer_id: int
) -> list[InviteLinkView]:
    """The group's invite links (owner and admins only)."""
    await _as_admin(session, group_id, viewer_id, "invite links")
    links = await session.scalars(
        select(InviteLink).where(InviteLink.group_id == group_id).order_by(InviteLink.id)
    )
    return [link_view(link) for link in links]


async def invite_preview(session: AsyncSession, code: str, now: datetime) -> InvitePreview:
    """What a link leads to, for whoever holds it."""
    link = domain.check_link(
        await session.scalar(select(InviteLink).where(InviteLink.code == code)), now
    )
    group = await session.get(Group, link.group_id)
    if group is None or group.dissolved_at is not None:
        raise GroupNotFound()
    return InvitePreview(
        group_id=group.id,
        name=group.name,
        description=group.description,
        member_count=group.member_count,
        join_policy=group.join_policy,
        join_question=group.join_question,
    )


async def _request_views(
    session: AsyncSession, requests: list[JoinRequest]
) -> list[JoinRequestView]:
    names = await display_names(
        session,
        # An introducer may be the deleted user (0, ADR 0011): "is not None", not truthiness.
        {r.user_id for r in requests}
        | {r.introduced_by for r in requests if r.introduced_by is not None},
    )
    return [
        JoinRequestView(
            id=r.id,
            group_id=r.group_id,
            user_id=r.user_id,
            user_name=names.get(r.user_id, "?"),
            answer=r.answer,
            introduced_by=r.introduced_by,
            introducer_name=names.get(r.introduced_by) if r.introduced_by is not None else None,
            status=r.status,
            created_at=r.created_at,
        )
        for r in requests
    ]


async def join_requests(
    session: AsyncSession, group_id: int, viewer_id: int
) -> list[JoinRequestView]:
    """The queue of people waiting for an admin (owner and admins only), oldest first."""
    await _as_admin(session, group_id, viewer_id, "join requests")
    found = await session.scalars(
        select(JoinRequest)
        .where(JoinRequest.group_id == group_id, JoinRequest.status == "pending")
        .order_by(JoinRequest.id)
    )
    return await _request_views(session, list(found))


async def my_invitations(session: AsyncSession, user_id: int) -> list[JoinRequestView]:
    """Introductions waiting for ``user_id`` to accept or decline."""
    found = await session.scalars(
        select(JoinRequest)
        .where(JoinRequest.user_id == user_id, JoinRequest.status == "invited")
        .order_by(JoinRequest.id)
    )
    return await _request_views(session, list(found))


async def live_group_name(session: AsyncSession, group_id: int) -> str | None:
    """The group's name if ``group_id`` is a group that has not been dissolved, else None (a
    direct chat, a dissolved group, nothing)."""
    return await session.scalar(
        select(Group.name).where(Group.id == group_id, Group.dissolved_at.is_(None))
    )


async def groups_owned_by(session: AsyncSession, user_id: int) -> list[tuple[int, str]]:
    """``(id, name)`` of the groups a person owns that are not dissolved: each needs another
    owner, or to be dissolved, before the person can leave Tuan."""
    rows = await session.execute(
        select(Group.id, Group.name)
        .where(Group.owner_id == user_id, Group.dissolved_at.is_(None))
        .order_by(Group.id)
    )
    return [(int(group_id), str(name)) for group_id, name in rows]
