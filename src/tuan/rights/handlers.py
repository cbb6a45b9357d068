"""The export is built by a due job: the archive is written before the job's transaction opens
(reads only, so on SQLite other writes go on meanwhile), then recorded ready in it."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from tuan.core.periodic import every
from tuan.core.pruning import prune_handled
from tuan.core.scheduler import DueJob
from tuan.core.uow import UnitOfWork
from tuan.core.wiring import Wiring
from tuan.orders import commands as orders
from tuan.rights.archive import ExportSetup, write_archive
from tuan.rights.deletion import ERASE_ACCOUNT, DeletionSetup, erase
from tuan.rights.models import DataExport
from tuan.rights.service import BUILD_EXPORT, record_built

RETENTION_ENDS = "rights.retention_ends"  # daily: what is kept for the books only so long
EPOCH = datetime(2026, 1, 1, 18, tzinfo=UTC)


def register(wiring: Wiring) -> None:
    setup = wiring.adapter(ExportSetup)

    async def build(job: DueJob) -> tuple[str, int]:
        async with wiring.db.read_sessions() as session:
            export = await session.get(DataExport, int(job.payload["export_id"]))
            if export is None:  # the person left meanwhile
                return "", 0
            owner, locale = export.user_id, export.locale
        setup.folder.mkdir(parents=True, exist_ok=True)
        name = f"{secrets.token_hex(16)}.zip"
        path = setup.folder / name
        await write_archive(
            wiring.db, setup.catalogue, setup.media, user_id=owner, locale=locale, path=path
        )
        return name, path.stat().st_size

    async def record(uow: UnitOfWork, job: DueJob, built: tuple[str, int]) -> None:
        name, size = built
        if name:
            await record_built(
                uow, export_id=int(job.payload["export_id"]), file_name=name, size=size
            )

    wiring.scheduler.register_prepared(BUILD_EXPORT, build, record)

    deletion_setup = wiring.adapter(DeletionSetup)

    async def erase_due(job: DueJob) -> None:
        # Each step commits on its own, so the write lock is never held for the whole walk and
        # a crash carries on from the next step when the job runs again.
        if await erase(wiring, deletion_setup, int(job.payload["deletion_id"])):
            # Events and jobs already handled may still carry the person's words: they go now,
            # not after the usual week (ADR 0011).
            await prune_handled(wiring.db, before=wiring.clock.now())

    async def nothing_more(uow: UnitOfWork, job: DueJob, _: None) -> None:
        return None

    wiring.scheduler.register_prepared(ERASE_ACCOUNT, erase_due, nothing_more)

    async def end_retention(uow: UnitOfWork, job: DueJob) -> None:
        placed_before = uow.now - deletion_setup.tracking_kept
        await orders.forget_old_tracking(uow, placed_before=placed_before)

    wiring.scheduler.register(RETENTION_ENDS, end_retention)
    every(wiring, kind=RETENTION_ENDS, period=timedelta(days=1), epoch=EPOCH, worker="retention")
