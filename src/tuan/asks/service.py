"""Asking for a recommendation, answering with a card, choosing one: each in the caller's
transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update

from tuan.asks import domain
from tuan.asks.errors import (
    AskAnswerWhere,
    AskNotFound,
    AskTargets,
    EmptyAsk,
    NotAnAnswer,
    NotYourAsk,
    OwnAsk,
)
from tuan.asks.events import AnswerChosen
from tuan.asks.models import AskAnswer, AskTarget, RecommendationAsk
from tuan.asks.queries import conversations_seen
from tuan.cards.commands import CardPosted, share_into_chat
from tuan.catalog.queries import check_category
from tuan.chat.commands import (
    check_words,
    post_server_message,
    register_server_kinds,
    rewrite_server_message,
)
from tuan.chat.queries import sees_message
from tuan.core.media import check_photos
from tuan.core.uow import UnitOfWork
from tuan.notifications.commands import notify_users
from tuan.social.queries import blocked_either_way

register_server_kinds(domain.ASK_KIND)  # only the server writes a request card
MAX_TARGETS = 20
ASK_ANSWERED = "ask_answered"  # the notification the asker gets


async def ask(
    uow: UnitOfWork,
    *,
    asker_id: int,
    text: str,
    conversation_ids: Sequence[int],
    category: str | None = None,
) -> int:
    """Post a request into a group or into chats with chosen people; returns the ask's id.

    ``category`` is a catalogue slug (an unknown one is refused before anything is written);
    without it the category the text clearly names is used, else none (any category)."""
    words = check_words(text)
    if not words:
        raise EmptyAsk(field="text")
    category = check_category(category) or domain.infer_category(words)
    targets = list(dict.fromkeys(conversation_ids))
    if not 1 <= len(targets) <= MAX_TARGETS:
        raise AskTargets(field="conversation_ids")
    row = RecommendationAsk(
        asker_id=asker_id, text=words, category=category, status="open", created_at=uow.now
    )
    uow.session.add(row)
    await uow.session.flush()
    for conversation_id in targets:
        view = await post_server_message(
            uow,
            conversation_id=conversation_id,
            sender_id=asker_id,
            kind=domain.ASK_KIND,
            text=words,
            payload={"ask_id": row.id},
        )
        uow.session.add(
            AskTarget(ask_id=row.id, conversation_id=conversation_id, message_seq=view["seq"])
        )
    return row.id


async def _visible_ask(uow: UnitOfWork, ask_id: int, user_id: int) -> RecommendationAsk:
    found = await uow.session.get(RecommendationAsk, ask_id)
    if found is None:
        raise AskNotFound()
    if found.asker_id != user_id and not await conversations_seen(uow.session, ask_id, user_id):
        raise AskNotFound()
    return found


async def answer(
    uow: UnitOfWork,
    *,
    ask_id: int,
    answerer_id: int,
    conversation_id: int,
    product_id: int | None = None,
    deal_id: int | None = None,
    team_id: int | None = None,
    text: str = "",
    photos: Sequence[str] = (),
) -> CardPosted:
    """Answer with a product card, posted where the request was (group norms apply)."""
    words = check_words(text)
    keys = check_photos(photos)
    found = await _visible_ask(uow, ask_id, answerer_id)
    if found.asker_id == answerer_id:
        raise OwnAsk()
    target = await uow.session.get(AskTarget, (ask_id, conversation_id))
    if target is None:
        raise AskAnswerWhere(field="conversation_id")
    posted = await share_into_chat(
        uow,
        sharer_id=answerer_id,
        conversation_id=conversation_id,
        product_id=product_id,
        deal_id=deal_id,
        team_id=team_id,
        words=words,
        photos=keys,
        extra={"ask_id": ask_id},
    )
    uow.session.add(
        AskAnswer(
            share_id=posted.share_id, ask_id=ask_id, answerer_id=answerer_id, created_at=uow.now
        )
    )
    await _tell_asker(uow, found, posted, answerer_id)
    return posted


async def _tell_asker(
    uow: UnitOfWork, found: RecommendationAsk, posted: CardPosted, answerer_id: int
) -> None:
    """The asker hears of an answer, even in a group they muted (it is addressed to them, like
    a reply): if they still see the chat's new card, and neither has blocked the other."""
    cid, seq = posted.conversation_id, posted.message_seq
    if not await sees_message(uow.session, cid, seq, found.asker_id):
        return
    if await blocked_either_way(uow.session, found.asker_id, answerer_id):
        return
    await notify_users(
        uow,
        [found.asker_id],
        kind=ASK_ANSWERED,
        actor_id=answerer_id,
        conversation_id=cid,
        message_seq=seq,
        data={"ask_id": found.id},
    )


async def choose(uow: UnitOfWork, *, ask_id: int, asker_id: int, share_id: int) -> None:
    """The asker marks the answer they chose (they may change their mind)."""
    found = await uow.session.get(RecommendationAsk, ask_id)
    if found is None:
        raise AskNotFound()
    if found.asker_id != asker_id:
        raise NotYourAsk()
    chosen = await uow.session.get(AskAnswer, share_id)
    if chosen is None or chosen.ask_id != ask_id:
        raise NotAnAnswer(field="share_id")
    await uow.session.execute(
        update(RecommendationAsk)
        .where(RecommendationAsk.id == ask_id)
        .values(status="chosen", chosen_share_id=share_id, chosen_at=uow.now)
    )
    uow.emit(
        AnswerChosen(
            ask_id=ask_id, asker_id=asker_id, answerer_id=chosen.answerer_id, share_id=share_id
        )
    )
    await _show_chosen(uow, found)


async def _show_chosen(uow: UnitOfWork, ask: RecommendationAsk) -> None:
    """The request's message in each chat gets a new version saying it is settled, so everyone
    following those chats sees it at once. Which answer was chosen is not in it: each reader
    learns that from the ask, which shows only the answers they may see."""
    targets = await uow.session.scalars(select(AskTarget).where(AskTarget.ask_id == ask.id))
    for target in targets.all():
        await rewrite_server_message(
            uow,
            conversation_id=target.conversation_id,
            seq=target.message_seq,
            text=ask.text,
            payload={"ask_id": ask.id, "status": "chosen"},
        )
