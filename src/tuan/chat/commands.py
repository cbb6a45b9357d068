"""What other domains may change in chat inside their own transaction.

A group *is* a conversation: creating one, admitting or removing a member, changing a role and
the line announcing it must commit with the group's own change (a join and its cap check, a
removal and the member count), or not at all. So groups calls these with its unit of work; they
never open or commit one. Live announcements go out after that commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update

from tuan.chat import stream
from tuan.chat.models import Conversation, Member
from tuan.core.db import rows_changed
from tuan.core.uow import UnitOfWork
from tuan.realtime import topics
from tuan.realtime.topics import MessageView

ROLES = ("owner", "admin", "member")


async def open_group_conversation(uow: UnitOfWork, *, title: str, parent_id: int | None) -> int:
    """A new, empty group conversation (no members yet); returns its id."""
    conversation = Conversation(kind="group", title=title, parent_id=parent_id, created_at=uow.now)
    uow.session.add(conversation)
    await uow.session.flush()
    return conversation.id


async def retitle(uow: UnitOfWork, *, conversation_id: int, title: str) -> None:
    """What the chat list calls a group conversation (the group was renamed)."""
    await uow.session.execute(
        update(Conversation).where(Conversation.id == conversation_id).values(title=title)
    )


async def close(uow: UnitOfWork, *, conversation_id: int) -> None:
    """Nothing new may be posted; the history stays readable."""
    await uow.session.execute(
        update(Conversation)
        .where(Conversation.id == conversation_id, Conversation.closed_at.is_(None))
        .values(closed_at=uow.now)
    )


async def add_member(
    uow: UnitOfWork,
    *,
    conversation_id: int,
    user_id: int,
    role: str,
    introduced_by: int | None = None,
) -> None:
    """Add ``user_id``; they see the conversation from its current position onwards."""
    assert role in ROLES, role
    # Read the position fresh: an ORM object loaded earlier may predate a core UPDATE of it.
    position = await uow.session.scalar(
        select(Conversation.last_seq).where(Conversation.id == conversation_id)
    )
    uow.session.add(
        Member(
            conversation_id=conversation_id,
            user_id=user_id,
            role=role,
            joined_at=uow.now,
            visible_from_seq=position or 0,
            read_seq=position or 0,
            introduced_by=introduced_by,
        )
    )
    await uow.session.flush()
    uow.notify(
        topics.MEMBERSHIP_CHANGED,
        {"conversation_id": conversation_id, "user_id": user_id, "joined": True},
    )


async def remove_member(uow: UnitOfWork, *, conversation_id: int, user_id: int) -> bool:
    """Remove ``user_id``; False if they were not a member."""
    result = await uow.session.execute(
        delete(Member).where(Member.conversation_id == conversation_id, Member.user_id == user_id)
    )
    if not rows_changed(result):
        return False
    uow.notify(
        topics.MEMBERSHIP_CHANGED,
        {"conversation_id": conversation_id, "user_id": user_id, "joined": False},
    )
    return True


async def set_role(uow: UnitOfWork, *, conversation_id: int, user_id: int, role: str) -> None:
    assert role in ROLES, role
    member = await uow.session.get(Member, (conversation_id, user_id))
    assert member is not None, "set_role() on someone who is not a member"
    member.role = role


async def post_system_message(
    uow: UnitOfWork,
    *,
    conversation_id: int,
    code: str,
    params: dict[str, Any],
    actor_id: int | None = None,
) -> MessageView:
    """Append a line the server writes ("member_joined", ``{"name": "Mei"}``) and announce it;
    readers' pages say it in their language."""
    view = await stream.system_message(
        uow.session, conversation_id, code=code, params=params, now=uow.now, actor_id=actor_id
    )
    uow.notify(topics.CONVERSATION_CHANGED, view)
    return view
