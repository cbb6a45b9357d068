"""What other domains may change in team purchases inside their own transaction.

- payments counts a member's payment in the transaction that marks their order paid, so the last
  payment and the deadline race on one row and exactly one wins (ADR 0003);
- cards and the share route share a team the sharer may see (recorded by ``tuan.shares``).
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from sqlalchemy import select, update

from tuan.core.db import changed_one
from tuan.core.scheduler import schedule
from tuan.core.uow import UnitOfWork
from tuan.groupbuy import domain
from tuan.groupbuy.errors import TeamNotFound
from tuan.groupbuy.events import TeamFilled, TeamOpened
from tuan.groupbuy.models import Team, TeamMember
from tuan.realtime import topics
from tuan.shares.commands import ShareTarget, product_target

TEAM_DEADLINE = "groupbuy.team_deadline"


def announce_team_moved(uow: UnitOfWork, team_id: int) -> None:
    """After commit, tell the pages watching the team to read it again (its id only)."""
    uow.notify(topics.TEAM_CHANGED, {"team_id": team_id})


class PaymentCount(StrEnum):
    OPENED = "opened"  # the opener paid: the team is open and its deadline runs
    COUNTED = "counted"
    FILLED = "filled"  # the N-th member paid
    REFUSED = "refused"  # the team closed (deadline passed, or it never opened): refund


async def count_member_payment(uow: UnitOfWork, *, team_id: int, buyer_id: int) -> PaymentCount:
    """Count one member's payment in the caller's transaction (see tuan.groupbuy.service)."""
    session, now = uow.session, uow.now
    team = await session.get(Team, team_id)
    if team is None:
        return PaymentCount.REFUSED
    if team.opener_id == buyer_id:
        deadline = domain.deadline(now, team.hours)
        opened = await session.execute(
            update(Team)
            .where(Team.id == team_id, Team.status == domain.FORMING)
            .values(status=domain.OPEN, paid_count=1, opened_at=now, deadline_at=deadline)
            .execution_options(synchronize_session=False)
        )
        if not changed_one(opened):
            return PaymentCount.REFUSED
        announce_team_moved(uow, team_id)
        await schedule(
            session,
            kind=TEAM_DEADLINE,
            key=f"team:{team_id}",
            run_at=deadline,
            now=now,
            payload={"team_id": team_id},
        )
        uow.emit(
            TeamOpened(
                team_id=team_id, product_id=team.product_id, deadline_at=deadline.isoformat()
            )
        )
        return PaymentCount.OPENED
    counted = await session.execute(
        update(Team)
        .where(Team.id == team_id, Team.status == domain.OPEN, Team.deadline_at > now)
        .values(paid_count=Team.paid_count + 1)
        .execution_options(synchronize_session=False)
    )
    if not changed_one(counted):
        return PaymentCount.REFUSED
    announce_team_moved(uow, team_id)
    filled = await session.execute(
        update(Team)
        .where(Team.id == team_id, Team.status == domain.OPEN, Team.paid_count == Team.size)
        .values(status=domain.FILLED, closed_at=now)
        .execution_options(synchronize_session=False)
    )
    if changed_one(filled):
        uow.emit(TeamFilled(team_id=team_id))
        return PaymentCount.FILLED
    return PaymentCount.COUNTED


async def team_share_target(
    uow: UnitOfWork,
    *,
    sharer_id: int,
    team_id: int,
    product_id: int | None = None,
    deal_id: int | None = None,
) -> ShareTarget:
    """A team the sharer may see (a public one, or their own), as what a share is about."""
    team = await uow.session.get(Team, team_id)
    visible = team is not None and (
        team.allow_public_join
        or await uow.session.scalar(
            select(TeamMember.id).where(
                TeamMember.team_id == team_id, TeamMember.user_id == sharer_id
            )
        )
        is not None
    )
    if team is None or not visible or (product_id is not None and team.product_id != product_id):
        raise TeamNotFound(field="team_id")
    target = await product_target(uow, product_id=team.product_id, deal_id=deal_id)
    return replace(target, team_id=team_id)


async def share_target(
    uow: UnitOfWork,
    *,
    sharer_id: int,
    product_id: int | None,
    deal_id: int | None,
    team_id: int | None,
) -> ShareTarget:
    """What a share names (a product, a deal or a team), checked as the share route checks it."""
    if team_id is None:
        return await product_target(uow, product_id=product_id, deal_id=deal_id)
    return await team_share_target(
        uow, sharer_id=sharer_id, team_id=team_id, product_id=product_id, deal_id=deal_id
    )
