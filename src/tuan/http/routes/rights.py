"""Data rights at the edge: ask for an export of everything Tuan holds about me, follow it, and
download it when it is ready (issue 23)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Path, Request, Response, status
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field

from tuan.accounts import service as accounts
from tuan.http.deps import AddressDep, ContainerDep, CurrentUser, ReaderDep, TokenDep
from tuan.http.errors import error_responses, reader_locale, refusal_items
from tuan.http.schemas import Input
from tuan.rights import service
from tuan.rights.archive import ExportSetup
from tuan.rights.deletion import DeletionSetup, request_deletion
from tuan.rights.errors import ExportExpired, ExportNotReady
from tuan.rights.obligations import obligations_of
from tuan.rights.queries import ExportView, export_of, my_exports, view_of

router = APIRouter(prefix="/api/v1", tags=["data rights"])

ExportId = Path(ge=1, le=2**63 - 1)
ALREADY_ASKED: dict[int | str, dict[str, Any]] = {
    200: {"description": "An export asked for within the last day, returned"}
}
UNDER_WAY: dict[int | str, dict[str, Any]] = {
    200: {"description": "A deletion already under way, returned"}
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


# --- leaving Tuan -------------------------------------------------------------------------------


class ObligationOut(BaseModel):
    message: str = Field(description="What must be settled, in the reader's language")
    link: str | None = Field(description="The page where it is settled")


class DeletionIn(Input):
    password: str = Field(min_length=1, max_length=1024, description="The account's password")


class DeletionOut(BaseModel):
    id: int
    status: Literal["waiting", "erasing", "erased", "cancelled", "blocked"]
    requested_at: datetime
    erase_after: datetime = Field(description="Signing in before then cancels it")


@router.get("/me/deletion/obligations", responses=error_responses(400, 401))
async def deletion_obligations(
    request: Request, user: CurrentUser, reader: ReaderDep
) -> list[ObligationOut]:
    """What must be settled before my account can be deleted (empty: nothing)."""
    found = await obligations_of(reader, user.id)
    items = refusal_items(reader_locale(request), [o.as_item() for o in found]) or []
    return [ObligationOut.model_validate(item) for item in items]


@router.post(
    "/me/deletion",
    status_code=status.HTTP_202_ACCEPTED,
    responses=UNDER_WAY | error_responses(400, 401, 409, 422, 429),
)
async def ask_for_deletion(
    body: DeletionIn,
    response: Response,
    user: CurrentUser,
    token: TokenDep,
    address: AddressDep,
    container: ContainerDep,
) -> DeletionOut:
    """Delete my account: after the password, every session ends and the erasure is due after
    the waiting period (signing in before then cancels it). Refused (409, each named) while
    orders, team purchases, money or groups I own are pending."""
    await accounts.confirm_password(
        container.passwords,
        container.login_policy,
        user=user,
        token=token,
        password=body.password,
        address=address,
    )
    setup = container.adapter(DeletionSetup)
    found, new = await container.run(request_deletion, user_id=user.id, wait=setup.wait)
    if new:
        container.scheduler.kick()
    else:
        response.status_code = status.HTTP_200_OK
    return DeletionOut.model_validate(found, from_attributes=True)
