"""The "For you" feed: products ranked by the people the caller trusts, each explained."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from tuan.foryou import domain, queries
from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep
from tuan.http.errors import error_responses

router = APIRouter(prefix="/api/v1", tags=["for you"])


class FeedProductOut(BaseModel):
    id: int
    name: str
    shop_id: int
    currency: str
    price: int = Field(
        description="The lowest price one unit costs now (deals included), minor units"
    )


class ReasonOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    kind: Literal["group_bought", "friends_bought", "rated", "bought_together", "similar_to"]
    count: int = Field(description="People (group_bought, friends_bought)")
    name: str = Field(description="The group, the person or the product the reason names")
    stars: int = Field(description="The rating (rated)")


class FeedItemOut(BaseModel):
    product: FeedProductOut
    score: float
    reasons: list[ReasonOut]
    explanation: str = Field(description='In words, e.g. "3 people in Class 5 bought this"')


class FeedOut(BaseModel):
    items: list[FeedItemOut]


@router.get("/me/for-you", responses=error_responses(400, 401, 422))
async def for_you(
    user: CurrentUser,
    reader: ReaderDep,
    container: ContainerDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    lang: Annotated[Literal["en", "zh-CN"], Query(description="Language of explanations")] = "en",
) -> FeedOut:
    """Products ranked from what the people I trust bought and rated, what my groups bought and
    my own purchases — only behaviour each person lets me see, never anyone else's."""
    feed = await queries.for_you(reader, user.id, container.clock.now(), limit)
    return FeedOut(
        items=[
            FeedItemOut(
                product=FeedProductOut(
                    id=item.product.id,
                    name=item.product.name,
                    shop_id=item.product.shop_id,
                    currency=item.product.currency,
                    price=item.product.price_from,
                ),
                score=item.score,
                reasons=[ReasonOut.model_validate(r) for r in item.reasons],
                explanation=domain.explain(item.reasons, lang),
            )
            for item in feed
        ]
    )
