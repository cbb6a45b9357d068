"""Read side of accounts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Subquery, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts import domain
from tuan.accounts.models import Session, User
from tuan.accounts.service import check_session


async def user_for_token(session: AsyncSession, *, token: str, now: datetime) -> User:
    """The user a bearer token belongs to; raises a clear 401 error if it is not usable.

    One query, the session and its user together: every authenticated request pays for it.
    """
    row = (
        await session.execute(
            select(Session, User)
            .join(User, User.id == Session.user_id)
            .where(Session.token_hash == domain.hash_token(token))
        )
    ).first()
    check_session(row[0] if row else None, now)  # the reason it is refused, if it is
    assert row is not None
    user: User = row[1]
    return user


async def user_by_username(session: AsyncSession, username: str) -> User | None:
    return await session.scalar(
        select(User).where(User.username_key == domain.username_key(username))
    )


# --- for proof/asks/foryou ---


def users_view() -> Subquery:
    """People, to join on by id: ``user_id``, ``display_name``."""
    return select(User.id.label("user_id"), User.display_name.label("display_name")).subquery()


async def display_names(session: AsyncSession, user_ids: set[int]) -> dict[int, str]:
    """The display name of each of ``user_ids`` that exists."""
    if not user_ids:
        return {}
    rows = await session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids)))
    return {user_id: name for user_id, name in rows}
