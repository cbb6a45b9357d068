"""Card use cases: share a product into a chat as a card, forward a card, like and comment.

Sharing records the share (the attribution an order will remember) and posts the card message in
one transaction: either both exist or neither does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select

from tuan.cards import domain
from tuan.cards.errors import CardNotFound, EmptyComment, ReportNotFound
from tuan.cards.messages import conversation_for_sender, post_server_message
from tuan.cards.models import CardComment, CardLike, ProductCard
from tuan.catalog.models import Shop
from tuan.chat.models import Member, Message
from tuan.core.uow import UnitOfWork
from tuan.groupbuy.commands import share_target
from tuan.norms.service import enforce_in, is_group
from tuan.reviews.models import PurchaseReport
from tuan.shares.commands import record_share
from tuan.shares.models import Share


@dataclass(frozen=True)
class CardPosted:
    share_id: int
    conversation_id: int
    message_seq: int


async def _visible_card(uow: UnitOfWork, share_id: int, user_id: int) -> ProductCard:
    card = await uow.session.get(ProductCard, share_id)
    if card is None:
        raise CardNotFound()
    member = await uow.session.get(Member, (card.conversation_id, user_id))
    if member is None or card.message_seq <= member.visible_from_seq:
        raise CardNotFound()
    deleted = await uow.session.scalar(
        select(Message.deleted_at).where(
            Message.conversation_id == card.conversation_id, Message.seq == card.message_seq
        )
    )
    if deleted is not None:  # the sender or a group admin took the card down
        raise CardNotFound()
    return card


async def share_into_chat(
    uow: UnitOfWork,
    *,
    sharer_id: int,
    conversation_id: int,
    product_id: int | None = None,
    deal_id: int | None = None,
    team_id: int | None = None,
    text: str = "",
    photos: Sequence[str] = (),
    forward_of: int | None = None,
) -> CardPosted:
    """Post a product (or a deal, or a team) into a conversation as a card.

    ``forward_of`` forwards a card the sharer can see: the new share's parent is that card's
    share, so the share tree records who passed it on. Into a group, the group's norms apply.
    """
    words = domain.check_words(text)
    keys = domain.check_photos(photos)
    async with uow:
        posted = await share_into_chat_in(
            uow,
            sharer_id=sharer_id,
            conversation_id=conversation_id,
            product_id=product_id,
            deal_id=deal_id,
            team_id=team_id,
            words=words,
            photos=keys,
            forward_of=forward_of,
        )
        await uow.commit()
    return posted


async def share_into_chat_in(
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
    extra: dict[str, object] | None = None,
) -> CardPosted:
    """:func:`share_into_chat` inside the caller's transaction (checked words and photos)."""
    if forward_of is not None:
        parent = await _visible_card(uow, forward_of, sharer_id)
        parent_share = await uow.session.get(Share, forward_of)
        assert parent_share is not None
        product_id = parent.product_id
        deal_id, team_id = parent_share.deal_id, parent_share.team_id
    target = await share_target(
        uow, sharer_id=sharer_id, product_id=product_id, deal_id=deal_id, team_id=team_id
    )
    _conversation, member = await conversation_for_sender(uow, conversation_id, sharer_id)
    if await is_group(uow.session, conversation_id):
        await enforce_in(uow, group_id=conversation_id, member=member, product_id=target.product_id)
    shop = await uow.session.get(Shop, target.shop_id)
    assert shop is not None
    share_id = await record_share(
        uow,
        sharer_id=sharer_id,
        target=target,
        conversation_id=conversation_id,
        parent_share_id=forward_of,
    )
    view = await post_server_message(
        uow,
        conversation_id=conversation_id,
        sender_id=sharer_id,
        kind=domain.CARD_KIND,
        text=words,
        payload={
            "share_id": share_id,
            "product_id": target.product_id,
            "deal_id": deal_id,
            "team_id": team_id,
            "parent_share_id": forward_of,
            "product_name": target.product_name,
            "photos": photos,
            "paid_share": shop.commission_rate_bp > 0,
            "paid_label": domain.paid_label(shop.commission_rate_bp),
            **(extra or {}),
        },
    )
    uow.session.add(
        ProductCard(
            share_id=share_id,
            conversation_id=conversation_id,
            message_seq=view["seq"],
            sharer_id=sharer_id,
            product_id=target.product_id,
            text=words,
            photos=photos,
            created_at=uow.now,
        )
    )
    return CardPosted(share_id, conversation_id, int(view["seq"]))


async def _check_target(uow: UnitOfWork, target: str, target_id: int, user_id: int) -> None:
    if target == "card":
        await _visible_card(uow, target_id, user_id)
        return
    report = await uow.session.get(PurchaseReport, target_id)
    if report is None:
        raise ReportNotFound()
    member = await uow.session.get(Member, (report.conversation_id, user_id))
    if member is None or report.message_seq <= member.visible_from_seq:
        raise ReportNotFound()


async def like(uow: UnitOfWork, *, user_id: int, target: str, target_id: int, on: bool) -> None:
    """Like (or unlike) a card or a report; liking twice is one like."""
    async with uow:
        await _check_target(uow, target, target_id, user_id)
        existing = await uow.session.get(CardLike, (target, target_id, user_id))
        if on and existing is None:
            uow.session.add(
                CardLike(target=target, target_id=target_id, user_id=user_id, created_at=uow.now)
            )
        elif not on and existing is not None:
            await uow.session.execute(
                delete(CardLike).where(
                    CardLike.target == target,
                    CardLike.target_id == target_id,
                    CardLike.user_id == user_id,
                )
            )
        await uow.commit()


async def comment(
    uow: UnitOfWork, *, user_id: int, target: str, target_id: int, text: str
) -> CardComment:
    words = domain.check_words(text)
    if not words:
        raise EmptyComment(field="text")
    async with uow:
        await _check_target(uow, target, target_id, user_id)
        row = CardComment(
            target=target, target_id=target_id, user_id=user_id, text=words, created_at=uow.now
        )
        uow.session.add(row)
        await uow.session.flush()
        await uow.commit()
    return row
