"""Shops over HTTP: open one (verified or approved users), see it, change it, list mine."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, status
from pydantic import Field

from tuan.catalog import service
from tuan.catalog.queries import ShopView, shop_page, shops_owned_by
from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.http.schemas import (
    CONTROLS,
    CONTROLS_BUT_LINE_BREAKS,
    Currency,
    IdPath,
    Input,
    Rate,
    text,
)

router = APIRouter(prefix="/api/v1", tags=["shops"])


# The catalogue's text rules (catalog.domain.clean_text): no control characters (line breaks are
# fine in a description), and a name is not blank.
ShopName = Annotated[str, text(80, required=True, refused=CONTROLS, min_length=1)]
ShopDescription = Annotated[str, text(2000, required=False, refused=CONTROLS_BUT_LINE_BREAKS)]


class ShopIn(Input):
    name: ShopName = Field(examples=["阿梅的海鲜小铺"])
    description: ShopDescription = ""
    currency: Currency = "CNY"
    commission_rate_bp: Rate = 0


class ShopPatch(Input):
    name: ShopName | None = None
    description: ShopDescription | None = None
    commission_rate_bp: Rate | None = None


@router.post(
    "/shops",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 403, 413, 422),
)
async def open_shop(body: ShopIn, user: CurrentUser, container: ContainerDep) -> ShopView:
    """Open a shop. Real-name verified users may; others need an operator's approval."""
    shop = await container.run(
        service.open_shop,
        owner_id=user.id,
        name=body.name,
        description=body.description,
        currency=body.currency,
        commission_rate_bp=body.commission_rate_bp,
    )
    async with container.db.read_sessions() as reader:
        return await shop_page(reader, shop.id)


@router.get("/shops/{shop_id}", responses=error_responses(400, 401, 404, 422))
async def get_shop(shop_id: IdPath, reader: ReaderDep, _user: CurrentUser) -> ShopView:
    return await shop_page(reader, shop_id)


@router.patch("/shops/{shop_id}", responses=error_responses(400, 401, 403, 404, 413, 422))
async def change_shop(
    shop_id: IdPath, body: ShopPatch, user: CurrentUser, container: ContainerDep
) -> ShopView:
    """Change name, description or commission rate (orders keep the rate they were placed at)."""
    await container.run(
        service.change_shop,
        shop_id=shop_id,
        actor_id=user.id,
        name=body.name,
        description=body.description,
        commission_rate_bp=body.commission_rate_bp,
    )
    async with container.db.read_sessions() as reader:
        return await shop_page(reader, shop_id)


@router.get("/me/shops", responses=error_responses(400, 401))
async def my_shops(user: CurrentUser, reader: ReaderDep) -> list[ShopView]:
    return await shops_owned_by(reader, user.id)
