"""The cart over HTTP. Prices shown are today's; checkout computes them again on the server."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import Field

from tuan.http.deps import ContainerDep, CurrentUser
from tuan.http.errors import error_responses
from tuan.http.schemas import MAX_ID, IdPath, Input
from tuan.orders import cart
from tuan.orders.cart import CartView, cart_page

router = APIRouter(prefix="/api/v1", tags=["cart"])


class CartItemIn(Input):
    quantity: int = Field(ge=1, le=99)
    share_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="Where you saw it")


async def _cart(container: ContainerDep, user_id: int) -> CartView:
    async with container.db.read_sessions() as reader:
        return await cart_page(reader, user_id, container.clock.now())


@router.get("/cart", responses=error_responses(400, 401))
async def get_cart(user: CurrentUser, container: ContainerDep) -> CartView:
    """My cart: its lines at today's prices, each shop's subtotal and the totals per currency."""
    return await _cart(container, user.id)


@router.put("/cart/items/{sku_id}", responses=error_responses(400, 401, 404, 410, 413, 422))
async def put_item(
    sku_id: IdPath, body: CartItemIn, user: CurrentUser, container: ContainerDep
) -> CartView:
    """Set how many of a SKU are in the cart."""
    await container.run(
        cart.put_in_cart,
        user_id=user.id,
        sku_id=sku_id,
        quantity=body.quantity,
        share_id=body.share_id,
    )
    return await _cart(container, user.id)


@router.delete("/cart/items/{sku_id}", responses=error_responses(400, 401, 422))
async def remove_item(sku_id: IdPath, user: CurrentUser, container: ContainerDep) -> CartView:
    await container.run(cart.remove_from_cart, user_id=user.id, sku_id=sku_id)
    return await _cart(container, user.id)
