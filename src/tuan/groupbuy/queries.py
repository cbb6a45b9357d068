"""Read side of team purchases. A team shows how many paid, never who: purchases are private."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.models import User
from tuan.groupbuy.errors import TeamNotFound
from tuan.groupbuy.models import Team, TeamMember


@dataclass(frozen=True)
class TeamView:
    id: int
    product_id: int
    sku_id: int
    status: str
    size: int
    paid_count: int
    places_left: int  # not taken by a member who paid or is paying
    team_price: int
    currency: str
    allow_public_join: bool
    deadline_at: datetime | None
    seconds_left: int | None
    opener_display_name: str
    you_are_member: bool
    code: str | None  # the share-link code, shown to members only


def team_view(team: Team, opener: str, member: bool, now: datetime) -> TeamView:
    left = (
        max(0, int((team.deadline_at - now).total_seconds()))
        if team.deadline_at is not None and team.status == "open"
        else None
    )
    return TeamView(
        id=team.id,
        product_id=team.product_id,
        sku_id=team.sku_id,
        status=team.status,
        size=team.size,
        paid_count=team.paid_count,
        places_left=max(0, team.size - team.held) if team.status in ("forming", "open") else 0,
        team_price=team.team_price,
        currency=team.currency,
        allow_public_join=team.allow_public_join,
        deadline_at=team.deadline_at,
        seconds_left=left,
        opener_display_name=opener,
        you_are_member=member,
        code=team.code if member else None,
    )


async def _view(session: AsyncSession, team: Team, viewer_id: int, now: datetime) -> TeamView:
    opener = await session.scalar(select(User.display_name).where(User.id == team.opener_id))
    member = (
        await session.scalar(
            select(TeamMember.id).where(
                TeamMember.team_id == team.id, TeamMember.user_id == viewer_id
            )
        )
        is not None
    )
    return team_view(team, opener or "", member, now)


async def team_page(
    session: AsyncSession, team_id: int, viewer_id: int, now: datetime, code: str | None = None
) -> TeamView:
    """Public teams to anyone, private ones to members and to holders of the share-link code."""
    team = await session.get(Team, team_id)
    if team is None:
        raise TeamNotFound()
    view = await _view(session, team, viewer_id, now)
    if team.allow_public_join or view.you_are_member or (code is not None and code == team.code):
        return view
    raise TeamNotFound()


async def team_by_code(session: AsyncSession, code: str, viewer_id: int, now: datetime) -> TeamView:
    team = await session.scalar(select(Team).where(Team.code == code))
    if team is None:
        raise TeamNotFound()
    return await _view(session, team, viewer_id, now)


async def open_teams(
    session: AsyncSession, product_id: int, viewer_id: int, now: datetime
) -> list[TeamView]:
    """Teams of a product that anyone may join from the product page, soonest deadline first."""
    teams = (
        await session.scalars(
            select(Team)
            .where(
                Team.product_id == product_id,
                Team.status == "open",
                Team.allow_public_join.is_(True),
                Team.deadline_at > now,
            )
            .order_by(Team.deadline_at)
            .limit(20)
        )
    ).all()
    return [await _view(session, team, viewer_id, now) for team in teams]


@dataclass(frozen=True)
class TeamFill:
    """A team's live fill state, as a card in a chat shows it."""

    id: int
    status: str
    size: int
    paid_count: int
    places_left: int
    team_price: int
    seconds_left: int | None
    # A private team's join code: a member chose to post the team where it is shown, so the
    # people who see it there may join (a non-member cannot share a private team).
    code: str | None = None


async def team_fill(session: AsyncSession, team_id: int, now: datetime) -> TeamFill | None:
    team = await session.get(Team, team_id)
    if team is None:
        return None
    view = team_view(team, "", True, now)
    return TeamFill(
        id=view.id,
        status=view.status,
        size=view.size,
        paid_count=view.paid_count,
        places_left=view.places_left,
        team_price=view.team_price,
        seconds_left=view.seconds_left,
        code=None if team.allow_public_join else team.code,
    )
