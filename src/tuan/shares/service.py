"""Creating shares: the record that lets an order remember whom to thank (and pay)."""

from __future__ import annotations

from sqlalchemy import select

from tuan.catalog.errors import DealNotFound, ProductArchived, ProductNotFound
from tuan.catalog.models import Deal, Product
from tuan.core.uow import UnitOfWork
from tuan.groupbuy.errors import TeamNotFound
from tuan.groupbuy.models import Team, TeamMember
from tuan.shares.errors import ShareNotFound, ShareTargetMissing
from tuan.shares.events import ProductShared
from tuan.shares.models import Share


async def share(
    uow: UnitOfWork,
    *,
    sharer_id: int,
    product_id: int | None = None,
    deal_id: int | None = None,
    team_id: int | None = None,
    conversation_id: int | None = None,
    parent_share_id: int | None = None,
) -> Share:
    """Record that ``sharer_id`` shared a product (or one of its deals or teams)."""
    async with uow:
        product = await shared_product(uow, sharer_id, product_id, deal_id, team_id)
        if parent_share_id is not None:
            parent = await uow.session.get(Share, parent_share_id)
            if parent is None or parent.product_id != product.id:
                raise ShareNotFound(
                    "The share being forwarded does not exist or is about another product.",
                    field="parent_share_id",
                )
        row = await record_share_in(
            uow,
            sharer_id=sharer_id,
            product_id=product.id,
            deal_id=deal_id,
            team_id=team_id,
            conversation_id=conversation_id,
            parent_share_id=parent_share_id,
        )
        await uow.commit()
    return row


async def shared_product(
    uow: UnitOfWork,
    sharer_id: int,
    product_id: int | None,
    deal_id: int | None,
    team_id: int | None,
) -> Product:
    """The product a share is about: named directly or through a deal or a team the sharer may
    see; it must be on sale."""
    if product_id is None and deal_id is None and team_id is None:
        raise ShareTargetMissing(field="product_id")
    if deal_id is not None:
        deal = await uow.session.get(Deal, deal_id)
        if deal is None or (product_id is not None and deal.product_id != product_id):
            raise DealNotFound(field="deal_id")
        product_id = deal.product_id
    if team_id is not None:
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
        if (
            team is None
            or not visible
            or (product_id is not None and team.product_id != product_id)
        ):
            raise TeamNotFound(field="team_id")
        product_id = team.product_id
    assert product_id is not None
    product = await uow.session.get(Product, product_id)
    if product is None:
        raise ProductNotFound(field="product_id")
    if product.status != "active":
        raise ProductArchived(field="product_id")
    return product


async def record_share_in(
    uow: UnitOfWork,
    *,
    sharer_id: int,
    product_id: int,
    deal_id: int | None,
    team_id: int | None,
    conversation_id: int | None,
    parent_share_id: int | None,
) -> Share:
    """Write a checked share and its ``ProductShared`` event in the caller's transaction."""
    row = Share(
        sharer_id=sharer_id,
        product_id=product_id,
        deal_id=deal_id,
        team_id=team_id,
        conversation_id=conversation_id,
        parent_share_id=parent_share_id,
        created_at=uow.now,
    )
    uow.session.add(row)
    await uow.session.flush()
    uow.emit(
        ProductShared(
            share_id=row.id,
            sharer_id=sharer_id,
            product_id=product_id,
            deal_id=deal_id,
            team_id=team_id,
            conversation_id=conversation_id,
        )
    )
    return row
