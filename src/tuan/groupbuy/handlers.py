"""The team deadline job, freeing a place when an unpaid member's order lapses, confirming a
filled team's orders and telling its members."""

from __future__ import annotations

from tuan.core.events import Envelope
from tuan.core.scheduler import DueJob
from tuan.core.uow import UnitOfWork
from tuan.core.wiring import Wiring
from tuan.groupbuy import service
from tuan.groupbuy.commands import TEAM_DEADLINE, tell_members
from tuan.groupbuy.events import TeamFilled
from tuan.groupbuy.models import Team
from tuan.orders.commands import confirm_team_orders
from tuan.orders.events import OrderCancelled


async def team_deadline(uow: UnitOfWork, job: DueJob) -> None:
    await service.expire_team(uow, team_id=int(job.payload["team_id"]))


async def free_place(uow: UnitOfWork, envelope: Envelope) -> None:
    cancelled = OrderCancelled.decode(envelope)
    if cancelled.team_id is not None:
        await service.release_place(uow, order_id=cancelled.order_id, team_id=cancelled.team_id)


async def confirm_team(uow: UnitOfWork, envelope: Envelope) -> None:
    """Every paid member's order may now ship (after the filling payment committed)."""
    await confirm_team_orders(uow, team_id=TeamFilled.decode(envelope).team_id)


TEAM_FILLED = "team_filled"  # the notification each member gets


async def tell_members_filled(uow: UnitOfWork, envelope: Envelope) -> None:
    """Each member hears that their team filled, with their own order to follow it up."""
    team = await uow.session.get(Team, TeamFilled.decode(envelope).team_id)
    if team is not None:
        await tell_members(uow, team, TEAM_FILLED, paid=team.paid_count)


def register(wiring: Wiring) -> None:
    wiring.scheduler.register(TEAM_DEADLINE, team_deadline)
    wiring.on_event(OrderCancelled.topic, "groupbuy.free_place", free_place)
    # The handler's name stays the one orders registered it under: events it already handled
    # are not handled again.
    wiring.on_event(TeamFilled.topic, "orders.confirm_team", confirm_team)
    wiring.on_event(TeamFilled.topic, "groupbuy.tell_members_filled", tell_members_filled)
