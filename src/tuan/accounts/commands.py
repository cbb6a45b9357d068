"""What the erasure of a person asks of accounts (ADR 0011): sessions end when they ask, the
account itself goes last."""

from __future__ import annotations

from sqlalchemy import delete, select

from tuan.accounts import domain
from tuan.accounts.models import QuarantinedUsername, User
from tuan.accounts.service import log_out_everywhere
from tuan.core.db import dialect_insert
from tuan.core.uow import UnitOfWork


async def forget_account(uow: UnitOfWork, user_id: int) -> None:
    """Delete the person's account row, keeping their username from reuse for a while (as a
    hash). Its avatar file is the caller's to delete first."""
    user = await uow.session.scalar(select(User).where(User.id == user_id))
    if user is None:
        return
    quarantine = dialect_insert(uow.session, QuarantinedUsername).values(
        key_hash=domain.quarantine_hash(user.username_key),
        until=uow.now + domain.USERNAME_QUARANTINE,
    )
    await uow.session.execute(quarantine.on_conflict_do_nothing())
    await uow.session.execute(delete(User).where(User.id == user_id))


async def end_sessions(uow: UnitOfWork, user_id: int) -> None:
    """Sign the person out everywhere (they asked to leave; signing in again cancels it)."""
    await log_out_everywhere(uow, user_id=user_id)
