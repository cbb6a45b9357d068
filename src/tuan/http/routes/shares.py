"""Shares over HTTP: record that I shared a product (or a deal, or a team) into a conversation.
Orders placed through a share remember it, and its sharer earns the shop's commission."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field

from tuan.groupbuy import service as teams
from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.http.schemas import MAX_ID, IdPath, Input
from tuan.shares import service
from tuan.shares.queries import share_page

router = APIRouter(prefix="/api/v1", tags=["shares"])


class ShareIn(Input):
    product_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    deal_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    team_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    conversation_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="A chat I may post in; none: a link to give"
    )
    parent_share_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="The share this one forwards"
    )


class ShareOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    sharer_id: int
    sharer_username: str
    sharer_display_name: str
    product_id: int
    deal_id: int | None
    team_id: int | None
    conversation_id: int | None = Field(description="Shown to the sharer only")
    parent_share_id: int | None
    created_at: datetime


@router.post(
    "/shares",
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400, 401, 403, 404, 410, 413, 422),
)
async def create_share(body: ShareIn, user: CurrentUser, container: ContainerDep) -> ShareOut:
    """Share a product, one of its deals, or a team I may see (a public one, or my own): into a
    chat I may post in (``conversation_id``), or as a link to give anyone (none). Passing a
    share on (``parent_share_id``) needs one I could see: ``404 SHARE_NOT_VISIBLE``."""
    if body.team_id is not None:  # a team is shared through team purchase, which knows teams
        share_id = await container.run(
            teams.share_team,
            sharer_id=user.id,
            team_id=body.team_id,
            product_id=body.product_id,
            deal_id=body.deal_id,
            conversation_id=body.conversation_id,
            parent_share_id=body.parent_share_id,
        )
    else:
        share_id = await container.run(
            service.share,
            sharer_id=user.id,
            product_id=body.product_id,
            deal_id=body.deal_id,
            conversation_id=body.conversation_id,
            parent_share_id=body.parent_share_id,
        )
    async with container.db.read_sessions() as reader:
        return ShareOut.model_validate(await share_page(reader, share_id, user.id))


@router.get("/shares/{share_id}", responses=error_responses(400, 401, 404, 422))
async def get_share(share_id: IdPath, user: CurrentUser, reader: ReaderDep) -> ShareOut:
    """A share I could see: my own, a link, or one made into a chat I am in."""
    return ShareOut.model_validate(await share_page(reader, share_id, user.id))
