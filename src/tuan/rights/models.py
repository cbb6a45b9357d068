from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tuan.core.db import Base, BigId, UTCDateTime


class DataExport(Base):
    """One archive of a person's data: asked for, built in the background, downloadable by its
    owner until it expires."""

    __tablename__ = "data_exports"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16))  # building, ready
    locale: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str | None] = mapped_column(String(80), default=None)
    size_bytes: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    __table_args__ = (Index("ix_data_exports_user_id", "user_id", "created_at"),)


class AccountDeletion(Base):
    """A person's request to leave: it waits (signing in cancels it), then the erasure runs step
    by step (``steps_done`` lets a crashed run carry on). Once erased, ``user_id`` is empty: the
    row only says that an erasure happened, and when."""

    __tablename__ = "account_deletions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # waiting → erasing → erased; waiting → cancelled; waiting → blocked (an obligation arose)
    status: Mapped[str] = mapped_column(String(16))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    erase_after: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    steps_done: Mapped[int] = mapped_column(Integer, default=0)
    blocked_by: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=None)
    by_operator: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_account_deletions_user_id", "user_id", "status"),)


class AuditEntry(Base):
    """What an operator did to answer a legal request: who, when, which request, on which
    export or deletion (by its id). Never a name or anything else about the person."""

    __tablename__ = "rights_audit"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    action: Mapped[str] = mapped_column(String(16))  # export, erase
    operator: Mapped[str] = mapped_column(String(64))
    legal_request: Mapped[str] = mapped_column(String(120))
    subject: Mapped[str] = mapped_column(String(40))  # "export 12", "deletion 7"
    at: Mapped[datetime] = mapped_column(UTCDateTime)
