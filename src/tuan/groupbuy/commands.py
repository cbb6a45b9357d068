"""What other domains may change in team purchases inside their own transaction.

- payments counts a member's payment in the transaction that marks their order paid, so the last
  payment and the deadline race on one row and exactly one wins (ADR 0003); the other members
  are told in that transaction;
- cards and the share route share a team the sharer may see (recorded by ``tuan.shares``).
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from sqlalchemy import select, update

from tuan.catalog.queries import product_facts
from tuan.core.db import changed_one
from tuan.core.personal import DELETED_USER_ID
from tuan.core.scheduler import schedule
from tuan.core.uow import UnitOfWork
from tuan.groupbuy import domain
from tuan.groupbuy.errors import TeamNotFound
from tuan.groupbuy.events import TeamFilled, TeamOpened
from tuan.groupbuy.models import Team, TeamMember
from tuan.notifications.commands import notify_users
from tuan.realtime import topics
from tuan.shares.commands import ShareTarget, product_target

TEAM_DEADLINE = "groupbuy.team_deadline"
# The notifications members get as their team moves
TEAM_JOINED, TEAM_ONE_SHORT, TEAM_FAILED = "team_joined", "team_one_short", "team_failed"


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
    await _tell_members_joined(uow, team, buyer_id)
    return PaymentCount.COUNTED


async def _tell_members_joined(uow: UnitOfWork, team: Team, buyer_id: int) -> None:
    """The other members hear that someone paid their place (or, when the team now needs just
    one more, that it does), each with their own order to follow it up. The joiner is not
    named: a team's progress is anonymous (:mod:`tuan.groupbuy.queries`), and whether a member
    may see the joiner's purchases is privacy's to say, a layer above team purchase."""
    paid = await uow.session.scalar(select(Team.paid_count).where(Team.id == team.id))
    kind = TEAM_ONE_SHORT if paid == team.size - 1 else TEAM_JOINED
    await tell_members(uow, team, kind, paid=int(paid or 0), leaving_out=buyer_id)


async def tell_members(
    uow: UnitOfWork, team: Team, kind: str, *, paid: int, leaving_out: int | None = None
) -> None:
    """Notify each member (but ``leaving_out``) of ``kind``, with the product, how many paid of
    how many, and their own order (its page follows the team)."""
    product = await product_facts(uow.session, team.product_id)
    members = await uow.session.execute(
        select(TeamMember.user_id, TeamMember.order_id)
        .where(TeamMember.team_id == team.id, TeamMember.user_id != DELETED_USER_ID)
        .order_by(TeamMember.id)
    )
    for user_id, order_id in members.all():
        if user_id == leaving_out:
            continue
        await notify_users(
            uow,
            [user_id],
            kind=kind,
            data={
                "team_id": team.id,
                "order_id": order_id,
                "product": product.name if product else "",
                "count": paid,
                "size": team.size,
            },
        )


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
