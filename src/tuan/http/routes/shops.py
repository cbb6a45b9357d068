"""Shops over HTTP: open one (verified or approved users), see it, change it, list mine.

Also holds the small parameter types the commerce routes share (ids, money, quantities).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from tuan.accounts.domain import hash_token
from tuan.accounts.models import Session, User
from tuan.accounts.service import check_session
from tuan.catalog import service
from tuan.catalog.queries import ShopView, shop_page, shops_owned_by
from tuan.core.db import latest_reads
from tuan.http.deps import ContainerDep, ReaderDep, TokenDep
from tuan.http.errors import error_responses
from tuan.http.schemas import IdPath, Input

router = APIRouter(prefix="/api/v1", tags=["shops"])


async def caller(container: ContainerDep, token: TokenDep) -> User:
    """The logged-in caller, looked up on a connection that goes back to the pool at once.

    Commerce routes run under load (a flash sale); a request that kept a read connection for its
    whole life while its write transaction waited for another could starve the pool. One query:
    the session and its user together, without a read transaction's round trips.
    """
    async with latest_reads(container.db) as session:
        row = (
            await session.execute(
                select(Session, User)
                .join(User, User.id == Session.user_id)
                .where(Session.token_hash == hash_token(token))
            )
        ).first()
    check_session(row[0] if row else None, container.clock.now())  # the reason it is refused
    assert row is not None
    user: User = row[1]
    return user


Caller = Annotated[User, Depends(caller)]
Money = Annotated[int, Field(gt=0, le=10**10, description="Minor units (fen, cents)")]
Currency = Annotated[
    str, Field(pattern=r"^[A-Za-z]{3}$", description="ISO 4217 code", examples=["CNY"])
]
Rate = Annotated[
    int, Field(ge=0, le=5000, description="Commission for sharers, basis points (500 = 5%)")
]


class ShopIn(Input):
    name: str = Field(min_length=1, max_length=80, examples=["阿梅的海鲜小铺"])
    description: str = Field(default="", max_length=2000)
    currency: Currency = "CNY"
    commission_rate_bp: Rate = 0


class ShopPatch(Input):
    name: str | None = Field(default=None, min_length=1, max_length=80)
    description: str | None = Field(default=None, max_length=2000)
    commission_rate_bp: Rate | None = None


class ShopOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    owner_id: int
    name: str
    description: str
    currency: str
    commission_rate_bp: int
    created_at: datetime


def shop_out(view: ShopView) -> ShopOut:
    return ShopOut.model_validate(view)


@router.post(
    "/shops",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 403, 413, 422),
)
async def open_shop(body: ShopIn, user: Caller, container: ContainerDep) -> ShopOut:
    """Open a shop. Real-name verified users may; others need an operator's approval."""
    shop = await service.open_shop(
        container.uow(),
        owner_id=user.id,
        name=body.name,
        description=body.description,
        currency=body.currency,
        commission_rate_bp=body.commission_rate_bp,
    )
    async with container.db.read_sessions() as reader:
        return shop_out(await shop_page(reader, shop.id))


@router.get("/shops/{shop_id}", responses=error_responses(400, 401, 404, 422))
async def get_shop(shop_id: IdPath, reader: ReaderDep, _user: Caller) -> ShopOut:
    return shop_out(await shop_page(reader, shop_id))


@router.patch("/shops/{shop_id}", responses=error_responses(400, 401, 403, 404, 413, 422))
async def change_shop(
    shop_id: IdPath, body: ShopPatch, user: Caller, container: ContainerDep
) -> ShopOut:
    """Change name, description or commission rate (orders keep the rate they were placed at)."""
    await service.change_shop(
        container.uow(),
        shop_id=shop_id,
        actor_id=user.id,
        name=body.name,
        description=body.description,
        commission_rate_bp=body.commission_rate_bp,
    )
    async with container.db.read_sessions() as reader:
        return shop_out(await shop_page(reader, shop_id))


@router.get("/me/shops", responses=error_responses(400, 401))
async def my_shops(user: Caller, reader: ReaderDep) -> list[ShopOut]:
    return [shop_out(s) for s in await shops_owned_by(reader, user.id)]
