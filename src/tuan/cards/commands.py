"""What other domains do with cards inside their own transaction: post a product as a card (asks
answers a request for a recommendation with one).

For now these delegate to :mod:`tuan.cards.service`, where the cards owner keeps the use cases.
"""

from __future__ import annotations

from tuan.cards import service
from tuan.cards.domain import check_photos as check_photos
from tuan.cards.service import CardPosted as CardPosted
from tuan.core.uow import UnitOfWork


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
    extra: dict[str, object] | None = None,
) -> CardPosted:
    """Post a product (or a deal, or a team) into a conversation as a card, the share and the card
    message both or neither; into a group, the group's norms apply. ``words`` and ``photos`` are
    checked already (:func:`tuan.chat.commands.check_words`, :func:`check_photos`); ``extra``
    goes into the card message's payload."""
    return await service.share_into_chat_in(
        uow,
        sharer_id=sharer_id,
        conversation_id=conversation_id,
        product_id=product_id,
        deal_id=deal_id,
        team_id=team_id,
        words=words,
        photos=photos,
        forward_of=forward_of,
        extra=extra,
    )
