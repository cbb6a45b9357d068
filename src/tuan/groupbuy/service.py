"""Team purchase (拼团): open a team, join it, count payments against the deadline, expire it.

A team's places and payments are counted on its row with conditional updates:

- joining takes a place: ``held = held + 1 WHERE status = 'open' AND held < size AND deadline_at >
  now`` — a join that would overfill the team, or comes after the deadline, changes nothing;
- a member's payment counts in the *same transaction* that marks their order paid:
  ``paid_count = paid_count + 1 WHERE status = 'open' AND deadline_at > now``; the N-th payment
  also sets ``status = 'filled'``;
- the deadline job sets ``status = 'expired' WHERE status = 'open'``.

The last payment and the deadline therefore race on one row and exactly one of them wins; a payment
that loses is refunded. See docs/adr/0003-team-purchase-deadlines.md.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from tuan.catalog.errors import NoTeamPrice, ProductArchived, SkuNotFound
from tuan.catalog.models import Product, Sku
from tuan.core.db import changed_one
from tuan.core.scheduler import schedule
from tuan.core.uow import UnitOfWork
from tuan.groupbuy.errors import AlreadyInTeam, TeamClosed, TeamFull, TeamNotFound
from tuan.groupbuy.events import TeamExpired, TeamFilled, TeamOpened
from tuan.groupbuy.models import Team, TeamMember
from tuan.orders import domain as order_domain
from tuan.orders.models import Order
from tuan.orders.service import (
    CheckoutResult,
    IdempotencyClaim,
    TeamPricing,
    UowFactory,
    once_per_key,
    place_order_in,
)

TEAM_DEADLINE = "groupbuy.team_deadline"


@dataclass(frozen=True)
class TeamOrder:
    team_id: int
    order_id: int
    replayed: bool


async def _team_order(
    new_uow: UowFactory, result: CheckoutResult, team_id: int | None
) -> TeamOrder:
    if team_id is None:  # a replay: the team is the one the first request's order joined
        async with new_uow() as uow:
            team_id = await uow.session.scalar(
                select(Order.team_id).where(Order.id == result.order_id)
            )
    assert team_id is not None, "a team purchase key always points at a team order"
    return TeamOrder(team_id=team_id, order_id=result.order_id, replayed=result.replayed)


async def open_team(
    new_uow: UowFactory,
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
    opened: list[int] = []

    async def place(uow: UnitOfWork) -> int:
        sku = await uow.session.get(Sku, sku_id)
        if sku is None:
            raise SkuNotFound(field="sku_id")
        product = await uow.session.get(Product, sku.product_id)
        assert product is not None
        if product.status != "active":
            raise ProductArchived(field="sku_id")
        if product.team_size is None or sku.team_price is None:
            raise NoTeamPrice(field="sku_id")
        team = Team(
            product_id=product.id,
            sku_id=sku.id,
            opener_id=buyer_id,
            size=product.team_size,
            held=1,
            paid_count=0,
            status="forming",
            allow_public_join=allow_public_join,
            code=secrets.token_urlsafe(12),
            team_price=sku.team_price,
            currency=product.currency,
            hours=product.team_hours,
            created_at=uow.now,
        )
        uow.session.add(team)
        await uow.session.flush()
        order = await place_order_in(
            uow,
            buyer_id=buyer_id,
            lines=[order_domain.LineRequest(sku_id, quantity)],
            share_id=share_id,
            team=TeamPricing(team.id),
            team_price=team.team_price,
            claim=claim,
        )
        uow.session.add(
            TeamMember(team_id=team.id, user_id=buyer_id, order_id=order.id, joined_at=uow.now)
        )
        opened.append(team.id)
        return order.id

    result = await once_per_key(new_uow, claim, place)
    return await _team_order(new_uow, result, opened[0] if opened and not result.replayed else None)


async def visible_team(uow: UnitOfWork, team_id: int, viewer_id: int, code: str | None) -> Team:
    """A team the viewer may see: public ones, ones whose code they hold, their own."""
    team = await uow.session.get(Team, team_id)
    if team is None:
        raise TeamNotFound()
    if team.allow_public_join or (code is not None and secrets.compare_digest(code, team.code)):
        return team
    member = await uow.session.scalar(
        select(TeamMember.id).where(TeamMember.team_id == team_id, TeamMember.user_id == viewer_id)
    )
    if member is None:
        raise TeamNotFound()
    return team


async def join_team(
    new_uow: UowFactory,
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

    async def place(uow: UnitOfWork) -> int:
        team = await visible_team(uow, team_id, buyer_id, code)
        taken = await uow.session.execute(
            update(Team)
            .where(
                Team.id == team_id,
                Team.status == "open",
                Team.held < Team.size,
                Team.deadline_at > uow.now,
            )
            .values(held=Team.held + 1)
            .execution_options(synchronize_session=False)
        )
        if not changed_one(taken):
            await uow.session.refresh(team)
            if team.status == "open" and team.deadline_at and team.deadline_at > uow.now:
                raise TeamFull()
            raise TeamClosed()
        already = await uow.session.scalar(
            select(TeamMember.id).where(
                TeamMember.team_id == team_id, TeamMember.user_id == buyer_id
            )
        )
        if already is not None:
            raise AlreadyInTeam()
        order = await place_order_in(
            uow,
            buyer_id=buyer_id,
            lines=[order_domain.LineRequest(team.sku_id, quantity)],
            share_id=share_id,
            team=TeamPricing(team.id),
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
        return order.id

    result = await once_per_key(new_uow, claim, place)
    return TeamOrder(team_id=team_id, order_id=result.order_id, replayed=result.replayed)


class PaymentCount(StrEnum):
    OPENED = "opened"  # the opener paid: the team is open and its deadline runs
    COUNTED = "counted"
    FILLED = "filled"  # the N-th member paid
    REFUSED = "refused"  # the team closed (deadline passed, or it never opened): refund


async def count_member_payment_in(uow: UnitOfWork, *, team_id: int, buyer_id: int) -> PaymentCount:
    """Count one member's payment in the caller's transaction (see the module doc)."""
    session, now = uow.session, uow.now
    team = await session.get(Team, team_id)
    if team is None:
        return PaymentCount.REFUSED
    if team.opener_id == buyer_id:
        deadline = now + timedelta(hours=team.hours)
        opened = await session.execute(
            update(Team)
            .where(Team.id == team_id, Team.status == "forming")
            .values(status="open", paid_count=1, opened_at=now, deadline_at=deadline)
            .execution_options(synchronize_session=False)
        )
        if changed_one(opened):
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
        return PaymentCount.REFUSED
    counted = await session.execute(
        update(Team)
        .where(Team.id == team_id, Team.status == "open", Team.deadline_at > now)
        .values(paid_count=Team.paid_count + 1)
        .execution_options(synchronize_session=False)
    )
    if not changed_one(counted):
        return PaymentCount.REFUSED
    filled = await session.execute(
        update(Team)
        .where(Team.id == team_id, Team.status == "open", Team.paid_count == Team.size)
        .values(status="filled", closed_at=now)
        .execution_options(synchronize_session=False)
    )
    if changed_one(filled):
        uow.emit(TeamFilled(team_id=team_id))
        return PaymentCount.FILLED
    return PaymentCount.COUNTED


async def expire_team(uow: UnitOfWork, *, team_id: int) -> bool:
    """The deadline job: an open team that has not filled by now expires (exactly once)."""
    expired = await uow.session.execute(
        update(Team)
        .where(Team.id == team_id, Team.status == "open", Team.deadline_at <= uow.now)
        .values(status="expired", closed_at=uow.now)
        .execution_options(synchronize_session=False)
    )
    if not changed_one(expired):
        return False
    uow.emit(TeamExpired(team_id=team_id))
    return True


async def release_place(uow: UnitOfWork, *, order_id: int, team_id: int) -> None:
    """An unpaid member's order lapsed: free their place (or drop a team whose opener left)."""
    removed = await uow.session.execute(delete(TeamMember).where(TeamMember.order_id == order_id))
    if not changed_one(removed):
        return  # already released (the event was delivered twice)
    await uow.session.execute(
        update(Team)
        .where(Team.id == team_id, Team.status.in_(("forming", "open")), Team.held > 0)
        .values(held=Team.held - 1)
        .execution_options(synchronize_session=False)
    )
    await uow.session.execute(
        update(Team)
        .where(Team.id == team_id, Team.status == "forming")
        .values(status="cancelled", closed_at=uow.now)
        .execution_options(synchronize_session=False)
    )
