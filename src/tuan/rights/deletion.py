"""Leaving Tuan (ADR 0011): asked for with the password, a waiting period in which signing in
cancels it, then the erasure, step by step; the operator's way in for a legal request."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from tuan.accounts import commands as accounts
from tuan.accounts.queries import user_by_id
from tuan.core.media import MediaStorage
from tuan.core.personal import PersonalCatalogue
from tuan.core.scheduler import schedule_once
from tuan.core.uow import Transactor, UnitOfWork
from tuan.notifications.commands import notify_users
from tuan.rights.erasure import Person, Step, all_steps, delete_files
from tuan.rights.errors import DeletionBlocked
from tuan.rights.models import AccountDeletion, AuditEntry, DataExport
from tuan.rights.obligations import obligations_of

ERASE_ACCOUNT = "rights.erase_account"
DELETION_BLOCKED = "deletion_blocked"  # the notification: something arrived while it waited
UNDER_WAY = ("waiting", "erasing")


@dataclass(frozen=True)
class DeletionSetup:
    """What the erasure needs from the composition root."""

    catalogue: PersonalCatalogue
    media: MediaStorage
    exports: Path
    wait: timedelta
    tracking_kept: timedelta = timedelta(days=3 * 365)


async def _under_way(uow: UnitOfWork, user_id: int) -> AccountDeletion | None:
    return await uow.session.scalar(
        select(AccountDeletion)
        .where(AccountDeletion.user_id == user_id, AccountDeletion.status.in_(UNDER_WAY))
        .order_by(AccountDeletion.id.desc())
        .limit(1)
    )


async def request_deletion(
    uow: UnitOfWork, *, user_id: int, wait: timedelta, by_operator: bool = False
) -> tuple[AccountDeletion, bool]:
    """The person's deletion under way, or a new one (True): refused while anything is pending;
    every session ends, and the erasure is due after ``wait``."""
    existing = await _under_way(uow, user_id)
    if existing is not None:
        return existing, False
    pending = await obligations_of(uow.session, user_id)
    if pending:
        items = [o.as_item() for o in pending]
        raise DeletionBlocked(details={"count": len(pending), "items": items})
    deletion = AccountDeletion(
        user_id=user_id,
        status="waiting",
        requested_at=uow.now,
        erase_after=uow.now + wait,
        steps_done=0,
        by_operator=by_operator,
    )
    uow.session.add(deletion)
    await uow.session.flush()
    await accounts.end_sessions(uow, user_id)
    await schedule_once(
        uow.session,
        kind=ERASE_ACCOUNT,
        key=f"deletion:{deletion.id}",
        run_at=deletion.erase_after,
        now=uow.now,
        payload={"deletion_id": deletion.id},
    )
    return deletion, True


async def cancel_deletion(uow: UnitOfWork, *, user_id: int) -> bool:
    """Signing in during the waiting period cancels the deletion; True if one was cancelled."""
    deletion = await _under_way(uow, user_id)
    if deletion is None or deletion.status != "waiting":
        return False
    deletion.status, deletion.cancelled_at = "cancelled", uow.now
    return True


async def being_erased(uow: UnitOfWork, *, user_id: int) -> bool:
    deletion = await _under_way(uow, user_id)
    return deletion is not None and deletion.status == "erasing"


async def _begin(uow: UnitOfWork, deletion_id: int) -> Person | None:
    """Move a due deletion to erasing (or carry on with one that is): who to erase, or None
    when there is nothing to do (cancelled, done, or an obligation arose while it waited)."""
    deletion = await uow.session.get(AccountDeletion, deletion_id)
    if deletion is None or deletion.user_id is None or deletion.status not in UNDER_WAY:
        return None
    if deletion.status == "waiting":
        if uow.now < deletion.erase_after:
            return None
        pending = await obligations_of(uow.session, deletion.user_id)
        if pending:  # money or goods moved while it waited: an operator settles it
            deletion.status = "blocked"
            deletion.blocked_by = [{"kind": o.kind, **o.params} for o in pending]
            await notify_users(
                uow, [deletion.user_id], kind=DELETION_BLOCKED, data={"count": len(pending)}
            )
            return None
        deletion.status, deletion.started_at = "erasing", uow.now
    user = await user_by_id(uow.session, deletion.user_id)
    return Person(deletion.user_id, user.username if user is not None else "")


def _export_files(folder: Path) -> Step:
    async def run(uow: UnitOfWork, person: Person) -> list[str]:
        names = await uow.session.scalars(
            select(DataExport.file_name).where(
                DataExport.user_id == person.id, DataExport.file_name.is_not(None)
            )
        )
        for name in names:  # off the event loop, as the media files are deleted
            await asyncio.to_thread((folder / str(name)).unlink, missing_ok=True)
        return []

    return Step("rights: export archives", run)


def erasure_steps(setup: DeletionSetup) -> list[Step]:
    return [_export_files(setup.exports), *all_steps(setup.catalogue)]


async def _run_step(
    uow: UnitOfWork, setup: DeletionSetup, deletion_id: int, index: int, step: Step, person: Person
) -> None:
    deletion = await uow.session.scalar(
        select(AccountDeletion).where(AccountDeletion.id == deletion_id).with_for_update()
    )
    if deletion is None or deletion.status != "erasing" or deletion.steps_done != index:
        return  # done already, by an earlier run or another process
    await delete_files(setup.media, await step.run(uow, person))
    deletion.steps_done = index + 1


async def _finish(uow: UnitOfWork, deletion_id: int) -> None:
    deletion = await uow.session.get(AccountDeletion, deletion_id)
    if deletion is not None and deletion.status == "erasing":
        deletion.status, deletion.user_id, deletion.finished_at = "erased", None, uow.now


Progress = Callable[[int, int, str], None]


async def erase(
    transactions: Transactor,
    setup: DeletionSetup,
    deletion_id: int,
    progress: Progress | None = None,
) -> bool:
    """Run (or carry on) a due deletion's erasure to its end; False if none was due."""
    person = await transactions.run(_begin, deletion_id)
    if person is None:
        return False
    steps = erasure_steps(setup)
    for index, step in enumerate(steps):
        await transactions.run(_run_step, setup, deletion_id, index, step, person)
        if progress is not None:
            progress(index + 1, len(steps), step.name)
    await transactions.run(_finish, deletion_id)
    return True


async def record_audit(
    uow: UnitOfWork, *, action: str, operator: str, legal_request: str, subject: str
) -> None:
    """What an operator did, for whom it was asked, on which record: never about whom."""
    uow.session.add(
        AuditEntry(
            action=action,
            operator=operator[:64],
            legal_request=legal_request[:120],
            subject=subject[:40],
            at=uow.now,
        )
    )
