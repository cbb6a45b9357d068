from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from tuan.core.db import Base, BigId, UTCDateTime


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"))
    opener_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    size: Mapped[int] = mapped_column(Integer)
    # Places taken, paid or still within their payment reservation; never above size.
    held: Mapped[int] = mapped_column(Integer, default=1)
    paid_count: Mapped[int] = mapped_column(Integer, default=0)
    # forming (opener not yet paid) → open → filled | expired; forming → cancelled
    status: Mapped[str] = mapped_column(String(16), default="forming")
    allow_public_join: Mapped[bool] = mapped_column(Boolean, default=False)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # in the share link
    team_price: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    hours: Mapped[int] = mapped_column(Integer)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    __table_args__ = (
        Index("ix_teams_product", "product_id", "status"),
        CheckConstraint("held >= 0 AND held <= size", name="held"),
        CheckConstraint("paid_count >= 0 AND paid_count <= size", name="paid"),
    )


class TeamMember(Base):
    """A place in a team, tied to the order that pays for it; deleted if that order lapses."""

    __tablename__ = "team_members"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)

    # One place per person in a team; erased people all become the tombstone (id 0), so it is
    # not counted (ADR 0011).
    __table_args__ = (
        Index(
            "uq_team_members_team_person",
            "team_id",
            "user_id",
            unique=True,
            postgresql_where=text("user_id <> 0"),
            sqlite_where=text("user_id <> 0"),
        ),
    )
