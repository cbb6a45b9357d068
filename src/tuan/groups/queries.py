"""Read side of groups."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.chat.models import Member
from tuan.groups.models import Group, InviteLink, JoinRequest


async def visible_group(
    session: AsyncSession, group_id: int, viewer_id: int
) -> tuple[Group, Member] | None:
    """The group and the viewer's membership, or None if the viewer is not a member."""
    row = (
        await session.execute(
            select(Group, Member)
            .join(Member, Member.conversation_id == Group.id)
            .where(Group.id == group_id, Member.user_id == viewer_id)
        )
    ).first()
    return (row[0], row[1]) if row else None


async def groups_of(session: AsyncSession, user_id: int) -> list[Group]:
    """The groups ``user_id`` is a member of and that still exist, oldest first."""
    return list(
        await session.scalars(
            select(Group)
            .join(Member, Member.conversation_id == Group.id)
            .where(Member.user_id == user_id, Group.dissolved_at.is_(None))
            .order_by(Group.id)
        )
    )


async def subgroups(session: AsyncSession, parent_id: int) -> list[Group]:
    return list(
        await session.scalars(
            select(Group)
            .where(Group.parent_id == parent_id, Group.dissolved_at.is_(None))
            .order_by(Group.id)
        )
    )


async def my_membership_ids(session: AsyncSession, user_id: int, group_ids: list[int]) -> set[int]:
    if not group_ids:
        return set()
    return set(
        await session.scalars(
            select(Member.conversation_id).where(
                Member.user_id == user_id, Member.conversation_id.in_(group_ids)
            )
        )
    )


async def invite_links(session: AsyncSession, group_id: int) -> list[InviteLink]:
    return list(
        await session.scalars(
            select(InviteLink).where(InviteLink.group_id == group_id).order_by(InviteLink.id)
        )
    )


async def link_by_code(session: AsyncSession, code: str) -> InviteLink | None:
    return await session.scalar(select(InviteLink).where(InviteLink.code == code))


async def join_requests(session: AsyncSession, group_id: int, status: str) -> list[JoinRequest]:
    return list(
        await session.scalars(
            select(JoinRequest)
            .where(JoinRequest.group_id == group_id, JoinRequest.status == status)
            .order_by(JoinRequest.id)
        )
    )


async def my_invitations(session: AsyncSession, user_id: int) -> list[JoinRequest]:
    return list(
        await session.scalars(
            select(JoinRequest)
            .where(JoinRequest.user_id == user_id, JoinRequest.status == "invited")
            .order_by(JoinRequest.id)
        )
    )


async def member_count(session: AsyncSession, group_id: int) -> int:
    count = await session.scalar(
        select(func.count()).select_from(Member).where(Member.conversation_id == group_id)
    )
    return int(count or 0)


async def live_group_name(session: AsyncSession, group_id: int) -> str | None:
    """The group's name if ``group_id`` is a group that has not been dissolved, else None (a
    direct chat, a dissolved group, nothing)."""
    return await session.scalar(
        select(Group.name).where(Group.id == group_id, Group.dissolved_at.is_(None))
    )
