"""Read side of team purchases. A team shows how many paid, never who: purchases are private."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.queries import public_names
from tuan.groupbuy import domain
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
    allowed_actions: list[str]  # "join" while the viewer may take a place


def team_view(team: Team, opener: str, member: bool, now: datetime) -> TeamView:
    joinable = domain.may_join(
        status=team.status,
        deadline_at=team.deadline_at,
        size=team.size,
        held=team.held,
        member=member,
        now=now,
    )
    return TeamView(
        id=team.id,
        product_id=team.product_id,
        sku_id=team.sku_id,
        status=team.status,
        size=team.size,
        paid_count=team.paid_count,
        places_left=domain.places_left(team.status, team.size, team.held),
        team_price=team.team_price,
        currency=team.currency,
        allow_public_join=team.allow_public_join,
        deadline_at=team.deadline_at,
        seconds_left=domain.seconds_left(team.status, team.deadline_at, now),
        opener_display_name=opener,
        you_are_member=member,
        code=team.code if member else None,
        allowed_actions=[domain.JOIN] if joinable else [],
    )


async def _views(
    session: AsyncSession, teams: Sequence[Team], viewer_id: int, now: datetime
) -> list[TeamView]:
    """The teams as ``viewer_id`` sees them: two queries however many teams."""
    if not teams:
        return []
    openers = await public_names(session, (team.opener_id for team in teams))
    mine = set(
        (
            await session.scalars(
                select(TeamMember.team_id).where(
                    TeamMember.team_id.in_([team.id for team in teams]),
                    TeamMember.user_id == viewer_id,
                )
            )
        ).all()
    )
    return [
        team_view(
            team,
            openers[team.opener_id].display_name if team.opener_id in openers else "",
            team.id in mine,
            now,
        )
        for team in teams
    ]


async def team_page(
    session: AsyncSession, team_id: int, viewer_id: int, now: datetime, code: str | None = None
) -> TeamView:
    """Public teams to anyone, private ones to members and to holders of the share-link code."""
    team = await session.get(Team, team_id)
    if team is None:
        raise TeamNotFound()
    (view,) = await _views(session, [team], viewer_id, now)
    if domain.may_see(
        public=team.allow_public_join, member=view.you_are_member, code=code, team_code=team.code
    ):
        return view
    raise TeamNotFound()


async def team_by_code(session: AsyncSession, code: str, viewer_id: int, now: datetime) -> TeamView:
    team = await session.scalar(select(Team).where(Team.code == code))
    if team is None:
        raise TeamNotFound()
    (view,) = await _views(session, [team], viewer_id, now)
    return view


async def open_teams(
    session: AsyncSession, product_id: int, viewer_id: int, now: datetime
) -> list[TeamView]:
    """Teams of a product that anyone may join from the product page, soonest deadline first."""
    teams = (
        await session.scalars(
            select(Team)
            .where(
                Team.product_id == product_id,
                Team.status == domain.OPEN,
                Team.allow_public_join.is_(True),
                Team.deadline_at > now,
            )
            .order_by(Team.deadline_at)
            .limit(20)
        )
    ).all()
    return await _views(session, teams, viewer_id, now)


@dataclass(frozen=True)
class TeamSummary:
    """How a team stands, as its member's order page shows it (no members' names)."""

    id: int
    status: str
    size: int
    paid_count: int
    deadline_at: datetime | None


async def team_summary(session: AsyncSession, team_id: int) -> TeamSummary | None:
    row = (
        await session.execute(
            select(Team.id, Team.status, Team.size, Team.paid_count, Team.deadline_at).where(
                Team.id == team_id
            )
        )
    ).first()
    return None if row is None else TeamSummary(*row)


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
