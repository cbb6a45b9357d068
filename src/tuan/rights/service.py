"""Asking for an export, and recording it built (one a day; the archive is built by a due job)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tuan.core.scheduler import schedule_once
from tuan.core.uow import UnitOfWork
from tuan.rights.models import DataExport

BUILD_EXPORT = "rights.build_export"
ONE_EXPORT_PER = timedelta(days=1)
DOWNLOADABLE_FOR = timedelta(days=7)


async def request_export(uow: UnitOfWork, *, user_id: int, locale: str) -> tuple[DataExport, bool]:
    """The person's export asked for within the last day, or a new one; True when new."""
    recent = await uow.session.scalar(
        select(DataExport)
        .where(DataExport.user_id == user_id, DataExport.created_at > uow.now - ONE_EXPORT_PER)
        .order_by(DataExport.created_at.desc())
        .limit(1)
    )
    if recent is not None:
        return recent, False
    export = DataExport(user_id=user_id, status="building", locale=locale, created_at=uow.now)
    uow.session.add(export)
    await uow.session.flush()
    await schedule_once(
        uow.session,
        kind=BUILD_EXPORT,
        key=f"export:{export.id}",
        run_at=uow.now,
        now=uow.now,
        payload={"export_id": export.id},
    )
    return export, True


async def record_built(uow: UnitOfWork, *, export_id: int, file_name: str, size: int) -> None:
    export = await uow.session.get(DataExport, export_id)
    if export is None:  # the person left meanwhile: their export went with them
        return
    export.status = "ready"
    export.file_name = file_name
    export.size_bytes = size
    export.ready_at = uow.now
    export.expires_at = uow.now + DOWNLOADABLE_FOR
