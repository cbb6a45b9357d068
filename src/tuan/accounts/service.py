"""Account use cases. Each takes the caller's open unit of work, except registering and logging
in: workflows given a :class:`~tuan.core.uow.Transactor`, because their slow work (argon2)
happens outside any transaction, so it never holds the write lock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from tuan.accounts import domain
from tuan.accounts.errors import (
    NotAuthenticated,
    SessionExpired,
    SessionRevoked,
    TooManyAttempts,
    UsernameTaken,
    UserNotFound,
    WrongCredentials,
)
from tuan.accounts.events import UserRegistered, UserVerified
from tuan.accounts.models import LoginFailure, Session, User
from tuan.accounts.passwords import Passwords
from tuan.core.db import as_utc
from tuan.core.uow import Transactor, UnitOfWork


@dataclass(frozen=True)
class LoginPolicy:
    session_ttl: timedelta
    max_failures_per_account: int
    max_failures_per_address: int
    failure_window: timedelta


@dataclass(frozen=True)
class IssuedSession:
    token: str
    expires_at: datetime
    user: User


async def register(
    transactions: Transactor,
    passwords: Passwords,
    *,
    username: str,
    display_name: str,
    password: str,
    verified: bool = False,
) -> User:
    """Create an account.

    A workflow given a :class:`Transactor`, not a unit of work: the password is checked and
    hashed (argon2, deliberately slow) before the transaction opens, so it never holds the
    write lock.
    """
    name = domain.normalise_username(username)
    shown = domain.normalise_display_name(display_name)
    domain.check_password(password)
    password_hash = await passwords.hash(password)
    return await transactions.run(
        _create_user,
        username=name,
        display_name=shown,
        password_hash=password_hash,
        verified=verified,
    )


async def _create_user(
    uow: UnitOfWork, *, username: str, display_name: str, password_hash: str, verified: bool
) -> User:
    key = domain.username_key(username)
    if await uow.session.scalar(select(User.id).where(User.username_key == key)):
        raise UsernameTaken(field="username")
    user = User(
        username=username,
        username_key=key,
        display_name=display_name,
        password_hash=password_hash,
        verified=verified,
        created_at=uow.now,
        updated_at=uow.now,
    )
    uow.session.add(user)
    try:
        await uow.session.flush()
    except IntegrityError:
        raise UsernameTaken(field="username") from None
    uow.emit(UserRegistered(user_id=user.id, username=user.username))
    return user


async def log_in(
    transactions: Transactor,
    passwords: Passwords,
    policy: LoginPolicy,
    *,
    username: str,
    password: str,
    address: str,
    user_agent: str = "",
) -> IssuedSession:
    """Check the password and open a session.

    A workflow of two transactions around the password check, which runs between them (argon2
    must not hold the write lock). The attempt is recorded as a failure *before* the password is
    checked and cleared on success, so parallel guesses cannot slip past the throttle while
    argon2 runs.
    """
    key = domain.username_key(username)[:64]
    user = await transactions.run(_record_attempt, policy, key=key, address=address)
    if not await passwords.verify(user.password_hash if user else None, password) or user is None:
        raise WrongCredentials()
    session = await transactions.run(
        _open_session, policy, key=key, user_id=user.id, user_agent=user_agent
    )
    return IssuedSession(token=session.token, expires_at=session.expires_at, user=user)


async def _record_attempt(
    uow: UnitOfWork, policy: LoginPolicy, *, key: str, address: str
) -> User | None:
    """Refuse a throttled attempt, else count it as failed until it succeeds; the account."""
    await _refuse_if_throttled(uow, policy, key, address)
    uow.session.add(LoginFailure(account_key=key, address=address[:64], at=uow.now))
    return await uow.session.scalar(select(User).where(User.username_key == key))


@dataclass(frozen=True)
class _Opened:
    token: str
    expires_at: datetime


async def _open_session(
    uow: UnitOfWork, policy: LoginPolicy, *, key: str, user_id: int, user_agent: str
) -> _Opened:
    token = domain.new_session_token()
    await uow.session.execute(delete(LoginFailure).where(LoginFailure.account_key == key))
    session = Session(
        user_id=user_id,
        token_hash=domain.hash_token(token),
        created_at=uow.now,
        expires_at=uow.now + policy.session_ttl,
        user_agent=user_agent[:200],
    )
    uow.session.add(session)
    return _Opened(token, session.expires_at)


async def _refuse_if_throttled(
    uow: UnitOfWork, policy: LoginPolicy, key: str, address: str
) -> None:
    since = uow.now - policy.failure_window
    for column, value, limit in (
        (LoginFailure.account_key, key, policy.max_failures_per_account),
        (LoginFailure.address, address[:64], policy.max_failures_per_address),
    ):
        count, oldest = (
            await uow.session.execute(
                select(func.count(), func.min(LoginFailure.at)).where(
                    column == value, LoginFailure.at > since
                )
            )
        ).one()
        if count >= limit:
            oldest = as_utc(oldest)
            wait = (oldest + policy.failure_window - uow.now).total_seconds()
            raise TooManyAttempts(retry_after=max(1, math.ceil(wait)))


async def log_out(uow: UnitOfWork, *, token: str) -> None:
    session = await uow.session.scalar(
        select(Session).where(Session.token_hash == domain.hash_token(token))
    )
    if session is not None and session.revoked_at is None:
        session.revoked_at = uow.now


async def change_profile(
    uow: UnitOfWork,
    *,
    user_id: int,
    display_name: str | None = None,
    bio: str | None = None,
    locale: str | None = None,
) -> User:
    user = await uow.session.get(User, user_id)
    if user is None:
        raise UserNotFound()
    if display_name is not None:
        user.display_name = domain.normalise_display_name(display_name)
    if bio is not None:
        user.bio = bio.strip()
    if locale is not None:
        user.locale = locale
    user.updated_at = uow.now
    return user


async def set_avatar(uow: UnitOfWork, *, user_id: int, avatar_key: str | None) -> User:
    user = await uow.session.get(User, user_id)
    if user is None:
        raise UserNotFound()
    user.avatar_key = avatar_key
    user.updated_at = uow.now
    return user


async def set_verified(uow: UnitOfWork, *, username: str, verified: bool = True) -> User:
    """Operator action: mark a user as real-name verified (or take it back)."""
    user = await uow.session.scalar(
        select(User).where(User.username_key == domain.username_key(username))
    )
    if user is None:
        raise UserNotFound(f"No user named {username!r}.")
    if user.verified != verified:
        user.verified = verified
        user.updated_at = uow.now
        if verified:
            uow.emit(UserVerified(user_id=user.id))
    return user


def check_session(session: Session | None, now: datetime) -> int:
    """The user id a session token stands for, or the reason it does not."""
    if session is None:
        raise NotAuthenticated("That session token is not valid; log in again.")
    if session.revoked_at is not None:
        raise SessionRevoked()
    if session.expires_at <= now:
        raise SessionExpired()
    return session.user_id
