"""Read side of asks: the request and its answers, for the people it was posted to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.models import User
from tuan.asks.errors import AskNotFound
from tuan.asks.models import AskAnswer, AskTarget, RecommendationAsk
from tuan.catalog.models import Product
from tuan.chat.models import Member
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
    status: str
    chosen_share_id: int | None
    conversation_ids: list[int]  # the ones the viewer is in
    answers: list[AnswerView]  # answers in conversations the viewer is in
    created_at: datetime


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
    return AskView(
        id=found.id,
        asker_id=found.asker_id,
        asker_display_name=asker or "",
        text=found.text,
        status=found.status,
        chosen_share_id=found.chosen_share_id,
        conversation_ids=visible,
        answers=answers,
        created_at=found.created_at,
    )
