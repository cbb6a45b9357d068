"""Team purchase (拼团): open a team, join it, count payments against the deadline, expire it.

A team's places and payments are counted on its row with conditional updates:

- joining takes a place: ``held = held + 1 WHERE status = 'open' AND held < size AND deadline_at >
  now`` — a join that would overfill the team, or comes after the deadline, changes nothing;
- a member's payment counts in the *same transaction* that marks their order paid
  (:func:`tuan.groupbuy.commands.count_member_payment`):
  ``paid_count = paid_count + 1 WHERE status = 'open' AND deadline_at > now``; the N-th payment
  also sets ``status = 'filled'``;
- the deadline job sets ``status = 'expired' WHERE status = 'open'``.

The last payment and the deadline therefore race on one row and exactly one of them wins; a payment
that loses is refunded. See docs/adr/0003-team-purchase-deadlines.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from tuan.catalog.errors import SkuNotFound
from tuan.catalog.queries import sku_terms
from tuan.core.db import changed_one
from tuan.core.uow import UnitOfWork
from tuan.groupbuy import domain
from tuan.groupbuy.commands import (
    TEAM_FAILED,
    announce_team_moved,
    team_share_target,
    tell_members,
)
from tuan.groupbuy.errors import AlreadyInTeam, TeamNotFound
from tuan.groupbuy.events import TeamExpired
from tuan.groupbuy.models import Team, TeamMember
from tuan.orders.commands import IdempotencyClaim, place_team_order, record_key
from tuan.orders.queries import team_of_order
from tuan.shares.commands import record_share


@dataclass(frozen=True)
class TeamOrder:
    team_id: int
    order_id: int
    replayed: bool


async def _replayed(uow: UnitOfWork, claim: IdempotencyClaim) -> TeamOrder | None:
    """The team order a retry of this request made before, if it did."""
    earlier = await record_key(uow, claim)
    if earlier is None:
        return None
    team_id = await team_of_order(uow.session, earlier)
    assert team_id is not None, "a team purchase key always points at a team order"
    return TeamOrder(team_id=team_id, order_id=earlier, replayed=True)


async def open_team(
    uow: UnitOfWork,
    *,
    buyer_id: int,
    sku_id: int,
    quantity: int = 1,
    allow_public_join: bool = False,
    share_id: int | None = None,
    idempotency_key: str,
    request_hash: str,
) -> TeamOrder:
    """Start a team with the opener's order; the team opens when the opener pays."""
    claim = IdempotencyClaim(buyer_id, idempotency_key, request_hash)
    replayed = await _replayed(uow, claim)
    if replayed is not None:
        return replayed
    terms = await sku_terms(uow.session, sku_id)
    if terms is None:
        raise SkuNotFound(field="sku_id")
    size = domain.check_team_terms(
        product_status=terms.product_status,
        team_size=terms.team_size,
        team_price=terms.team_price,
    )
    assert terms.team_price is not None
    team = Team(
        product_id=terms.product_id,
        sku_id=terms.sku_id,
        opener_id=buyer_id,
        size=size,
        held=1,
        paid_count=0,
        status=domain.FORMING,
        allow_public_join=allow_public_join,
        code=domain.new_code(),
        team_price=terms.team_price,
        currency=terms.currency,
        hours=terms.team_hours,
        created_at=uow.now,
    )
    uow.session.add(team)
    await uow.session.flush()
    return await _member_order(uow, team, buyer_id, quantity, share_id, claim)


async def _member_order(
    uow: UnitOfWork,
    team: Team,
    buyer_id: int,
    quantity: int,
    share_id: int | None,
    claim: IdempotencyClaim,
) -> TeamOrder:
    """The member's order at the team price, and their place in the team tied to it."""
    order = await place_team_order(
        uow,
        buyer_id=buyer_id,
        sku_id=team.sku_id,
        quantity=quantity,
        share_id=share_id,
        team_id=team.id,
        team_price=team.team_price,
        claim=claim,
    )
    uow.session.add(
        TeamMember(team_id=team.id, user_id=buyer_id, order_id=order.id, joined_at=uow.now)
    )
    try:
        await uow.session.flush()
    except IntegrityError:  # a twin request of the same buyer joined a moment ago
        raise AlreadyInTeam() from None
    return TeamOrder(team_id=team.id, order_id=order.id, replayed=False)


async def _visible_team(uow: UnitOfWork, team_id: int, viewer_id: int, code: str | None) -> Team:
    """A team the viewer may see: public ones, ones whose code they hold, their own."""
    team = await uow.session.get(Team, team_id)
    if team is None:
        raise TeamNotFound()
    if domain.may_see(public=team.allow_public_join, member=False, code=code, team_code=team.code):
        return team
    member = await uow.session.scalar(
        select(TeamMember.id).where(TeamMember.team_id == team_id, TeamMember.user_id == viewer_id)
    )
    if member is None:
        raise TeamNotFound()
    return team


async def join_team(
    uow: UnitOfWork,
    *,
    buyer_id: int,
    team_id: int,
    code: str | None = None,
    quantity: int = 1,
    share_id: int | None = None,
    idempotency_key: str,
    request_hash: str,
) -> TeamOrder:
    claim = IdempotencyClaim(buyer_id, idempotency_key, request_hash)
    replayed = await _replayed(uow, claim)
    if replayed is not None:
        return replayed
    team = await _visible_team(uow, team_id, buyer_id, code)
    taken = await uow.session.execute(
        update(Team)
        .where(
            Team.id == team_id,
            Team.status == domain.OPEN,
            Team.held < Team.size,
            Team.deadline_at > uow.now,
        )
        .values(held=Team.held + 1)
        .execution_options(synchronize_session=False)
    )
    if not changed_one(taken):
        await uow.session.refresh(team)
        raise domain.join_refusal(team.status, team.deadline_at, uow.now)
    already = await uow.session.scalar(
        select(TeamMember.id).where(TeamMember.team_id == team_id, TeamMember.user_id == buyer_id)
    )
    if already is not None:
        raise AlreadyInTeam()
    announce_team_moved(uow, team_id)
    return await _member_order(uow, team, buyer_id, quantity, share_id, claim)


async def expire_team(uow: UnitOfWork, *, team_id: int) -> bool:
    """The deadline job: an open team that has not filled by now expires (exactly once)."""
    expired = await uow.session.execute(
        update(Team)
        .where(Team.id == team_id, Team.status == domain.OPEN, Team.deadline_at <= uow.now)
        .values(status=domain.EXPIRED, closed_at=uow.now)
        .execution_options(synchronize_session=False)
    )
    if not changed_one(expired):
        return False
    announce_team_moved(uow, team_id)
    team = await uow.session.get(Team, team_id, populate_existing=True)
    assert team is not None
    # Payments refunds every paid member in full and cancels the unpaid orders (TeamExpired).
    await tell_members(uow, team, TEAM_FAILED, paid=team.paid_count)
    uow.emit(TeamExpired(team_id=team_id))
    return True


async def release_place(uow: UnitOfWork, *, order_id: int, team_id: int) -> None:
    """An unpaid member's order lapsed: free their place (or drop a team whose opener left)."""
    removed = await uow.session.execute(delete(TeamMember).where(TeamMember.order_id == order_id))
    if not changed_one(removed):
        return  # already released (the event was delivered twice)
    announce_team_moved(uow, team_id)
    await uow.session.execute(
        update(Team)
        .where(Team.id == team_id, Team.status.in_(domain.TAKING_PLACES), Team.held > 0)
        .values(held=Team.held - 1)
        .execution_options(synchronize_session=False)
    )
    await uow.session.execute(
        update(Team)
        .where(Team.id == team_id, Team.status == domain.FORMING)
        .values(status=domain.CANCELLED, closed_at=uow.now)
        .execution_options(synchronize_session=False)
    )


async def share_team(
    uow: UnitOfWork,
    *,
    sharer_id: int,
    team_id: int,
    product_id: int | None = None,
    deal_id: int | None = None,
    conversation_id: int | None = None,
    parent_share_id: int | None = None,
) -> int:
    """Record that ``sharer_id`` shared a team they may see (a public one, or their own);
    returns the share's id."""
    target = await team_share_target(
        uow, sharer_id=sharer_id, team_id=team_id, product_id=product_id, deal_id=deal_id
    )
    return await record_share(
        uow,
        sharer_id=sharer_id,
        target=target,
        conversation_id=conversation_id,
        parent_share_id=parent_share_id,
    )
