"""Read side of accounts: who a session token is, and what others may know of a person.

Other domains read people only through this module: by id (:func:`display_names`,
:func:`user_exists`, :func:`is_verified`) or, to join in SQL, through :func:`people_view`.

The deleted-user tombstone (``DELETED_USER_ID``, ADR 0011) is a name on retained records, not a
person: it has no profile (:func:`user_by_username`, :func:`user_exists` do not find it) and is
in no list of people (:func:`people_view` leaves it out). Its name still shows where a record
it holds is shown (:func:`display_names`, :func:`public_names`), and the pages say it in the
reader's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Subquery, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts import domain
from tuan.accounts.models import QuarantinedUsername, Session, User
from tuan.accounts.service import check_session
from tuan.core.personal import DELETED_USER_ID


@dataclass(frozen=True)
class Caller:
    """Who a session token is, and the session: its id and when it ends unless used."""

    user: User
    session_id: int
    expires_at: datetime


async def caller_for_token(session: AsyncSession, *, token: str, now: datetime) -> Caller:
    """The user a bearer token belongs to, with its session; raises a clear 401 error if the
    token is not usable.

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
    return Caller(user=row[1], session_id=row[0].id, expires_at=row[0].expires_at)


async def user_for_token(session: AsyncSession, *, token: str, now: datetime) -> User:
    """The user a bearer token belongs to (see :func:`caller_for_token`)."""
    return (await caller_for_token(session, token=token, now=now)).user


async def user_by_username(session: AsyncSession, username: str) -> User | None:
    """The person with this username (never the tombstone: it has no profile)."""
    return await session.scalar(
        select(User).where(
            User.username_key == domain.username_key(username), User.id != DELETED_USER_ID
        )
    )


def people_view(name: str = "people") -> Subquery:
    """What anyone may know of a person, to join on: ``id``, ``username``, ``display_name``,
    ``avatar_key``, ``verified``. People only: the tombstone is in no list of people (friends,
    suggestions, members), so an inner join on this view leaves it out."""
    return (
        select(
            User.id.label("id"),
            User.username.label("username"),
            User.display_name.label("display_name"),
            User.avatar_key.label("avatar_key"),
            User.verified.label("verified"),
        )
        .where(User.id != DELETED_USER_ID)
        .subquery(name)
    )


def avatar_url(avatar_key: str | None) -> str | None:
    """Where a stored avatar is served."""
    return f"/media/{avatar_key}" if avatar_key else None


async def display_names(session: AsyncSession, user_ids: Iterable[int]) -> dict[int, str]:
    wanted = set(user_ids)
    if not wanted:
        return {}
    found = await session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {uid: name for uid, name in found}


async def display_name(session: AsyncSession, user_id: int) -> str:
    """A person's name as others see it ("?" for someone who no longer exists)."""
    return await session.scalar(select(User.display_name).where(User.id == user_id)) or "?"


async def user_exists(session: AsyncSession, user_id: int) -> bool:
    """Whether ``user_id`` is a person one can befriend, block, write to or invite (the
    tombstone is not)."""
    if user_id == DELETED_USER_ID:
        return False
    return bool(await session.scalar(select(exists().where(User.id == user_id))))


async def deleted_user_name(session: AsyncSession) -> str:
    """The tombstone's name as stored (the pages say it in the reader's language)."""
    return await display_name(session, DELETED_USER_ID)


# --- published for other domains (appended by the commerce refactor, issue 13) ----------------


@dataclass(frozen=True)
class PublicName:
    """How a person is shown to others: their handle and display name."""

    id: int
    username: str
    display_name: str


async def public_names(session: AsyncSession, user_ids: Iterable[int]) -> dict[int, PublicName]:
    """The public names of ``user_ids`` (missing ids are left out), in one query."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    rows = await session.execute(
        select(User.id, User.username, User.display_name).where(User.id.in_(ids))
    )
    return {row.id: PublicName(row.id, row.username, row.display_name) for row in rows}


def public_names_view() -> Subquery:
    """A published view to join on: ``user_id``, ``username``, ``display_name`` of every user."""
    return select(
        User.id.label("user_id"),
        User.username.label("username"),
        User.display_name.label("display_name"),
    ).subquery("public_names")


async def is_verified(session: AsyncSession, user_id: int) -> bool:
    """Whether the person passed real-name verification (False for an unknown id)."""
    return bool(await session.scalar(select(User.verified).where(User.id == user_id)))


# --- for proof/asks/foryou ---


def users_view() -> Subquery:
    """People, to join on by id: ``user_id``, ``display_name``."""
    return select(User.id.label("user_id"), User.display_name.label("display_name")).subquery()


async def user_by_id(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def username_quarantined(session: AsyncSession, username: str) -> bool:
    """Whether ``username`` belonged to a person since erased (kept from reuse for a while)."""
    key = domain.quarantine_hash(domain.username_key(username))
    found = await session.scalar(
        select(QuarantinedUsername.key_hash).where(QuarantinedUsername.key_hash == key)
    )
    return found is not None


async def live_sessions(
    session: AsyncSession, session_ids: Iterable[int], now: datetime
) -> set[int]:
    """Which of ``session_ids`` are still logged in (not ended, not expired)."""
    wanted = set(session_ids)
    if not wanted:
        return set()
    rows = await session.scalars(
        select(Session.id).where(
            Session.id.in_(wanted), Session.revoked_at.is_(None), Session.expires_at > now
        )
    )
    return set(rows)
