"""Shops over HTTP: open one (verified or approved users), see it, change it, list mine."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import Field

from tuan.catalog import service
from tuan.catalog.queries import ShopView, shop_page, shops_owned_by
from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.http.schemas import Currency, IdPath, Input, Rate

router = APIRouter(prefix="/api/v1", tags=["shops"])


class ShopIn(Input):
    name: str = Field(min_length=1, max_length=80, examples=["阿梅的海鲜小铺"])
    description: str = Field(default="", max_length=2000)
    currency: Currency = "CNY"
    commission_rate_bp: Rate = 0


class ShopPatch(Input):
    name: str | None = Field(default=None, min_length=1, max_length=80)
    description: str | None = Field(default=None, max_length=2000)
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
