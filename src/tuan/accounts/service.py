"""Account use cases. Each takes the caller's open unit of work, except registering and logging
in: workflows given a :class:`~tuan.core.uow.Transactor`, because their slow work (argon2)
happens outside any transaction, so it never holds the write lock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from tuan.accounts import domain
from tuan.accounts.errors import (
    NotAuthenticated,
    SessionExpired,
    SessionRevoked,
    UsernameTaken,
    UserNotFound,
    WrongCredentials,
    WrongPassword,
)
from tuan.accounts.events import SessionsEnded, UserRegistered, UserVerified
from tuan.accounts.models import QuarantinedUsername, Session, User
from tuan.accounts.passwords import Passwords
from tuan.accounts.throttle import Attempt, LoginThrottle
from tuan.core.uow import Transactor, UnitOfWork


@dataclass(frozen=True)
class LoginPolicy:
    session_ttl: timedelta  # how long a session lives unused (each use renews it)
    throttle: LoginThrottle


@dataclass(frozen=True)
class IssuedSession:
    token: str
    expires_at: datetime
    user: User
    device_token: str


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
    if await uow.session.scalar(
        select(QuarantinedUsername.key_hash).where(
            QuarantinedUsername.key_hash == domain.quarantine_hash(key),
            QuarantinedUsername.until > uow.now,
        )
    ):
        raise UsernameTaken(field="username")  # an erased person's, for a while
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
    device_tokens: Sequence[str] = (),
    user_agent: str = "",
) -> IssuedSession:
    """Check the password and open a session; the session comes with a token for this device
    (see :mod:`tuan.accounts.throttle`), which ``device_tokens`` offers on the next login.

    A workflow: the password check (argon2) runs outside any transaction; only opening the
    session writes.
    """
    key = domain.username_key(username)[:64]
    throttle = policy.throttle
    attempt = await throttle.admit(throttle.attempt(key, address[:64], device_tokens))
    user = await transactions.run(_user_by_key, key=key)
    if not await passwords.verify(user.password_hash if user else None, password) or user is None:
        await throttle.failed(attempt)
        raise WrongCredentials()
    opened = await transactions.run(_open_session, policy, user_id=user.id, user_agent=user_agent)
    return IssuedSession(
        token=opened.token,
        expires_at=opened.expires_at,
        user=user,
        device_token=throttle.new_device_token(key),
    )


async def _user_by_key(uow: UnitOfWork, *, key: str) -> User | None:
    return await uow.session.scalar(select(User).where(User.username_key == key))


@dataclass(frozen=True)
class _Opened:
    token: str
    expires_at: datetime


async def _open_session(
    uow: UnitOfWork, policy: LoginPolicy, *, user_id: int, user_agent: str
) -> _Opened:
    token = domain.new_session_token()
    session = Session(
        user_id=user_id,
        token_hash=domain.hash_token(token),
        created_at=uow.now,
        expires_at=uow.now + policy.session_ttl,
        user_agent=user_agent[:200],
    )
    uow.session.add(session)
    return _Opened(token, session.expires_at)


async def log_out(uow: UnitOfWork, *, token: str) -> None:
    session = await uow.session.scalar(
        select(Session).where(Session.token_hash == domain.hash_token(token))
    )
    if session is not None and session.revoked_at is None:
        session.revoked_at = uow.now
        uow.emit(SessionsEnded(user_id=session.user_id, session_ids=[session.id]))


async def log_out_everywhere(uow: UnitOfWork, *, user_id: int, except_token: str = "") -> int:
    """End every session of the user (but the one of ``except_token``); how many ended."""
    keep = domain.hash_token(except_token) if except_token else ""
    ended = list(
        await uow.session.scalars(
            update(Session)
            .where(
                Session.user_id == user_id,
                Session.revoked_at.is_(None),
                Session.token_hash != keep,
            )
            .values(revoked_at=uow.now)
            .returning(Session.id)
            .execution_options(synchronize_session=False)
        )
    )
    if ended:
        uow.emit(SessionsEnded(user_id=user_id, session_ids=ended))
    return len(ended)


async def change_password(
    transactions: Transactor,
    passwords: Passwords,
    policy: LoginPolicy,
    *,
    user: User,
    token: str,
    current_password: str,
    new_password: str,
    address: str,
) -> None:
    """Change the password if ``current_password`` is right (:func:`confirm_password`), and
    end every other session."""
    domain.check_password(new_password, field="new_password")
    await confirm_password(
        passwords,
        policy,
        user=user,
        token=token,
        password=current_password,
        address=address,
        field="current_password",
    )
    password_hash = await passwords.hash(new_password)
    await transactions.run(_set_password, user_id=user.id, password_hash=password_hash, token=token)


async def confirm_password(
    passwords: Passwords,
    policy: LoginPolicy,
    *,
    user: User,
    token: str,
    password: str,
    address: str,
    field: str = "password",
) -> None:
    """Refuse unless ``password`` is the account's: asked again before something that cannot
    be undone (a new password, leaving Tuan).

    The session is throttled like a known device (it is one), so a stolen session is no faster
    a way to guess the password than logging in: past its own failures it draws on the
    account's allowance for unknown devices.
    """
    throttle = policy.throttle
    session_device = "session-" + domain.hash_token(token)[:16]
    attempt = await throttle.admit(Attempt(user.username_key, address[:64], session_device))
    if not await passwords.verify(user.password_hash, password):
        await throttle.failed(attempt)
        raise WrongPassword(field=field)


async def _set_password(uow: UnitOfWork, *, user_id: int, password_hash: str, token: str) -> None:
    await uow.session.execute(
        update(User)
        .where(User.id == user_id)
        .values(password_hash=password_hash, updated_at=uow.now)
    )
    await log_out_everywhere(uow, user_id=user_id, except_token=token)


async def renew_session(uow: UnitOfWork, *, session_id: int, ttl: timedelta) -> datetime:
    """Give a session in use a full life again (unless it was revoked meanwhile)."""
    expires_at = uow.now + ttl
    await uow.session.execute(
        update(Session)
        .where(
            Session.id == session_id,
            Session.revoked_at.is_(None),
            Session.expires_at < expires_at,
        )
        .values(expires_at=expires_at)
    )
    return expires_at


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


async def keep_alive(
    transactions: Transactor,
    policy: LoginPolicy,
    *,
    session_id: int,
    expires_at: datetime,
    now: datetime,
) -> datetime:
    """When a session used ``now`` ends: renewed to a full life once enough of it has passed
    (:func:`tuan.accounts.domain.renewal_due`), so a session in use does not end, and a request
    does not write every time."""
    if not domain.renewal_due(expires_at, now, policy.session_ttl):
        return expires_at
    return await transactions.run(renew_session, session_id=session_id, ttl=policy.session_ttl)
