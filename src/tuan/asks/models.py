from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tuan.core.db import Base, BigId, UTCDateTime


class RecommendationAsk(Base):
    __tablename__ = "recommendation_asks"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    asker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    # A catalogue category slug, named by the asker or read from the text; None: any category.
    category: Mapped[str | None] = mapped_column(String(40), default=None)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | chosen
    chosen_share_id: Mapped[int | None] = mapped_column(
        ForeignKey("shares.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    chosen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class AskTarget(Base):
    """A conversation the ask was posted into (a group, or a 1:1 chat with a chosen person)."""

    __tablename__ = "recommendation_ask_targets"

    ask_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation_asks.id", ondelete="CASCADE"), primary_key=True
    )
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    message_seq: Mapped[int] = mapped_column(BigInteger)


class AskAnswer(Base):
    """A product card given as an answer to an ask."""

    __tablename__ = "recommendation_answers"

    share_id: Mapped[int] = mapped_column(
        ForeignKey("shares.id", ondelete="CASCADE"), primary_key=True
    )
    ask_id: Mapped[int] = mapped_column(ForeignKey("recommendation_asks.id", ondelete="CASCADE"))
    answerer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_recommendation_answers_ask", "ask_id", "share_id"),)
