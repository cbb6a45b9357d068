"""Team purchase rules that need no database: a team's life, its places, its deadline, who may
see and join it.

A team is ``forming`` until its opener pays, then ``open`` until its deadline; the N-th paid member
fills it (``filled``), the deadline expires it (``expired``), and a forming team whose opener's
order lapsed is ``cancelled``. The counting itself is done by conditional updates on the team's
row (see :mod:`tuan.groupbuy.service`); these functions say what the counts mean.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from tuan.catalog.errors import NoTeamPrice, ProductArchived
from tuan.groupbuy.errors import TeamClosed, TeamFull

FORMING, OPEN, FILLED, EXPIRED, CANCELLED = "forming", "open", "filled", "expired", "cancelled"
TAKING_PLACES = (FORMING, OPEN)  # a place may still be taken or given back
# What a viewer may do with a team (``allowed_actions``): take a place, or (a member) invite
# others while places are left before the deadline.
JOIN, INVITE = "join", "invite"


def check_team_terms(*, product_status: str, team_size: int | None, team_price: int | None) -> int:
    """The team size for a SKU on offer as a team purchase; refused otherwise."""
    if product_status != "active":
        raise ProductArchived(field="sku_id")
    if team_size is None or team_price is None:
        raise NoTeamPrice(field="sku_id")
    return team_size


def new_code() -> str:
    """The code in a team's share link: unguessable."""
    return secrets.token_urlsafe(12)


def deadline(opened_at: datetime, hours: int) -> datetime:
    """A team's deadline runs from the moment its opener pays."""
    return opened_at + timedelta(hours=hours)


def is_running(status: str, deadline_at: datetime | None, now: datetime) -> bool:
    return status == OPEN and deadline_at is not None and deadline_at > now


def places_left(status: str, size: int, held: int) -> int:
    """Places not taken by a member who paid or is paying."""
    return max(0, size - held) if status in TAKING_PLACES else 0


def seconds_left(status: str, deadline_at: datetime | None, now: datetime) -> int | None:
    if deadline_at is None or status != OPEN:
        return None
    return max(0, int((deadline_at - now).total_seconds()))


def may_see(*, public: bool, member: bool, code: str | None, team_code: str) -> bool:
    """Public teams to anyone; private ones to members and to holders of the share-link code."""
    return (
        public
        or member
        or (code is not None and secrets.compare_digest(code.encode(), team_code.encode()))
    )


def may_join(
    *, status: str, deadline_at: datetime | None, size: int, held: int, member: bool, now: datetime
) -> bool:
    return (
        not member and is_running(status, deadline_at, now) and places_left(status, size, held) > 0
    )


def team_actions(
    *, status: str, deadline_at: datetime | None, size: int, held: int, member: bool, now: datetime
) -> list[str]:
    """What the viewer may do with a team now: join it, or invite people into it."""
    if may_join(
        status=status, deadline_at=deadline_at, size=size, held=held, member=member, now=now
    ):
        return [JOIN]
    if member and is_running(status, deadline_at, now) and places_left(status, size, held) > 0:
        return [INVITE]
    return []


def join_refusal(status: str, deadline_at: datetime | None, now: datetime) -> TeamFull | TeamClosed:
    """Why a join that took no place was refused: every place taken, or the team is closed."""
    return TeamFull() if is_running(status, deadline_at, now) else TeamClosed()
