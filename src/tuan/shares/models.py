from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from tuan.core.db import Base, BigId, UTCDateTime


class Share(Base):
    __tablename__ = "shares"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    sharer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"), default=None)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), default=None)
    # A plain id for now: conversations belong to the chat domain, which links shares to them.
    conversation_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    parent_share_id: Mapped[int | None] = mapped_column(ForeignKey("shares.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_shares_sharer", "sharer_id", "id"),)
