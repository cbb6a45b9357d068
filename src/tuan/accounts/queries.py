"""Read side of accounts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts import domain
from tuan.accounts.errors import NotAuthenticated
from tuan.accounts.models import Session, User
from tuan.accounts.service import check_session


async def user_for_token(session: AsyncSession, *, token: str, now: datetime) -> User:
    """The user a bearer token belongs to; raises a clear 401 error if it is not usable."""
    row = await session.scalar(
        select(Session).where(Session.token_hash == domain.hash_token(token))
    )
    user_id = check_session(row, now)
    user = await session.get(User, user_id)
    if user is None:  # deleted between the two reads
        raise NotAuthenticated("That session token is not valid; log in again.")
    return user


async def user_by_username(session: AsyncSession, username: str) -> User | None:
    return await session.scalar(
        select(User).where(User.username_key == domain.username_key(username))
    )
