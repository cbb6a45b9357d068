"""Card use cases: share a product into a chat as a card (or forward one), like and comment.

Each takes the caller's open unit of work (ADR 0007 §3).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete

from tuan.cards.commands import CardPosted, share_into_chat
from tuan.cards.errors import EmptyComment
from tuan.cards.models import CardComment, CardLike
from tuan.cards.queries import check_report_visible, visible_card
from tuan.chat.commands import check_words
from tuan.core.media import check_photo_alts
from tuan.core.uow import UnitOfWork


async def share_card(
    uow: UnitOfWork,
    *,
    sharer_id: int,
    conversation_id: int,
    product_id: int | None = None,
    deal_id: int | None = None,
    team_id: int | None = None,
    text: str = "",
    photos: Sequence[str] = (),
    photo_alts: Sequence[str] = (),
    forward_of: int | None = None,
) -> CardPosted:
    """Post a product (or a deal, or a team) into a conversation as a card, or forward a card
    (``forward_of``) the sharer can see. Into a group, the group's norms apply. ``photo_alts``
    describes the photos, one each in order (or none)."""
    keys, alts = check_photo_alts(photos, photo_alts)
    return await share_into_chat(
        uow,
        sharer_id=sharer_id,
        conversation_id=conversation_id,
        product_id=product_id,
        deal_id=deal_id,
        team_id=team_id,
        words=check_words(text),
        photos=keys,
        photo_alts=alts,
        forward_of=forward_of,
    )


async def _check_target(uow: UnitOfWork, target: str, target_id: int, user_id: int) -> None:
    if target == "card":
        await visible_card(uow.session, target_id, user_id)
    else:
        await check_report_visible(uow.session, target_id, user_id)


async def like(uow: UnitOfWork, *, user_id: int, target: str, target_id: int, on: bool) -> None:
    """Like (or unlike) a card or a report; liking twice is one like."""
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


async def comment(
    uow: UnitOfWork, *, user_id: int, target: str, target_id: int, text: str
) -> CardComment:
    """Comment on a card or a report."""
    words = check_words(text)
    if not words:
        raise EmptyComment(field="text")
    await _check_target(uow, target, target_id, user_id)
    row = CardComment(
        target=target, target_id=target_id, user_id=user_id, text=words, created_at=uow.now
    )
    uow.session.add(row)
    await uow.session.flush()
    return row
