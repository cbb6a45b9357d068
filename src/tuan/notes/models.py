from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tuan.core.db import Base, BigId, UTCDateTime


class Note(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text, default="")
    # Media keys of the photos, in order, and what each shows ("" where the author said nothing).
    photos: Mapped[list[str]] = mapped_column(JSON, default=list)
    photo_alts: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Normalised tags (no '#', Latin lower-cased), in the author's order; a table of their own
    # comes with search and feeds.
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    area: Mapped[str | None] = mapped_column(String(40), default=None)  # coarse words, no position
    audience: Mapped[str] = mapped_column(String(16))  # everyone | friends | me
    status: Mapped[str] = mapped_column(String(16), default="live")  # live | deleted
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class NoteProduct(Base):
    """A product the note links, with the author's share of it: buying from the note buys
    through that share, so attribution and commission are the shares' own."""

    __tablename__ = "note_products"

    note_id: Mapped[int] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    share_id: Mapped[int] = mapped_column(ForeignKey("shares.id"))
