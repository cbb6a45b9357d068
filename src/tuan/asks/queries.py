"""Read side of asks: the request and its answers, for the people it was posted to, and — for the
asker only — the members most likely to answer it well."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.queries import display_names, users_view
from tuan.asks import domain
from tuan.asks.domain import Suggestion, VisibleRecord
from tuan.asks.errors import AskNotFound
from tuan.asks.models import AskAnswer, AskTarget, RecommendationAsk
from tuan.catalog.queries import products_view
from tuan.chat.queries import memberships_view
from tuan.proof.queries import visible_reputations
from tuan.shares.queries import shares_view


@dataclass(frozen=True)
class AnswerView:
    share_id: int
    answerer_id: int
    answerer_display_name: str
    product_id: int
    product_name: str
    conversation_id: int
    chosen: bool
    created_at: datetime


@dataclass(frozen=True)
class AskView:
    id: int
    asker_id: int
    asker_display_name: str
    text: str
    category: str | None  # None: any category
    status: str
    chosen_share_id: int | None
    conversation_ids: list[int]  # the ones the viewer is in
    answers: list[AnswerView]  # answers in conversations the viewer is in
    suggested_answerers: list[Suggestion]  # for the asker only; empty for everyone else
    created_at: datetime


async def conversations_seen(session: AsyncSession, ask_id: int, viewer_id: int) -> list[int]:
    """The conversations the ask was posted into that ``viewer_id`` is in and saw it posted in
    (they were a member before it was), by id. One statement."""
    members = memberships_view()
    return list(
        await session.scalars(
            select(AskTarget.conversation_id)
            .join(members, members.c.conversation_id == AskTarget.conversation_id)
            .where(
                AskTarget.ask_id == ask_id,
                members.c.user_id == viewer_id,
                AskTarget.message_seq > members.c.visible_from_seq,
            )
            .order_by(AskTarget.conversation_id)
        )
    )


async def suggested_answerers(
    session: AsyncSession, *, asker_id: int, conversation_ids: list[int], category: str | None
) -> list[Suggestion]:
    """Up to five members of ``conversation_ids`` (which the asker is in) most likely to answer
    well: ranked by their record in ``category`` (all categories if None) *as the asker may see
    it* — purchases and ratings pass the privacy gate before they are counted, so a hidden one
    moves nobody up — never the asker, never anyone blocked either way, nobody with nothing
    visible. A fixed number of statements however large the group."""
    if not conversation_ids:
        return []
    members, people = memberships_view(), users_view()
    names: dict[int, str] = dict(
        (
            await session.execute(
                select(people.c.user_id, people.c.display_name)
                .join(members, members.c.user_id == people.c.user_id)
                .where(
                    members.c.conversation_id.in_(conversation_ids),
                    members.c.user_id != asker_id,
                    members.c.is_open,
                )
                .distinct()
            )
        ).all()
    )
    records = await visible_reputations(session, set(names), asker_id)
    seen = []
    for person, lines in records.items():
        chosen = [r for r in lines if category is None or r.category == category]
        seen.append(
            VisibleRecord(
                user_id=person,
                display_name=names[person],
                purchases=sum(r.purchases for r in chosen),
                rated=sum(r.rated for r in chosen),
                rated_good=sum(r.rated_good for r in chosen),
            )
        )
    return domain.suggest(seen, category)


async def _answers(
    session: AsyncSession, ask_id: int, chosen_share_id: int | None, visible: list[int]
) -> list[AnswerView]:
    """The answers given in the ``visible`` conversations, oldest first. One statement."""
    shares, products, people = shares_view(), products_view(), users_view()
    rows = await session.execute(
        select(
            AskAnswer,
            shares.c.conversation_id,
            products.c.product_id,
            products.c.name,
            people.c.display_name,
        )
        .join(shares, shares.c.share_id == AskAnswer.share_id)
        .join(products, products.c.product_id == shares.c.product_id)
        .join(people, people.c.user_id == AskAnswer.answerer_id)
        .where(AskAnswer.ask_id == ask_id)
        .order_by(AskAnswer.share_id)
    )
    return [
        AnswerView(
            share_id=a.share_id,
            answerer_id=a.answerer_id,
            answerer_display_name=name,
            product_id=product_id,
            product_name=product_name,
            conversation_id=int(conversation_id or 0),
            chosen=chosen_share_id == a.share_id,
            created_at=a.created_at,
        )
        for a, conversation_id, product_id, product_name, name in rows
        if conversation_id in visible
    ]


async def ask_page(session: AsyncSession, ask_id: int, viewer_id: int) -> AskView:
    found = await session.get(RecommendationAsk, ask_id)
    if found is None:
        raise AskNotFound()
    visible = await conversations_seen(session, ask_id, viewer_id)
    if found.asker_id != viewer_id and not visible:
        raise AskNotFound()
    answers = await _answers(session, ask_id, found.chosen_share_id, visible)
    asker = (await display_names(session, {found.asker_id})).get(found.asker_id, "")
    # Suggestions are worked out from what the asker may see, so only the asker is shown them.
    suggestions = (
        await suggested_answerers(
            session, asker_id=viewer_id, conversation_ids=visible, category=found.category
        )
        if found.asker_id == viewer_id
        else []
    )
    return AskView(
        id=found.id,
        asker_id=found.asker_id,
        asker_display_name=asker,
        text=found.text,
        category=found.category,
        status=found.status,
        chosen_share_id=found.chosen_share_id,
        conversation_ids=visible,
        answers=answers,
        suggested_answerers=suggestions,
        created_at=found.created_at,
    )
