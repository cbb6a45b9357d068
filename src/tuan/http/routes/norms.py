"""A group's community norms over HTTP: members read them, admins set them and override."""

from __future__ import annotations

from fastapi import APIRouter, status
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.http.schemas import IdPath, Input
from tuan.norms import domain, queries, service
from tuan.norms.domain import Norms

router = APIRouter(prefix="/api/v1", tags=["norms"])


class NormsOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    disputed_enabled: bool = Field(description="Refuse re-shares of items whose reports disagree")
    disputed_min_reviews: int
    disputed_low_percent: int = Field(description="Share of 1–2 star reviews that disputes")
    promotion_cap: int | None = Field(description="Product shares per member per day (China time)")
    cooldown_hours: int = Field(description="A newcomer's wait before sharing products")
    paid_label: bool = Field(description="Paid shares are always labelled")


class NormsIn(Input):
    disputed_enabled: bool | None = None
    disputed_min_reviews: int | None = Field(default=None, ge=1, le=1000)
    disputed_low_percent: int | None = Field(default=None, ge=1, le=100)
    promotion_cap: int | None = Field(default=None, ge=0, le=domain.MAX_CAP)
    no_promotion_cap: bool = Field(default=False, description="Remove the promotion cap")
    cooldown_hours: int | None = Field(default=None, ge=0, le=domain.MAX_COOLDOWN_HOURS)


def _out(norms: Norms) -> NormsOut:
    return NormsOut.model_validate(norms)


@router.get("/groups/{group_id}/norms", responses=error_responses(400, 401, 404, 422))
async def get_norms(group_id: IdPath, user: CurrentUser, reader: ReaderDep) -> NormsOut:
    return _out(await queries.group_norms(reader, group_id, user.id))


@router.patch("/groups/{group_id}/norms", responses=error_responses(400, 401, 403, 404, 422))
async def set_norms(
    group_id: IdPath, body: NormsIn, user: CurrentUser, container: ContainerDep
) -> NormsOut:
    """Admins change some norms; fields left out keep their values."""
    changes = body.model_dump(exclude_unset=True, exclude={"no_promotion_cap"})
    changes = {k: v for k, v in changes.items() if v is not None}
    if body.no_promotion_cap:
        changes["promotion_cap"] = None
    return _out(
        await container.run(service.set_norms, group_id=group_id, by=user.id, changes=changes)
    )


@router.put(
    "/groups/{group_id}/norms/overrides/{product_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(400, 401, 403, 404, 422),
)
async def allow_item(
    group_id: IdPath, product_id: IdPath, user: CurrentUser, container: ContainerDep
) -> Response:
    """Admins allow a disputed item to be shared in the group again."""
    await container.run(
        service.set_override, group_id=group_id, product_id=product_id, by=user.id, allowed=True
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete(
    "/groups/{group_id}/norms/overrides/{product_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(400, 401, 403, 404, 422),
)
async def withdraw_override(
    group_id: IdPath, product_id: IdPath, user: CurrentUser, container: ContainerDep
) -> Response:
    await container.run(
        service.set_override, group_id=group_id, product_id=product_id, by=user.id, allowed=False
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
