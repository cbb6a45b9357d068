"""My commission wallet: balances (sums of ledger entries), recent entries, payouts."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field

from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.http.schemas import Currency, Input, Money
from tuan.ledger.queries import wallet
from tuan.payments import payouts

router = APIRouter(prefix="/api/v1", tags=["wallet"])


class EntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    currency: str
    amount: int = Field(
        description="Positive: credited to you or released; negative: clawed back or paid out"
    )
    kind: Literal["commission", "clawback", "release", "payout"] = Field(
        description="commission and clawback change what is held; release makes it available"
    )
    order_id: int | None
    memo: str
    at: datetime


class BalanceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    currency: str
    amount: int = Field(description="Available: what a payout may draw on")
    held: int = Field(
        description="Earned on orders inside the 7-day return window; available when it closes"
    )


class WalletOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    balances: list[BalanceOut]
    entries: list[EntryOut]


class PayoutIn(Input):
    amount: Money
    currency: Currency = "CNY"


class PayoutOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    amount: int
    currency: str
    status: Literal["pending", "paid", "failed"]
    created_at: datetime


@router.get("/wallet", responses=error_responses(400, 401))
async def get_wallet(user: CurrentUser, reader: ReaderDep) -> WalletOut:
    """Commission earned by sharing: held when an order completes (refunds inside the return
    window claw it back), available to pay out once the window closes."""
    return WalletOut.model_validate(await wallet(reader, user.id))


@router.post(
    "/wallet/payouts",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 409, 413, 422),
)
async def request_payout(body: PayoutIn, user: CurrentUser, container: ContainerDep) -> PayoutOut:
    """Move part of a balance out through the payment provider."""
    payout = await container.run(
        payouts.request_payout, user_id=user.id, amount=body.amount, currency=body.currency
    )
    container.scheduler.kick()
    return PayoutOut.model_validate(payout)
