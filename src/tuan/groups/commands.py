"""What the erasure of a person asks of groups (ADR 0011)."""

from __future__ import annotations

from sqlalchemy import update

from tuan.chat import commands as chat
from tuan.chat.queries import members_view
from tuan.core.uow import UnitOfWork
from tuan.groups.models import Group

# The lines groups writes into a chat name a person by an id parameter and the name beside it.
NAMED_IN_LINES = {"user_id": "name", "introduced_by": "introducer"}


async def release_places_of(uow: UnitOfWork, user_id: int) -> None:
    """Free the seats a person holds in groups (their memberships go with their account)."""
    members = members_view()
    theirs = members.select().with_only_columns(members.c.conversation_id)
    await uow.session.execute(
        update(Group)
        .where(Group.id.in_(theirs.where(members.c.user_id == user_id)))
        .values(member_count=Group.member_count - 1)
        .execution_options(synchronize_session=False)
    )


async def forget_in_group_lines(uow: UnitOfWork, *, user_id: int, username: str) -> None:
    """Others' messages and the groups' own lines stop naming an erased person."""
    await chat.forget_in_others_messages(
        uow, user_id=user_id, username=username, named_by=NAMED_IN_LINES
    )
