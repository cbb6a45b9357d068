"""Product cards over HTTP: share into a chat as a card, forward, see the live card, like and
comment (on cards and on purchase reports), and the share tree for the sharer and the shop."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field

from tuan.cards import queries, service
from tuan.cards.domain import Label
from tuan.cards.queries import CardStats, CommentView, Counts, CountsView, DealState, TreeNode
from tuan.groupbuy.queries import TeamFill
from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.http.schemas import MAX_ID, IdPath, Input, PhotoAlts, Photos, Words

router = APIRouter(prefix="/api/v1", tags=["cards"])

WRITE = error_responses(400, 401, 403, 404, 409, 410, 413, 422, 429)
READ = error_responses(400, 401, 403, 404, 422)


class CardIn(Input):
    product_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    deal_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    team_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    text: str = Field(default="", max_length=4000, description="Your words about it")
    photos: Photos = Field(
        default_factory=list,
        description="Keys from POST /conversations/{id}/images",
    )
    photo_alts: PhotoAlts = Field(default_factory=list)


class ForwardIn(Input):
    conversation_id: int = Field(ge=1, le=MAX_ID)
    text: str = Field(default="", max_length=4000)
    photos: Photos = Field(default_factory=list)
    photo_alts: PhotoAlts = Field(default_factory=list)


class CommentIn(Input):
    text: Words = Field(min_length=1)


class CardOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    share_id: int = Field(description="Buy with share_id=<this> so the sharer is credited")
    conversation_id: int
    message_seq: int
    sharer_id: int
    sharer_display_name: str
    text: str
    photo_urls: list[str]
    photo_alts: list[str] = Field(
        description='Each photo\'s description by the sharer (its alt text), in order; "" if none'
    )
    product_id: int
    product_name: str
    product_status: str
    currency: str
    price: int = Field(description="Live: the lowest price a unit costs now, in minor units")
    regular_price: int
    on_deal: bool
    image_url: str | None
    deal: DealState | None = Field(description="Live deal state and seconds left")
    team: TeamFill | None = Field(
        description="Live team fill state; a private team's join code for the card's viewers"
    )
    paid_share: bool = Field(description="The sharer earns commission; always labelled")
    commission_rate_bp: int
    paid_label: Label | None = Field(
        description='Catalogue code and parameters: {"code": "paid_share", "params": {"rate": 5}}'
    )
    parent_share_id: int | None
    counts: Counts
    allowed_actions: list[str] = Field(description="What you may do: like, comment, buy")
    created_at: datetime


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
    posted = await container.run(
        service.share_card,
        sharer_id=user.id,
        conversation_id=conversation_id,
        product_id=body.product_id,
        deal_id=body.deal_id,
        team_id=body.team_id,
        text=body.text,
        photos=body.photos,
        photo_alts=body.photo_alts,
    )
    return await card_out(container, posted.share_id, user.id)


@router.post("/cards/{share_id}/forward", status_code=status.HTTP_201_CREATED, responses=WRITE)
async def forward_card(
    share_id: IdPath, body: ForwardIn, user: CurrentUser, container: ContainerDep
) -> CardOut:
    """Forward a card I can see into another chat; the chain is kept for the share tree."""
    posted = await container.run(
        service.share_card,
        sharer_id=user.id,
        conversation_id=body.conversation_id,
        text=body.text,
        photos=body.photos,
        photo_alts=body.photo_alts,
        forward_of=share_id,
    )
    return await card_out(container, posted.share_id, user.id)


@router.get("/cards/{share_id}", responses=READ)
async def get_card(share_id: IdPath, user: CurrentUser, container: ContainerDep) -> CardOut:
    """The live card: price now, deal time left, team fill, counts."""
    return await card_out(container, share_id, user.id)


@router.get("/cards/{share_id}/tree", responses=READ)
async def get_tree(share_id: IdPath, user: CurrentUser, reader: ReaderDep) -> TreeNode:
    """How a share spread and what each hop sold (original sharer and shop owner only)."""
    return await queries.share_tree(reader, share_id, user.id)


async def _counts(container: ContainerDep, target: str, target_id: int, viewer: int) -> CountsView:
    async with container.db.read_sessions() as reader:
        return await queries.counts_of(reader, target, target_id, viewer, container.clock.now())


async def _like(
    container: ContainerDep, user: CurrentUser, target: str, target_id: int, on: bool
) -> CountsView:
    await container.run(service.like, user_id=user.id, target=target, target_id=target_id, on=on)
    return await _counts(container, target, target_id, user.id)


async def _comment(
    container: ContainerDep, user: CurrentUser, target: str, target_id: int, text: str
) -> CommentView:
    row = await container.run(
        service.comment, user_id=user.id, target=target, target_id=target_id, text=text
    )
    return CommentView(row.id, user.id, user.display_name, row.text, row.created_at)


@router.put("/cards/{share_id}/like", responses=WRITE)
async def like_card(share_id: IdPath, user: CurrentUser, container: ContainerDep) -> CountsView:
    return await _like(container, user, "card", share_id, True)


@router.delete("/cards/{share_id}/like", responses=WRITE)
async def unlike_card(share_id: IdPath, user: CurrentUser, container: ContainerDep) -> CountsView:
    return await _like(container, user, "card", share_id, False)


@router.put("/reports/{report_id}/like", responses=WRITE)
async def like_report(report_id: IdPath, user: CurrentUser, container: ContainerDep) -> CountsView:
    return await _like(container, user, "report", report_id, True)


@router.delete("/reports/{report_id}/like", responses=WRITE)
async def unlike_report(
    report_id: IdPath, user: CurrentUser, container: ContainerDep
) -> CountsView:
    return await _like(container, user, "report", report_id, False)


@router.get("/reports/{report_id}/counts", responses=READ)
async def report_counts(
    report_id: IdPath, user: CurrentUser, container: ContainerDep
) -> CountsView:
    return await _counts(container, "report", report_id, user.id)


@router.post("/cards/{share_id}/comments", status_code=201, responses=WRITE)
async def comment_card(
    share_id: IdPath, body: CommentIn, user: CurrentUser, container: ContainerDep
) -> CommentView:
    return await _comment(container, user, "card", share_id, body.text)


@router.post("/reports/{report_id}/comments", status_code=201, responses=WRITE)
async def comment_report(
    report_id: IdPath, body: CommentIn, user: CurrentUser, container: ContainerDep
) -> CommentView:
    return await _comment(container, user, "report", report_id, body.text)


@router.get("/cards/{share_id}/comments", responses=READ)
async def card_comments(
    share_id: IdPath, user: CurrentUser, reader: ReaderDep
) -> list[CommentView]:
    return await queries.comments_on(reader, "card", share_id, user.id)


@router.get("/reports/{report_id}/comments", responses=READ)
async def report_comments(
    report_id: IdPath, user: CurrentUser, reader: ReaderDep
) -> list[CommentView]:
    return await queries.comments_on(reader, "report", report_id, user.id)


@router.get("/me/card-stats", responses=error_responses(401))
async def card_stats(user: CurrentUser, reader: ReaderDep) -> CardStats:
    """Cards I shared and what people did with them (likes, comments, forwards)."""
    return await queries.my_card_stats(reader, user.id)
