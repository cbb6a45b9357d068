"""Data rights at the edge: ask for an export of everything Tuan holds about me, follow it, and
download it when it is ready (issue 23)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Path, Request, Response, status
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field

from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep
from tuan.http.errors import error_responses, reader_locale
from tuan.rights import service
from tuan.rights.archive import ExportSetup
from tuan.rights.errors import ExportExpired, ExportNotReady
from tuan.rights.queries import ExportView, export_of, my_exports, view_of

router = APIRouter(prefix="/api/v1", tags=["data rights"])

ExportId = Path(ge=1, le=2**63 - 1)
ALREADY_ASKED: dict[int | str, dict[str, Any]] = {
    200: {"description": "An export asked for within the last day, returned"}
}
ZIP: dict[int | str, dict[str, Any]] = {200: {"content": {"application/zip": {}}}}


class ExportOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    status: Literal["building", "ready"]
    created_at: datetime
    ready_at: datetime | None
    expires_at: datetime | None = Field(description="The download works until then")
    size_bytes: int | None
    download: str | None = Field(description="Where to download it, once ready")

    @classmethod
    def of(cls, export: ExportView) -> ExportOut:
        link = f"/api/v1/me/exports/{export.id}/download" if export.status == "ready" else None
        return cls.model_validate({**export.__dict__, "download": link})


@router.post(
    "/me/exports",
    status_code=status.HTTP_202_ACCEPTED,
    responses=ALREADY_ASKED | error_responses(400, 401),
)
async def ask_for_export(
    request: Request, response: Response, user: CurrentUser, container: ContainerDep
) -> ExportOut:
    """Everything Tuan holds about me, as a zip: one JSON file per subject, my photos, a README
    and a page that reads offline. One a day: asking again returns the day's export (200)."""
    export, new = await container.run(
        service.request_export, user_id=user.id, locale=user.locale or reader_locale(request)
    )
    if new:
        container.scheduler.kick()
    else:
        response.status_code = status.HTTP_200_OK
    return ExportOut.of(view_of(export))


@router.get("/me/exports", responses=error_responses(400, 401))
async def list_exports(user: CurrentUser, reader: ReaderDep) -> list[ExportOut]:
    """My latest exports, newest first (the download of each works until it expires)."""
    return [ExportOut.of(export) for export in await my_exports(reader, user_id=user.id)]


@router.get("/me/exports/{export_id}", responses=error_responses(400, 401, 404, 422))
async def get_export(user: CurrentUser, reader: ReaderDep, export_id: int = ExportId) -> ExportOut:
    return ExportOut.of(await export_of(reader, export_id=export_id, user_id=user.id))


@router.get(
    "/me/exports/{export_id}/download",
    response_class=FileResponse,
    responses=ZIP | error_responses(400, 401, 404, 409, 410, 422),
)
async def download_export(
    user: CurrentUser, reader: ReaderDep, container: ContainerDep, export_id: int = ExportId
) -> FileResponse:
    """The archive, to its owner only, until it expires."""
    export = await export_of(reader, export_id=export_id, user_id=user.id)
    if export.status != "ready" or export.file_name is None:
        raise ExportNotReady()
    if export.expired(container.clock.now()):
        raise ExportExpired()
    return FileResponse(
        container.adapter(ExportSetup).folder / export.file_name,
        media_type="application/zip",
        filename=f"tuan-export-{export.created_at:%Y%m%d}.zip",
    )
