"""A person's exports, as their owner sees them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.rights.errors import ExportNotFound
from tuan.rights.models import DataExport


@dataclass(frozen=True)
class ExportView:
    id: int
    status: str
    created_at: datetime
    ready_at: datetime | None
    expires_at: datetime | None
    size_bytes: int | None
    file_name: str | None

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and now >= self.expires_at


def view_of(export: DataExport) -> ExportView:
    return ExportView(
        id=export.id,
        status=export.status,
        created_at=export.created_at,
        ready_at=export.ready_at,
        expires_at=export.expires_at,
        size_bytes=export.size_bytes,
        file_name=export.file_name,
    )


async def export_of(session: AsyncSession, *, export_id: int, user_id: int) -> ExportView:
    """The export if it is this person's; someone else's is not found, as if it did not exist."""
    export = await session.get(DataExport, export_id)
    if export is None or export.user_id != user_id:
        raise ExportNotFound()
    return view_of(export)


async def my_exports(session: AsyncSession, *, user_id: int, limit: int = 5) -> list[ExportView]:
    """This person's latest exports, newest first."""
    rows = await session.scalars(
        select(DataExport)
        .where(DataExport.user_id == user_id)
        .order_by(DataExport.created_at.desc(), DataExport.id.desc())
        .limit(limit)
    )
    return [view_of(export) for export in rows]
