"""Read side of team purchases: how a team stands, and whom it names.

**A team's progress is anonymous.** Its size, how many paid, the places left and its deadline
are the offer's state, shown to everyone who may see the team (anyone, for a public one): no one
could decide to join without them, and they never say who. Like a product's stock, they move
with every member's payment, whatever that member's privacy settings.

**A team names its opener only to people who may see the opener's purchases** (and to the opener):
opening a team is a purchase. To anyone else ``opener_display_name`` is None ("Someone's team").
Likewise ``member_names`` lists only the members whose purchases the viewer may see (the viewer
among them); the others are in the anonymous counts and nowhere else. So a stranger can learn
that someone opened or joined a public team, never that a given person did. The gate is
:func:`tuan.privacy.queries.visible_owners`; team purchase sits below privacy, so every caller
passes it in (``TeamViewer``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.queries import public_names
from tuan.core.personal import DELETED_USER_ID
from tuan.groupbuy import domain
from tuan.groupbuy.errors import TeamNotFound
from tuan.groupbuy.models import Team, TeamMember

# Which of some people let the viewer see their purchases (the viewer always sees their own):
# tuan.privacy.queries.purchases_seen_by(session, viewer_id).
PurchasesSeen = Callable[[Iterable[int]], Awaitable[set[int]]]


@dataclass(frozen=True)
class TeamViewer:
    """Who looks at teams, when, and whose purchases they may see."""

    user_id: int
    now: datetime
    purchases_seen: PurchasesSeen


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
    opener_display_name: str | None  # None: the opener's purchases are hidden from the viewer
    you_are_member: bool
    code: str | None  # the share-link code, shown to members only
    # "join" while the viewer may take a place; "invite" while a member may bring others in
    allowed_actions: list[str]
    # Members (the opener first) whose purchases the viewer may see, in the order they joined.
    member_names: list[str] = field(default_factory=list)


def team_view(
    team: Team,
    opener: str | None,
    member: bool,
    now: datetime,
    member_names: list[str] | None = None,
) -> TeamView:
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
        allowed_actions=domain.team_actions(
            status=team.status,
            deadline_at=team.deadline_at,
            size=team.size,
            held=team.held,
            member=member,
            now=now,
        ),
        member_names=member_names or [],
    )


async def _views(
    session: AsyncSession, teams: Sequence[Team], viewer: TeamViewer
) -> list[TeamView]:
    """The teams as the viewer sees them: a fixed number of queries however many teams."""
    if not teams:
        return []
    members = (
        await session.execute(
            select(TeamMember.team_id, TeamMember.user_id)
            .where(TeamMember.team_id.in_([team.id for team in teams]))
            .order_by(TeamMember.id)
        )
    ).all()
    openers = {team.opener_id for team in teams}
    # Places kept for the books by erased people are the tombstone's: it is named by no one (the
    # names here are plain text, which could not say "Deleted user" in the reader's language).
    seen = await viewer.purchases_seen(openers | {user_id for _, user_id in members})
    named = seen - {DELETED_USER_ID}
    names = await public_names(session, named)
    mine = {team_id for team_id, user_id in members if user_id == viewer.user_id}
    shown: dict[int, list[str]] = {}
    for team_id, user_id in members:
        if user_id in names:
            shown.setdefault(team_id, []).append(names[user_id].display_name)
    return [
        team_view(
            team,
            names[team.opener_id].display_name if team.opener_id in names else None,
            team.id in mine,
            viewer.now,
            shown.get(team.id, []),
        )
        for team in teams
    ]


async def team_page(
    session: AsyncSession, team_id: int, viewer: TeamViewer, code: str | None = None
) -> TeamView:
    """Public teams to anyone, private ones to members and to holders of the share-link code."""
    team = await session.get(Team, team_id)
    if team is None:
        raise TeamNotFound()
    (view,) = await _views(session, [team], viewer)
    if domain.may_see(
        public=team.allow_public_join, member=view.you_are_member, code=code, team_code=team.code
    ):
        return view
    raise TeamNotFound()


async def team_by_code(session: AsyncSession, code: str, viewer: TeamViewer) -> TeamView:
    team = await session.scalar(select(Team).where(Team.code == code))
    if team is None:
        raise TeamNotFound()
    (view,) = await _views(session, [team], viewer)
    return view


async def open_teams(session: AsyncSession, product_id: int, viewer: TeamViewer) -> list[TeamView]:
    """Teams of a product that anyone may join from the product page, and the viewer's own
    (private ones too: the page leads its members to it), soonest deadline first."""
    own = select(TeamMember.team_id).where(TeamMember.user_id == viewer.user_id)
    teams = (
        await session.scalars(
            select(Team)
            .where(
                Team.product_id == product_id,
                Team.status == domain.OPEN,
                or_(Team.allow_public_join.is_(True), Team.id.in_(own)),
                Team.deadline_at > viewer.now,
            )
            .order_by(Team.deadline_at)
            .limit(20)
        )
    ).all()
    return await _views(session, teams, viewer)


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
    """A team's live fill state, as a card in a chat shows it to one of its viewers."""

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
    you_are_member: bool = False
    allowed_actions: list[str] = field(default_factory=list)  # as TeamView's, for this viewer


async def team_fill(
    session: AsyncSession, team_id: int, now: datetime, viewer_id: int | None = None
) -> TeamFill | None:
    team = await session.get(Team, team_id)
    if team is None:
        return None
    member = viewer_id is not None and (
        await session.scalar(
            select(TeamMember.id).where(
                TeamMember.team_id == team_id, TeamMember.user_id == viewer_id
            )
        )
        is not None
    )
    view = team_view(team, None, member, now)
    return TeamFill(
        id=view.id,
        status=view.status,
        size=view.size,
        paid_count=view.paid_count,
        places_left=view.places_left,
        team_price=view.team_price,
        seconds_left=view.seconds_left,
        code=None if team.allow_public_join else team.code,
        you_are_member=member,
        allowed_actions=view.allowed_actions,
    )


async def open_teams_of(session: AsyncSession, user_id: int) -> list[int]:
    """The teams a person opened or holds a place in that are still forming or open."""
    placed = select(TeamMember.team_id).where(TeamMember.user_id == user_id)
    rows = await session.scalars(
        select(Team.id)
        .where(
            or_(Team.opener_id == user_id, Team.id.in_(placed)),
            Team.status.in_(domain.TAKING_PLACES),
        )
        .order_by(Team.id)
    )
    return list(rows)
