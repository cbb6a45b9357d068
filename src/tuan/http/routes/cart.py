"""The cart over HTTP. Prices shown are today's; checkout computes them again on the server."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from tuan.http.deps import ContainerDep, CurrentUser
from tuan.http.errors import error_responses
from tuan.http.schemas import MAX_ID, IdPath, Input
from tuan.orders import service
from tuan.orders.queries import cart_page

router = APIRouter(prefix="/api/v1", tags=["cart"])


class CartItemIn(Input):
    quantity: int = Field(ge=1, le=99)
    share_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="Where you saw it")


class CartLineOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    sku_id: int
    product_id: int
    shop_id: int
    product_name: str
    sku_label: str
    currency: str
    unit_price: int
    quantity: int
    available: bool
    share_id: int | None


class CartOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    lines: list[CartLineOut]


async def _cart(container: ContainerDep, user_id: int) -> CartOut:
    async with container.db.read_sessions() as reader:
        return CartOut.model_validate(await cart_page(reader, user_id, container.clock.now()))


@router.get("/cart", responses=error_responses(400, 401))
async def get_cart(user: CurrentUser, container: ContainerDep) -> CartOut:
    return await _cart(container, user.id)


@router.put("/cart/items/{sku_id}", responses=error_responses(400, 401, 404, 410, 413, 422))
async def put_item(
    sku_id: IdPath, body: CartItemIn, user: CurrentUser, container: ContainerDep
) -> CartOut:
    """Set how many of a SKU are in the cart."""
    await service.put_in_cart(
        container.uow(),
        user_id=user.id,
        sku_id=sku_id,
        quantity=body.quantity,
        share_id=body.share_id,
    )
    return await _cart(container, user.id)


@router.delete("/cart/items/{sku_id}", responses=error_responses(400, 401, 422))
async def remove_item(sku_id: IdPath, user: CurrentUser, container: ContainerDep) -> CartOut:
    await service.remove_from_cart(container.uow(), user_id=user.id, sku_id=sku_id)
    return await _cart(container, user.id)
