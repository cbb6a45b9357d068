"""Deals over HTTP: a limited-time price for one SKU, with a stock cap and a per-customer limit."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, status
from pydantic import AfterValidator, AwareDatetime, Field

from tuan.catalog import service
from tuan.catalog.queries import deal_page
from tuan.http.deps import ContainerDep, CurrentUser
from tuan.http.errors import error_responses
from tuan.http.routes.products import DealOut
from tuan.http.schemas import IdPath, Input, Money

router = APIRouter(prefix="/api/v1", tags=["deals"])


def _utc(value: datetime) -> datetime:
    try:
        utc = value.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValueError("the time is out of range") from None
    if not 2000 <= utc.year <= 9000:
        raise ValueError("the time is out of range")
    return utc


# Not strict: JSON has no datetime type, the time arrives as an ISO 8601 string.
UtcTime = Annotated[AwareDatetime, Field(strict=False), AfterValidator(_utc)]


class DealIn(Input):
    price: Money
    starts_at: UtcTime
    ends_at: UtcTime
    stock_cap: int = Field(ge=1, le=1_000_000, description="Units sold at the deal price, at most")
    per_customer_limit: int = Field(ge=1, le=1_000_000)


async def _deal(container: ContainerDep, deal_id: int) -> DealOut:
    async with container.db.read_sessions() as reader:
        return DealOut.model_validate(await deal_page(reader, deal_id, container.clock.now()))


@router.post(
    "/skus/{sku_id}/deals",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 403, 404, 409, 410, 413, 422),
)
async def schedule_deal(
    sku_id: IdPath, body: DealIn, user: CurrentUser, container: ContainerDep
) -> DealOut:
    """Sell a SKU at ``price`` from ``starts_at`` to ``ends_at``; the normal price holds outside."""
    deal = await container.run(
        service.schedule_deal,
        actor_id=user.id,
        sku_id=sku_id,
        price=body.price,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        stock_cap=body.stock_cap,
        per_customer_limit=body.per_customer_limit,
    )
    return await _deal(container, deal.id)


@router.get("/deals/{deal_id}", responses=error_responses(400, 401, 404, 422))
async def get_deal(deal_id: IdPath, container: ContainerDep, _user: CurrentUser) -> DealOut:
    """A deal, its state (upcoming, active, sold out, ended) and how many seconds are left."""
    return await _deal(container, deal_id)


@router.post("/deals/{deal_id}/end", responses=error_responses(400, 401, 403, 404, 422))
async def end_deal(deal_id: IdPath, user: CurrentUser, container: ContainerDep) -> DealOut:
    """End a deal now; the normal price holds again."""
    await container.run(service.end_deal, actor_id=user.id, deal_id=deal_id)
    return await _deal(container, deal_id)
