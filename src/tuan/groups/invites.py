"""Invite links, and joining by one or from a parent group: at once, or by a request an admin
decides (``join_requests``), as the group's join policy says (``domain.entry``)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select, update

from tuan.accounts.queries import is_verified
from tuan.chat.queries import member_of
from tuan.core.db import rows_changed
from tuan.core.uow import UnitOfWork
from tuan.groups import domain
from tuan.groups.domain import JoinOutcome
from tuan.groups.errors import (
    AlreadyMember,
    GroupDissolved,
    GroupNotFound,
    InviteInvalid,
    InviteUsedUp,
)
from tuan.groups.join_requests import open_request
from tuan.groups.membership import admit, group_as_admin
from tuan.groups.models import Group, InviteLink
from tuan.groups.queries import InviteLinkView, link_view


async def create_invite_link(
    uow: UnitOfWork,
    *,
    group_id: int,
    by: int,
    expires_in: timedelta | None,
    max_uses: int | None,
) -> InviteLinkView:
    """An invite link (admins), optionally expiring and with a maximum number of uses."""
    await group_as_admin(uow, group_id, by)
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
    await uow.session.flush()
    return link_view(link)


async def revoke_invite_link(uow: UnitOfWork, *, group_id: int, link_id: int, by: int) -> None:
    await group_as_admin(uow, group_id, by)
    link = await uow.session.get(InviteLink, link_id)
    if link is None or link.group_id != group_id:
        raise InviteInvalid()
    link.revoked_at = link.revoked_at or uow.now


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
    """Join (open and verified groups) or ask to join (approval groups) through a link."""
    link = domain.check_link(
        await uow.session.scalar(select(InviteLink).where(InviteLink.code == code)), uow.now
    )
    group = await uow.session.get(Group, link.group_id)
    assert group is not None
    return await _enter(uow, group, user_id, answer=answer, link=link)


async def request_to_join(
    uow: UnitOfWork, *, group_id: int, user_id: int, answer: str = ""
) -> JoinOutcome:
    """A member of the parent group joins (or asks to join) one of its sub-groups."""
    group = await uow.session.get(Group, group_id)
    if group is None or group.parent_id is None:
        raise GroupNotFound()
    if await member_of(uow.session, group.parent_id, user_id) is None:
        if await member_of(uow.session, group_id, user_id) is not None:
            raise AlreadyMember()
        raise GroupNotFound()
    return await _enter(uow, group, user_id, answer=answer, link=None)


async def _enter(
    uow: UnitOfWork, group: Group, user_id: int, *, answer: str, link: InviteLink | None
) -> JoinOutcome:
    if group.dissolved_at is not None:
        raise GroupDissolved()
    if await member_of(uow.session, group.id, user_id) is not None:
        raise AlreadyMember()
    verified = group.join_policy == "verified" and await is_verified(uow.session, user_id)
    if domain.entry(group.join_policy, verified=verified) == "request":
        request_id = await open_request(
            uow, group, user_id, answer=answer, via_link_id=link.id if link else None
        )
        if link is not None:
            await _use_link(uow, link)
        return JoinOutcome("requested", group.id, request_id)
    if link is not None:
        await _use_link(uow, link)
    await admit(uow, group, user_id)
    return JoinOutcome("joined", group.id)
