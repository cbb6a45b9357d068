"""Ask for a recommendation over HTTP: post a request, answer it with a card, choose one."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime

from fastapi import APIRouter, status
from fastapi.responses import Response
from pydantic import BaseModel, Field

from tuan.asks import queries, service
from tuan.asks.domain import Suggestion
from tuan.asks.queries import AnswerView, AskView
from tuan.core.phrases import Phrase
from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.http.routes.cards import CardOut, card_out
from tuan.http.schemas import MAX_ID, Category, Id, IdPath, Input, Photos, Words
from tuan.web.phrases import say_all

router = APIRouter(prefix="/api/v1", tags=["asks"])

WRITE = error_responses(400, 401, 403, 404, 409, 410, 413, 422, 429)


class AskIn(Input):
    text: Words = Field(min_length=1, examples=["28寸行李箱，300以内"])
    conversation_ids: list[Id] = Field(
        min_length=1, max_length=20, description="A group, or 1:1 chats with chosen people"
    )
    category: Category | None = Field(
        default=None,
        description=(
            "A category slug from GET /api/v1/categories (an unknown one is a 422 "
            "UNKNOWN_CATEGORY). Without it, the category the text clearly names is used "
            '("有没有好用的洗发水推荐" → beauty), else all categories.'
        ),
    )


class AnswerIn(Input):
    conversation_id: int = Field(ge=1, le=MAX_ID, description="Where the request was posted")
    product_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    deal_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    team_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    text: str = Field(default="", max_length=4000)
    photos: Photos = Field(default_factory=list)


class ChoiceIn(Input):
    share_id: Id


class SuggestedAnswererOut(BaseModel):
    """A member likely to answer well, by their record in the ask's category as the asker may
    see it (hidden purchases and ratings are not counted)."""

    user_id: int
    display_name: str
    purchases: int = Field(description="Purchases on their shares the asker may see")
    rated: int = Field(description="Ratings of those the asker may see")
    rated_good: int
    score: float = Field(description="Smoothed share of good ratings, 0 to 1")
    reasons: list[Phrase] = Field(
        description="Why, as locale catalogue codes and their parameters (reason says them)"
    )
    reason: str = Field(
        examples=["4 people bought on their shares in Beauty; 3 of 4 rated it good"]
    )
    reason_zh: str = Field(examples=["4人通过TA在美妆个护的分享下单；4个评价中3个好评"])

    @classmethod
    def said(cls, suggestion: Suggestion) -> SuggestedAnswererOut:
        return cls.model_validate(
            {
                **{f.name: getattr(suggestion, f.name) for f in fields(suggestion)},
                "reason": say_all("en", suggestion.reasons),
                "reason_zh": say_all("zh-CN", suggestion.reasons),
            }
        )


class AskOut(BaseModel):
    id: int
    asker_id: int
    asker_display_name: str
    text: str
    category: str | None = Field(description="Named or read from the text; null: any category")
    status: str
    chosen_share_id: int | None
    conversation_ids: list[int]
    answers: list[AnswerView]
    suggested_answerers: list[SuggestedAnswererOut] = Field(
        description="Up to 5, best first; shown to the asker only (empty for others)"
    )
    created_at: datetime

    @classmethod
    def of(cls, view: AskView) -> AskOut:
        said = [SuggestedAnswererOut.said(s) for s in view.suggested_answerers]
        return cls.model_validate(
            {**{f.name: getattr(view, f.name) for f in fields(view)}, "suggested_answerers": said}
        )


@router.post("/asks", status_code=status.HTTP_201_CREATED, responses=WRITE)
async def ask(body: AskIn, user: CurrentUser, container: ContainerDep) -> AskOut:
    """Ask a group, or chosen people, for a recommendation; the answer includes the members most
    likely to answer well."""
    ask_id = await container.run(
        service.ask,
        asker_id=user.id,
        text=body.text,
        conversation_ids=body.conversation_ids,
        category=body.category,
    )
    async with container.db.read_sessions() as reader:
        return AskOut.of(await queries.ask_page(reader, ask_id, user.id))


@router.get("/asks/{ask_id}", responses=error_responses(400, 401, 404, 422))
async def get_ask(ask_id: IdPath, user: CurrentUser, reader: ReaderDep) -> AskOut:
    return AskOut.of(await queries.ask_page(reader, ask_id, user.id))


@router.post("/asks/{ask_id}/answers", status_code=status.HTTP_201_CREATED, responses=WRITE)
async def answer(
    ask_id: IdPath, body: AnswerIn, user: CurrentUser, container: ContainerDep
) -> CardOut:
    """Answer with a product card, posted where the request was (group norms apply)."""
    posted = await container.run(
        service.answer,
        ask_id=ask_id,
        answerer_id=user.id,
        conversation_id=body.conversation_id,
        product_id=body.product_id,
        deal_id=body.deal_id,
        team_id=body.team_id,
        text=body.text,
        photos=body.photos,
    )
    return await card_out(container, posted.share_id, user.id)


@router.put(
    "/asks/{ask_id}/choice",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(400, 401, 403, 404, 413, 422),
)
async def choose(
    ask_id: IdPath, body: ChoiceIn, user: CurrentUser, container: ContainerDep
) -> Response:
    """The asker marks the answer they chose."""
    await container.run(service.choose, ask_id=ask_id, asker_id=user.id, share_id=body.share_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
