"""What other domains do with cards inside their own transaction: post a product as a card
(asks answers a request for a recommendation with one)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from tuan.cards import domain
from tuan.cards.models import ProductCard
from tuan.cards.queries import visible_card
from tuan.catalog.queries import product_facts
from tuan.chat.commands import post_server_message, register_server_kinds, sender_in
from tuan.core.media import photo_alts_of
from tuan.core.uow import UnitOfWork
from tuan.groupbuy.commands import share_target
from tuan.groups.queries import live_group_name
from tuan.norms.commands import enforce_share_norms
from tuan.shares.commands import record_share
from tuan.shares.queries import share_record

register_server_kinds(domain.CARD_KIND, domain.TEAM_CARD_KIND)


@dataclass(frozen=True)
class CardPosted:
    share_id: int
    conversation_id: int
    message_seq: int


async def share_into_chat(
    uow: UnitOfWork,
    *,
    sharer_id: int,
    conversation_id: int,
    product_id: int | None,
    deal_id: int | None,
    team_id: int | None,
    words: str,
    photos: list[str],
    forward_of: int | None = None,
    photo_alts: list[str] | None = None,
    extra: dict[str, object] | None = None,
) -> CardPosted:
    """Post a product (or a deal, or a team) into a conversation as a card: the share (the
    attribution an order will remember) and the card message, both or neither.

    ``words`` and ``photos`` (with ``photo_alts``, their descriptions, or none) are checked
    already (``chat.commands.check_words``; ``core.media.check_photos`` or
    ``check_photo_alts``). ``forward_of`` forwards a card the sharer can see: the new share's
    parent is that card's share, so the share tree records who passed it on. Into a group, the
    group's norms apply. ``extra`` goes into the card message's payload.
    """
    if forward_of is not None:
        parent = await visible_card(uow.session, forward_of, sharer_id)
        parent_share = await share_record(uow.session, forward_of)
        assert parent_share is not None
        product_id = parent.product_id
        deal_id, team_id = parent_share.deal_id, parent_share.team_id
    target = await share_target(
        uow, sharer_id=sharer_id, product_id=product_id, deal_id=deal_id, team_id=team_id
    )
    shared_id = target.product_id
    sender = await sender_in(uow, conversation_id, sharer_id)
    if await live_group_name(uow.session, conversation_id) is not None:
        await enforce_share_norms(
            uow,
            group_id=conversation_id,
            sharer_id=sharer_id,
            role=sender.role,
            joined_at=sender.joined_at,
            product_id=shared_id,
        )
    product = await product_facts(uow.session, shared_id)
    assert product is not None
    share_id = await record_share(
        uow,
        sharer_id=sharer_id,
        target=target,
        conversation_id=conversation_id,
        parent_share_id=forward_of,
    )
    label = domain.paid_label(product.commission_rate_bp)
    alts = photo_alts_of(photo_alts, len(photos))
    view = await post_server_message(
        uow,
        conversation_id=conversation_id,
        sender_id=sharer_id,
        kind=domain.card_kind(team_id),
        text=words,
        payload={
            "share_id": share_id,
            "product_id": product.id,
            "deal_id": deal_id,
            "team_id": team_id,
            "parent_share_id": forward_of,
            "product_name": product.name,
            "photos": photos,
            "photo_alts": alts,
            "paid_share": product.commission_rate_bp > 0,
            "paid_label": asdict(label) if label else None,
            **(extra or {}),
        },
    )
    uow.session.add(
        ProductCard(
            share_id=share_id,
            conversation_id=conversation_id,
            message_seq=view["seq"],
            sharer_id=sharer_id,
            product_id=product.id,
            text=words,
            photos=photos,
            photo_alts=alts,
            created_at=uow.now,
        )
    )
    return CardPosted(share_id, conversation_id, int(view["seq"]))
