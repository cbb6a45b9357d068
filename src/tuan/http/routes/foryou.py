"""The "For you" feed: products ranked by the people the caller trusts, each explained."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from tuan.core.phrases import Phrase
from tuan.foryou import queries
from tuan.foryou.domain import Reason, ReasonKind
from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.web.phrases import say, say_all

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
    kind: ReasonKind
    count: int = Field(description="People (group_bought, friends_bought)")
    name: str = Field(description="The group, the person or the product the reason names")
    stars: int = Field(description="The rating (rated)")
    phrase: Phrase = Field(description="What the reason says, as a catalogue code and parameters")
    text: str = Field(description="The phrase in the language asked for")

    @classmethod
    def said(cls, reason: Reason, lang: str) -> ReasonOut:
        return cls(
            kind=reason.kind,
            count=reason.count,
            name=reason.name,
            stars=reason.stars,
            phrase=reason.phrase,
            text=say(lang, reason.phrase),
        )


class FeedItemOut(BaseModel):
    product: FeedProductOut
    score: float
    reasons: list[ReasonOut]
    explanation: str = Field(
        description='The reasons in words, e.g. "3 people in Class 5 bought this"'
    )


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
                reasons=[ReasonOut.said(r, lang) for r in item.reasons],
                explanation=say_all(lang, [r.phrase for r in item.reasons]),
            )
            for item in feed
        ]
    )
