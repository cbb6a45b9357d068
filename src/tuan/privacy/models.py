from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from tuan.core.db import Base, UTCDateTime


class PrivacySetting(Base):
    __tablename__ = "privacy_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # purchases | ratings
    audience: Mapped[str] = mapped_column(String(16))  # nobody | friends | groups | shared_groups
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PrivacyGroup(Base):
    """A group someone chose as the audience for one kind of behaviour."""

    __tablename__ = "privacy_groups"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
