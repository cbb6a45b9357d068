"""Team purchase (拼团) over HTTP: open a team by paying, join through its share link (or from the
product page if the opener allows), see how it stands."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.bootstrap import Container
from tuan.groupbuy import service
from tuan.groupbuy.queries import TeamView, TeamViewer, open_teams, team_by_code, team_page
from tuan.http.deps import ContainerDep, CurrentUser, ReaderDep
from tuan.http.errors import error_responses
from tuan.http.routes.orders import IdempotencyKey, OrderOut, order_out
from tuan.http.schemas import MAX_ID, IdPath, Input
from tuan.orders.domain import fingerprint
from tuan.privacy.queries import purchases_seen_by

router = APIRouter(prefix="/api/v1", tags=["team purchase"])

CODE_PATTERN = r"^[A-Za-z0-9_\-]+$"  # a share-link code (groupbuy.domain.new_code)
Code = Annotated[str, Field(min_length=8, max_length=32, pattern=CODE_PATTERN)]


class OpenTeamIn(Input):
    sku_id: int = Field(ge=1, le=MAX_ID)
    quantity: int = Field(default=1, ge=1, le=99)
    allow_public_join: bool = Field(
        default=False, description="Let anyone join from the product page, not only via the link"
    )
    share_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class JoinTeamIn(Input):
    code: Code | None = Field(default=None, description="From the team's share link")
    quantity: int = Field(default=1, ge=1, le=99)
    share_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class TeamOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    product_id: int
    sku_id: int
    status: Literal["forming", "open", "filled", "expired", "cancelled"]
    size: int
    paid_count: int
    places_left: int
    team_price: int
    currency: str
    allow_public_join: bool
    deadline_at: datetime | None
    seconds_left: int | None
    opener_display_name: str | None = Field(
        description="Who opened the team; null unless the opener lets you see their purchases"
    )
    you_are_member: bool
    code: str | None = Field(description="The share-link code (members only)")
    allowed_actions: list[Literal["join", "invite"]] = Field(
        description="What the viewer may do now (join it; a member: invite others while places "
        "are left before the deadline); the web app offers exactly these"
    )
    member_names: list[str] = Field(
        description="Members (opener first) who let you see their purchases, and you; the "
        "others are only in the counts"
    )


class TeamOrderOut(BaseModel):
    team: TeamOut
    order: OrderOut


def team_out(view: TeamView) -> TeamOut:
    return TeamOut.model_validate(view)


def viewer(reader: AsyncSession, user_id: int, container: Container) -> TeamViewer:
    """The caller, now, with the privacy gate on purchases (a team names its opener only to
    people who may see the opener's purchases)."""
    return TeamViewer(user_id, container.clock.now(), purchases_seen_by(reader, user_id))


async def _team_order(
    container: ContainerDep, team_id: int, order_id: int, user_id: int
) -> TeamOrderOut:
    async with container.db.read_sessions() as reader:
        team = await team_page(reader, team_id, viewer(reader, user_id, container))
    return TeamOrderOut(team=team_out(team), order=await order_out(container, order_id, user_id))


RESPONSES = {
    **error_responses(400, 401, 404, 409, 410, 413, 422),
    200: {"model": TeamOrderOut, "description": "A retry with the same Idempotency-Key"},
}


@router.post("/teams", status_code=status.HTTP_201_CREATED, responses=RESPONSES)
async def open_team(
    body: OpenTeamIn,
    key: IdempotencyKey,
    user: CurrentUser,
    container: ContainerDep,
    response: Response,
) -> TeamOrderOut:
    """Start a team at the team price. It opens, and its deadline starts, when you pay the order."""
    result = await container.run(
        service.open_team,
        buyer_id=user.id,
        sku_id=body.sku_id,
        quantity=body.quantity,
        allow_public_join=body.allow_public_join,
        share_id=body.share_id,
        idempotency_key=key,
        request_hash=fingerprint("open_team", body.model_dump(mode="json")),
    )
    if result.replayed:
        response.status_code = status.HTTP_200_OK
    return await _team_order(container, result.team_id, result.order_id, user.id)


@router.post("/teams/{team_id}/join", status_code=status.HTTP_201_CREATED, responses=RESPONSES)
async def join_team(
    team_id: IdPath,
    body: JoinTeamIn,
    key: IdempotencyKey,
    user: CurrentUser,
    container: ContainerDep,
    response: Response,
) -> TeamOrderOut:
    """Take a place in a team; pay the order to count. ``409 TEAM_FULL``: every place is taken;
    ``410 TEAM_CLOSED``: it filled or expired."""
    result = await container.run(
        service.join_team,
        buyer_id=user.id,
        team_id=team_id,
        code=body.code,
        quantity=body.quantity,
        share_id=body.share_id,
        idempotency_key=key,
        request_hash=fingerprint(f"join_team:{team_id}", body.model_dump(mode="json")),
    )
    if result.replayed:
        response.status_code = status.HTTP_200_OK
    return await _team_order(container, result.team_id, result.order_id, user.id)


@router.get("/teams/{team_id}", responses=error_responses(400, 401, 404, 422))
async def get_team(
    team_id: IdPath,
    user: CurrentUser,
    reader: ReaderDep,
    container: ContainerDep,
    code: Annotated[str | None, Query(min_length=8, max_length=32)] = None,
) -> TeamOut:
    return team_out(await team_page(reader, team_id, viewer(reader, user.id, container), code))


@router.get("/teams/by-code/{code}", responses=error_responses(400, 401, 404, 422))
async def get_team_by_code(
    code: Annotated[str, Path(min_length=8, max_length=32, pattern=r"^[A-Za-z0-9_\-]+$")],
    user: CurrentUser,
    reader: ReaderDep,
    container: ContainerDep,
) -> TeamOut:
    """The team behind a share link."""
    return team_out(await team_by_code(reader, code, viewer(reader, user.id, container)))


@router.get("/products/{product_id}/teams", responses=error_responses(400, 401, 422))
async def product_teams(
    product_id: IdPath, user: CurrentUser, reader: ReaderDep, container: ContainerDep
) -> list[TeamOut]:
    """Open teams of a product that anyone may join from the product page, and your own."""
    teams = await open_teams(reader, product_id, viewer(reader, user.id, container))
    return [team_out(t) for t in teams]
