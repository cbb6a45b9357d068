"""Recording a share inside another domain's transaction: a card posted into a chat, a team
shared by its member (the team's visibility is checked by ``tuan.groupbuy.commands``).

Every share is checked here, whoever records it (ADR 0008): one made into a chat is made by a
member who may post there now, and one passed on forwards a share its forwarder could see.
"""

from __future__ import annotations

from dataclasses import dataclass

from tuan.catalog.errors import DealNotFound, ProductArchived, ProductNotFound
from tuan.catalog.queries import product_brief, product_of_deal
from tuan.chat.commands import sender_in
from tuan.core.uow import UnitOfWork
from tuan.shares.errors import ShareNotFound, ShareTargetMissing
from tuan.shares.events import ProductShared
from tuan.shares.models import Share
from tuan.shares.queries import seen_share


@dataclass(frozen=True)
class ShareTarget:
    """What a share is about, checked: a product on sale, perhaps one of its deals or teams."""

    product_id: int
    product_name: str
    shop_id: int
    deal_id: int | None = None
    team_id: int | None = None


async def product_target(
    uow: UnitOfWork, *, product_id: int | None, deal_id: int | None
) -> ShareTarget:
    """The product a share is about, named directly or through a deal; it must be on sale."""
    if product_id is None and deal_id is None:
        raise ShareTargetMissing(field="product_id")
    if deal_id is not None:
        deal_product = await product_of_deal(uow.session, deal_id)
        if deal_product is None or (product_id is not None and deal_product != product_id):
            raise DealNotFound(field="deal_id")
        product_id = deal_product
    assert product_id is not None
    product = await product_brief(uow.session, product_id)
    if product is None:
        raise ProductNotFound(field="product_id")
    if product.status != "active":
        raise ProductArchived(field="product_id")
    return ShareTarget(product.id, product.name, product.shop_id, deal_id=deal_id)


async def record_share(
    uow: UnitOfWork,
    *,
    sharer_id: int,
    target: ShareTarget,
    conversation_id: int | None,
    parent_share_id: int | None,
) -> int:
    """Write a checked share and its ``ProductShared`` event; returns the share's id.

    Into a chat, the sharer must be a member who may post there now (else chat's refusal:
    ``ConversationNotFound``, ``ConversationClosed``, ``BlockedByRecipient``). A forwarded share
    (``parent_share_id``) must forward a share the sharer could see (``ShareNotVisible``), of
    the same product.
    """
    if conversation_id is not None:
        await sender_in(uow, conversation_id, sharer_id)
    if parent_share_id is not None:
        parent = await seen_share(
            uow.session, parent_share_id, viewer_id=sharer_id, field="parent_share_id"
        )
        if parent.product_id != target.product_id:
            raise ShareNotFound(
                "The share being forwarded does not exist or is about another product.",
                field="parent_share_id",
            )
    row = Share(
        sharer_id=sharer_id,
        product_id=target.product_id,
        deal_id=target.deal_id,
        team_id=target.team_id,
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
            product_id=target.product_id,
            deal_id=target.deal_id,
            team_id=target.team_id,
            conversation_id=conversation_id,
        )
    )
    return row.id
