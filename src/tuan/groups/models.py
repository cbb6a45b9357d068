from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tuan.core.db import Base, BigId, UTCDateTime


class Group(Base):
    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    avatar_key: Mapped[str | None] = mapped_column(String(200), default=None)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="SET NULL"), default=None, index=True
    )
    join_policy: Mapped[str] = mapped_column(String(16), default="approval")
    join_question: Mapped[str | None] = mapped_column(String(200), default=None)
    member_cap: Mapped[int] = mapped_column(Integer)
    member_count: Mapped[int] = mapped_column(Integer, default=0)
    subgroups_by: Mapped[str] = mapped_column(String(16), default="admins")  # admins | members
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    dissolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    __table_args__ = (
        CheckConstraint("member_count <= member_cap", name="within_cap"),
        CheckConstraint("member_cap >= 2", name="cap_at_least_two"),
    )


class InviteLink(Base):
    __tablename__ = "group_invite_links"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    max_uses: Mapped[int | None] = mapped_column(Integer, default=None)
    uses: Mapped[int] = mapped_column(Integer, default=0)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class JoinRequest(Base):
    """Someone asking to join (approval policy), or introduced by a member (introduced policy)."""

    __tablename__ = "group_join_requests"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    answer: Mapped[str] = mapped_column(String(500), default="")
    introduced_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    via_link_id: Mapped[int | None] = mapped_column(
        ForeignKey("group_invite_links.id", ondelete="SET NULL"), default=None
    )
    # pending (waiting for an admin) | invited (a member introduced them; they must accept)
    # | approved | declined | cancelled
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    open_key: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)

    __table_args__ = (Index("ix_group_join_requests_group_status", "group_id", "status"),)
