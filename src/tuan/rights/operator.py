"""An operator answering a legal request (issue 23): a person's archive written to a file, or
the person erased at once; each leaves an audit entry that says who, when, for which request
and on which record, and nothing about the person."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from tuan.accounts.errors import UserNotFound
from tuan.accounts.queries import user_by_username, username_quarantined
from tuan.core.db import Database
from tuan.core.uow import Transactor, UnitOfWork
from tuan.rights.archive import ExportSetup, write_archive
from tuan.rights.deletion import DeletionSetup, Progress, erase, record_audit, request_deletion
from tuan.rights.models import AccountDeletion


@dataclass(frozen=True)
class Request:
    """Whose request, by which operator."""

    legal_request: str
    operator: str


async def _user_id(db: Database, username: str) -> tuple[int, str] | None:
    async with db.read_sessions() as session:
        user = await user_by_username(session, username)
        return (user.id, user.locale or "zh-CN") if user is not None else None


async def export_for(
    transactions: Transactor,
    db: Database,
    setup: ExportSetup,
    *,
    username: str,
    request: Request,
    out: Path,
) -> str:
    """Write the person's archive to ``out``; returns its SHA-256 (what the audit names)."""
    found = await _user_id(db, username)
    if found is None:
        raise UserNotFound()
    user_id, locale = found
    await write_archive(db, setup.catalogue, setup.media, user_id=user_id, locale=locale, path=out)
    digest = await asyncio.to_thread(_sha256, out)
    await transactions.run(
        record_audit,
        action="export",
        operator=request.operator,
        legal_request=request.legal_request,
        subject=f"archive sha256:{digest[:24]}",
    )
    return digest


def _sha256(path: Path) -> str:
    with path.open("rb") as archive:
        return hashlib.file_digest(archive, "sha256").hexdigest()


async def _was_erased(uow: UnitOfWork, *, username: str) -> bool:
    return await username_quarantined(uow.session, username)


async def _due_now(uow: UnitOfWork, deletion_id: int) -> None:
    """An operator's erasure does not wait out the person's own waiting period."""
    deletion = await uow.session.get(AccountDeletion, deletion_id)
    if deletion is not None and deletion.status == "waiting":
        deletion.erase_after = min(deletion.erase_after, uow.now)


async def erase_now(
    transactions: Transactor,
    db: Database,
    setup: DeletionSetup,
    *,
    username: str,
    request: Request,
    progress: Progress | None = None,
) -> int | None:
    """Erase the person at once (or finish an erasure under way); the deletion's id, or None
    when the username was erased already. Refused, naming each, while obligations are pending."""
    found = await _user_id(db, username)
    if found is None:
        if await transactions.run(_was_erased, username=username):
            return None
        raise UserNotFound()
    deletion, _ = await transactions.run(
        request_deletion, user_id=found[0], wait=timedelta(0), by_operator=True
    )
    await transactions.run(_due_now, deletion.id)
    await transactions.run(
        record_audit,
        action="erase",
        operator=request.operator,
        legal_request=request.legal_request,
        subject=f"deletion {deletion.id}",
    )
    await erase(transactions, setup, deletion.id, progress)
    return deletion.id
