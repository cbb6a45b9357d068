"""Product cards over HTTP: share into a chat as a card, forward, see the live card, like and
comment (on cards and on purchase reports), and the share tree for the sharer and the shop."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field

from tuan.cards import queries, service
from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.http.schemas import MAX_ID, IdPath, Input

router = APIRouter(prefix="/api/v1", tags=["cards"])

WRITE = error_responses(400, 401, 403, 404, 409, 410, 413, 422, 429)
READ = error_responses(400, 401, 403, 404, 422)
PhotoKey = Annotated[str, Field(max_length=200)]


class CardIn(Input):
    product_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    deal_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    team_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    text: str = Field(default="", max_length=4000, description="Your words about it")
    photos: list[PhotoKey] = Field(
        default_factory=list,
        max_length=9,
        description="Keys from POST /conversations/{id}/images",
    )


class ForwardIn(Input):
    conversation_id: int = Field(ge=1, le=MAX_ID)
    text: str = Field(default="", max_length=4000)
    photos: list[PhotoKey] = Field(default_factory=list, max_length=9)


class CommentIn(Input):
    text: str = Field(min_length=1, max_length=4000)


class CountsOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    likes: int
    comments: int
    forwards: int
    you_liked: bool


class DealOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    price: int
    regular_price: int
    state: str
    seconds_left: int
    remaining: int


class TeamOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    status: str
    size: int
    paid_count: int
    places_left: int
    team_price: int
    seconds_left: int | None
    code: str | None = Field(
        default=None, description="A private team's join code (the card's viewers may join)"
    )


class CardOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    share_id: int = Field(description="Buy with share_id=<this> so the sharer is credited")
    conversation_id: int
    message_seq: int
    sharer_id: int
    sharer_display_name: str
    text: str
    photo_urls: list[str]
    product_id: int
    product_name: str
    product_status: str
    currency: str
    price: int = Field(description="Live: the lowest price a unit costs now, in minor units")
    regular_price: int
    on_deal: bool
    image_url: str | None
    deal: DealOut | None = Field(description="Live deal state and seconds left")
    team: TeamOut | None = Field(description="Live team fill state")
    paid_share: bool = Field(description="The sharer earns commission; always labelled")
    commission_rate_bp: int
    paid_label: str | None
    parent_share_id: int | None
    counts: CountsOut
    created_at: datetime


class CommentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    user_id: int
    display_name: str
    text: str
    created_at: datetime


class TreeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    share_id: int
    parent_share_id: int | None
    sharer_id: int
    sharer_display_name: str
    depth: int
    created_at: datetime
    purchases: int
    children: list[TreeOut]


class StatsOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    cards_shared: int
    likes_received: int
    comments_received: int
    forwards_received: int


async def card_out(container: ContainerDep, share_id: int, viewer_id: int) -> CardOut:
    async with container.db.read_sessions() as reader:
        view = await queries.card_page(reader, share_id, viewer_id, container.clock.now())
    return CardOut.model_validate(view)


@router.post(
    "/conversations/{conversation_id}/cards", status_code=status.HTTP_201_CREATED, responses=WRITE
)
async def share_card(
    conversation_id: IdPath, body: CardIn, user: CurrentUser, container: ContainerDep
) -> CardOut:
    """Share a product, a deal or a team into a chat as a card (the share and the card message
    are one transaction). Into a group, its norms apply and refusals say why."""
    posted = await service.share_into_chat(
        container.uow(),
        sharer_id=user.id,
        conversation_id=conversation_id,
        product_id=body.product_id,
        deal_id=body.deal_id,
        team_id=body.team_id,
        text=body.text,
        photos=body.photos,
    )
    return await card_out(container, posted.share_id, user.id)


@router.post("/cards/{share_id}/forward", status_code=status.HTTP_201_CREATED, responses=WRITE)
async def forward_card(
    share_id: IdPath, body: ForwardIn, user: CurrentUser, container: ContainerDep
) -> CardOut:
    """Forward a card I can see into another chat; the chain is kept for the share tree."""
    posted = await service.share_into_chat(
        container.uow(),
        sharer_id=user.id,
        conversation_id=body.conversation_id,
        text=body.text,
        photos=body.photos,
        forward_of=share_id,
    )
    return await card_out(container, posted.share_id, user.id)


@router.get("/cards/{share_id}", responses=READ)
async def get_card(share_id: IdPath, user: CurrentUser, container: ContainerDep) -> CardOut:
    """The live card: price now, deal time left, team fill, counts."""
    return await card_out(container, share_id, user.id)


@router.get("/cards/{share_id}/tree", responses=READ)
async def get_tree(share_id: IdPath, user: CurrentUser, reader: ReaderDep) -> TreeOut:
    """How a share spread and what each hop sold (original sharer and shop owner only)."""
    return TreeOut.model_validate(await queries.share_tree(reader, share_id, user.id))


async def _counts(container: ContainerDep, target: str, target_id: int, viewer: int) -> CountsOut:
    async with container.db.read_sessions() as reader:
        if target == "card":
            view = await queries.card_page(reader, target_id, viewer, container.clock.now())
            return CountsOut.model_validate(view.counts)
        return CountsOut.model_validate(await queries.report_counts(reader, target_id, viewer))


async def _like(
    container: ContainerDep, user: CurrentUser, target: str, target_id: int, on: bool
) -> CountsOut:
    await service.like(container.uow(), user_id=user.id, target=target, target_id=target_id, on=on)
    return await _counts(container, target, target_id, user.id)


async def _comment(
    container: ContainerDep, user: CurrentUser, target: str, target_id: int, text: str
) -> CommentOut:
    row = await service.comment(
        container.uow(), user_id=user.id, target=target, target_id=target_id, text=text
    )
    return CommentOut(
        id=row.id,
        user_id=user.id,
        display_name=user.display_name,
        text=row.text,
        created_at=row.created_at,
    )


@router.put("/cards/{share_id}/like", responses=WRITE)
async def like_card(share_id: IdPath, user: CurrentUser, container: ContainerDep) -> CountsOut:
    return await _like(container, user, "card", share_id, True)


@router.delete("/cards/{share_id}/like", responses=WRITE)
async def unlike_card(share_id: IdPath, user: CurrentUser, container: ContainerDep) -> CountsOut:
    return await _like(container, user, "card", share_id, False)


@router.put("/reports/{report_id}/like", responses=WRITE)
async def like_report(report_id: IdPath, user: CurrentUser, container: ContainerDep) -> CountsOut:
    return await _like(container, user, "report", report_id, True)


@router.delete("/reports/{report_id}/like", responses=WRITE)
async def unlike_report(report_id: IdPath, user: CurrentUser, container: ContainerDep) -> CountsOut:
    return await _like(container, user, "report", report_id, False)


@router.get("/reports/{report_id}/counts", responses=READ)
async def report_counts(report_id: IdPath, user: CurrentUser, container: ContainerDep) -> CountsOut:
    return await _counts(container, "report", report_id, user.id)


@router.post("/cards/{share_id}/comments", status_code=201, responses=WRITE)
async def comment_card(
    share_id: IdPath, body: CommentIn, user: CurrentUser, container: ContainerDep
) -> CommentOut:
    return await _comment(container, user, "card", share_id, body.text)


@router.post("/reports/{report_id}/comments", status_code=201, responses=WRITE)
async def comment_report(
    report_id: IdPath, body: CommentIn, user: CurrentUser, container: ContainerDep
) -> CommentOut:
    return await _comment(container, user, "report", report_id, body.text)


@router.get("/cards/{share_id}/comments", responses=READ)
async def card_comments(share_id: IdPath, user: CurrentUser, reader: ReaderDep) -> list[CommentOut]:
    found = await queries.comments_on(reader, "card", share_id, user.id)
    return [CommentOut.model_validate(c) for c in found]


@router.get("/reports/{report_id}/comments", responses=READ)
async def report_comments(
    report_id: IdPath, user: CurrentUser, reader: ReaderDep
) -> list[CommentOut]:
    found = await queries.comments_on(reader, "report", report_id, user.id)
    return [CommentOut.model_validate(c) for c in found]


@router.get("/me/card-stats", responses=error_responses(401))
async def card_stats(user: CurrentUser, reader: ReaderDep) -> StatsOut:
    """Cards I shared and what people did with them (likes, comments, forwards)."""
    return StatsOut.model_validate(await queries.my_card_stats(reader, user.id))
