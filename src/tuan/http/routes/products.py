"""Products over HTTP: list one with its SKUs, search (Chinese or English), change, archive,
images, and the fixed list of categories."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, UploadFile, status
from pydantic import BaseModel, ConfigDict, Field

from tuan.catalog import service
from tuan.catalog.domain import CATEGORIES, CategoryInfo
from tuan.catalog.queries import (
    ImageView,
    ProductCard,
    ProductView,
    ShopView,
    product_page,
    search_products,
)
from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.http.schemas import (
    CONTROLS,
    CONTROLS_BUT_LINE_BREAKS,
    MAX_ID,
    Category,
    IdPath,
    Input,
    Money,
    text,
)
from tuan.http.throttle import UploadAllowed

router = APIRouter(prefix="/api/v1", tags=["products"])


# The catalogue's text rules (catalog.domain.clean_text), as for shops.
ProductName = Annotated[str, text(120, required=True, refused=CONTROLS, min_length=1)]
ProductDescription = Annotated[str, text(5000, required=False, refused=CONTROLS_BUT_LINE_BREAKS)]
SkuLabel = Annotated[str, text(60, required=True, refused=CONTROLS, min_length=1)]


class SkuIn(Input):
    label: SkuLabel = Field(examples=["500g"])
    price: Money
    stock: int = Field(default=0, ge=0, le=1_000_000)
    team_price: Money | None = None


class ProductIn(Input):
    name: ProductName = Field(examples=["每日坚果礼盒 Daily nuts gift box"])
    description: ProductDescription = ""
    category: Category | None = None
    skus: list[SkuIn] = Field(min_length=1, max_length=50)
    team_size: int | None = Field(default=None, ge=2, le=50, description="Team purchase size")
    team_hours: int | None = Field(default=None, ge=1, le=168, description="Team deadline")


class ProductPatch(Input):
    name: ProductName | None = None
    description: ProductDescription | None = None
    category: Category | None = None
    clear_category: bool = False
    team_size: int | None = Field(default=None, ge=2, le=50)
    clear_team: bool = False
    team_hours: int | None = Field(default=None, ge=1, le=168)


class SkuPatch(Input):
    label: SkuLabel | None = None
    price: Money | None = None
    team_price: Money | None = None
    clear_team_price: bool = False
    add_stock: int | None = Field(
        default=None, ge=-1_000_000, le=1_000_000, description="Change stock by this much"
    )


class DealOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    sku_id: int
    product_id: int
    currency: str
    price: int
    regular_price: int
    starts_at: datetime
    ends_at: datetime
    state: Literal["upcoming", "active", "sold_out", "ended"]
    seconds_left: int = Field(description="Until it starts (upcoming) or ends (running)")
    stock_cap: int
    remaining: int
    per_customer_limit: int


class SkuOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    label: str
    regular_price: int
    price: int = Field(description="What one unit costs now (the deal price while one runs)")
    team_price: int | None
    stock: int
    deal: DealOut | None


class ProductOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    shop: ShopView
    name: str
    description: str
    category: str | None
    currency: str
    status: Literal["active", "archived"]
    team_size: int | None
    team_hours: int
    skus: list[SkuOut]
    images: list[ImageView]
    created_at: datetime
    updated_at: datetime


class RemovedOut(BaseModel):
    id: int
    outcome: Literal["deleted", "archived"] = Field(
        description="'archived' when it was ever ordered or shared: orders keep pointing at it"
    )


def product_out(view: ProductView) -> ProductOut:
    return ProductOut.model_validate(view)


async def _page(container: ContainerDep, product_id: int) -> ProductOut:
    async with container.db.read_sessions() as reader:
        return product_out(await product_page(reader, product_id, container.clock.now()))


@router.get("/categories", responses=error_responses(400, 401))
async def categories(_user: CurrentUser) -> list[CategoryInfo]:
    return list(CATEGORIES)


@router.post(
    "/shops/{shop_id}/products",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 403, 404, 409, 413, 422),
)
async def list_product(
    shop_id: IdPath, body: ProductIn, user: CurrentUser, container: ContainerDep
) -> ProductOut:
    """Put a product on sale with its SKUs (prices in minor units of the shop's currency)."""
    product = await container.run(
        service.list_product,
        actor_id=user.id,
        shop_id=shop_id,
        name=body.name,
        description=body.description,
        category=body.category,
        skus=[service.SkuSpec(s.label, s.price, s.stock, s.team_price) for s in body.skus],
        team_size=body.team_size,
        team_hours=body.team_hours,
    )
    return await _page(container, product.id)


@router.get("/products", responses=error_responses(400, 401, 422))
async def find_products(
    reader: ReaderDep,
    container: ContainerDep,
    _user: CurrentUser,
    q: Annotated[str | None, Query(max_length=200, description="Words, Chinese or not")] = None,
    category: Annotated[str | None, Query(pattern=r"^[a-z]{1,40}$")] = None,
    shop_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> list[ProductCard]:
    """Search products on sale: 坚果 finds 每日坚果礼盒, nut finds Nuts."""
    cards = await search_products(
        reader,
        now=container.clock.now(),
        text=q,
        category=category,
        shop_id=shop_id,
        limit=limit,
        offset=offset,
    )
    return cards


@router.get("/products/{product_id}", responses=error_responses(400, 401, 404, 422))
async def get_product(
    product_id: IdPath, container: ContainerDep, _user: CurrentUser
) -> ProductOut:
    """A product with each SKU's price now, its running or next deal and how long is left."""
    return await _page(container, product_id)


@router.patch(
    "/products/{product_id}", responses=error_responses(400, 401, 403, 404, 410, 413, 422)
)
async def change_product(
    product_id: IdPath, body: ProductPatch, user: CurrentUser, container: ContainerDep
) -> ProductOut:
    await container.run(
        service.change_product,
        actor_id=user.id,
        product_id=product_id,
        name=body.name,
        description=body.description,
        category=body.category,
        clear_category=body.clear_category,
        team_size=body.team_size,
        clear_team=body.clear_team,
        team_hours=body.team_hours,
    )
    return await _page(container, product_id)


@router.delete("/products/{product_id}", responses=error_responses(400, 401, 403, 404, 422))
async def remove_product(
    product_id: IdPath, user: CurrentUser, container: ContainerDep
) -> RemovedOut:
    """Delete a product; one that was ever ordered or shared is archived instead."""
    outcome = await container.run(service.remove_product, actor_id=user.id, product_id=product_id)
    return RemovedOut(id=product_id, outcome="deleted" if outcome == "deleted" else "archived")


@router.post(
    "/products/{product_id}/skus",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 403, 404, 409, 410, 413, 422),
)
async def add_sku(
    product_id: IdPath, body: SkuIn, user: CurrentUser, container: ContainerDep
) -> ProductOut:
    await container.run(
        service.add_sku,
        actor_id=user.id,
        product_id=product_id,
        spec=service.SkuSpec(body.label, body.price, body.stock, body.team_price),
    )
    return await _page(container, product_id)


@router.patch("/skus/{sku_id}", responses=error_responses(400, 401, 403, 404, 409, 413, 422))
async def change_sku(
    sku_id: IdPath, body: SkuPatch, user: CurrentUser, container: ContainerDep
) -> ProductOut:
    """Change a SKU's label or prices, or its stock by a delta (never an absolute number, which
    would race with checkouts)."""
    sku = await container.run(
        service.change_sku,
        actor_id=user.id,
        sku_id=sku_id,
        label=body.label,
        price=body.price,
        team_price=body.team_price,
        clear_team_price=body.clear_team_price,
        add_stock=body.add_stock,
    )
    return await _page(container, sku.product_id)


@router.post(
    "/products/{product_id}/images",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 403, 404, 409, 413, 415, 422, 429),
    dependencies=[UploadAllowed],
)
async def add_image(
    product_id: IdPath, file: UploadFile, user: CurrentUser, container: ContainerDep
) -> ProductOut:
    """Add a photo (JPEG, PNG, WebP or GIF); it is checked, stripped of metadata and resized."""
    async with container.db.read_sessions() as reader:
        await product_page(reader, product_id, container.clock.now())  # 404 before the work
    stored = await container.images.store(
        "products",
        file.file,
        max_side=1600,
        max_bytes=container.settings.max_upload_bytes,
    )
    await container.run(service.add_image, actor_id=user.id, product_id=product_id, image=stored)
    return await _page(container, product_id)


@router.delete(
    "/products/{product_id}/images/{image_id}", responses=error_responses(400, 401, 403, 404, 422)
)
async def remove_image(
    product_id: IdPath, image_id: IdPath, user: CurrentUser, container: ContainerDep
) -> ProductOut:
    await container.run(
        service.remove_image, actor_id=user.id, product_id=product_id, image_id=image_id
    )
    return await _page(container, product_id)
