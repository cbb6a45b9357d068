"""Read side of asks: the request and its answers, for the people it was posted to, and — for the
asker only — the members most likely to answer it well."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.models import User
from tuan.asks import domain
from tuan.asks.domain import Suggestion, VisibleRecord
from tuan.asks.errors import AskNotFound
from tuan.asks.models import AskAnswer, AskTarget, RecommendationAsk
from tuan.catalog.models import Product
from tuan.chat.models import Conversation, Member
from tuan.groups.models import Group
from tuan.proof.queries import visible_reputations
from tuan.shares.models import Share


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
    members: dict[int, str] = dict(
        (
            await session.execute(
                select(User.id, User.display_name)
                .join(Member, Member.user_id == User.id)
                .join(Conversation, Conversation.id == Member.conversation_id)
                .outerjoin(Group, Group.id == Member.conversation_id)
                .where(
                    Member.conversation_id.in_(conversation_ids),
                    Member.user_id != asker_id,
                    Conversation.closed_at.is_(None),
                    Group.dissolved_at.is_(None),
                )
                .distinct()
            )
        ).all()
    )
    records = await visible_reputations(session, set(members), asker_id)
    seen = []
    for person, lines in records.items():
        chosen = [r for r in lines if category is None or r.category == category]
        seen.append(
            VisibleRecord(
                user_id=person,
                display_name=members[person],
                purchases=sum(r.purchases for r in chosen),
                rated=sum(r.rated for r in chosen),
                rated_good=sum(r.rated_good for r in chosen),
            )
        )
    return domain.suggest(seen, category)


async def ask_page(session: AsyncSession, ask_id: int, viewer_id: int) -> AskView:
    found = await session.get(RecommendationAsk, ask_id)
    if found is None:
        raise AskNotFound()
    targets = list(await session.scalars(select(AskTarget).where(AskTarget.ask_id == ask_id)))
    mine = {
        m.conversation_id: m
        for m in await session.scalars(
            select(Member).where(
                Member.user_id == viewer_id,
                Member.conversation_id.in_([t.conversation_id for t in targets]),
            )
        )
    }
    visible = [
        t.conversation_id
        for t in targets
        if t.conversation_id in mine and t.message_seq > mine[t.conversation_id].visible_from_seq
    ]
    if found.asker_id != viewer_id and not visible:
        raise AskNotFound()
    rows = await session.execute(
        select(AskAnswer, Share.conversation_id, Product.id, Product.name, User.display_name)
        .join(Share, Share.id == AskAnswer.share_id)
        .join(Product, Product.id == Share.product_id)
        .join(User, User.id == AskAnswer.answerer_id)
        .where(AskAnswer.ask_id == ask_id)
        .order_by(AskAnswer.share_id)
    )
    answers = [
        AnswerView(
            share_id=a.share_id,
            answerer_id=a.answerer_id,
            answerer_display_name=name,
            product_id=product_id,
            product_name=product_name,
            conversation_id=int(conversation_id or 0),
            chosen=found.chosen_share_id == a.share_id,
            created_at=a.created_at,
        )
        for a, conversation_id, product_id, product_name, name in rows
        if conversation_id in visible
    ]
    asker = await session.scalar(select(User.display_name).where(User.id == found.asker_id))
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
        asker_display_name=asker or "",
        text=found.text,
        category=found.category,
        status=found.status,
        chosen_share_id=found.chosen_share_id,
        conversation_ids=visible,
        answers=answers,
        suggested_answerers=suggestions,
        created_at=found.created_at,
    )
