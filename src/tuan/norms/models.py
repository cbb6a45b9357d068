from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tuan.core.db import Base, UTCDateTime


class GroupNorms(Base):
    """A group's rules for product shares; a group without a row has the defaults."""

    __tablename__ = "group_norms"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    disputed_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    disputed_min_reviews: Mapped[int] = mapped_column(Integer, default=3)
    disputed_low_percent: Mapped[int] = mapped_column(Integer, default=30)
    promotion_cap: Mapped[int | None] = mapped_column(Integer, default=None)
    cooldown_hours: Mapped[int] = mapped_column(Integer, default=0)
    updated_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class NormOverride(Base):
    """An admin allowed a disputed item to be shared in the group again."""

    __tablename__ = "group_norm_overrides"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), primary_key=True
    )
    by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ShareQuota(Base):
    """How many products a member shared into a group on one day (the promotion cap's counter)."""

    __tablename__ = "group_share_quotas"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # YYYY-MM-DD, China time
    count: Mapped[int] = mapped_column(Integer, default=0)
