"""The notes domain's tables (ADR 0013). Every pair a person makes once (a like, a helpful
mark, a save, a follow) has the pair as its key, so a second one is a no-op, not a row."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sa_text
from sqlalchemy.orm import Mapped, mapped_column

from tuan.core.db import Base, BigId, UTCDateTime

# The full-text index over notes.search_text (see tuan.core.search), built by migration 0021:
# an FTS5 table of this name on SQLite, a GIN index on PostgreSQL.
NOTE_SEARCH_FTS = "note_search"


class Note(Base):
    __tablename__ = "notes"
    __table_args__ = (
        Index("ix_notes_author_feed", "author_id", "id"),
        Index("ix_notes_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text, default="")
    # Media keys of the photos, in order, and what each shows ("" where the author said nothing).
    photos: Mapped[list[str]] = mapped_column(JSON, default=list)
    photo_alts: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Normalised tags (no '#', Latin lower-cased), in the author's order.
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    area: Mapped[str | None] = mapped_column(String(40), default=None)  # coarse words, no position
    audience: Mapped[str] = mapped_column(String(16))  # everyone | friends | groups | me
    status: Mapped[str] = mapped_column(String(16), default="live")  # live | hidden | deleted
    hidden_reason: Mapped[str | None] = mapped_column(String(200), default=None)
    # Set by the server only: the author earns commission through a linked product, or the note
    # is bound to a shop's paid collaboration. No route clears it.
    sponsored: Mapped[bool] = mapped_column(Boolean, default=False)
    collaboration_shop_id: Mapped[int | None] = mapped_column(
        ForeignKey("shops.id", ondelete="SET NULL"), default=None
    )
    # Title, words and tags as tuan.core.search writes them; the full-text index is over it.
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
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


class NoteAudienceGroup(Base):
    """A group whose members (now) may see a note whose audience is ``groups``."""

    __tablename__ = "note_audience_groups"

    note_id: Mapped[int] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class NoteRevision(Base):
    """A note as it read before one edit: readers see "edited"; the author sees the history."""

    __tablename__ = "note_revisions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime)


class NoteSettings(Base):
    """A person's note defaults: the audience a new note starts with (private-leaning), and
    whether the nudges that support sharing may reach them."""

    __tablename__ = "note_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    default_audience: Mapped[str] = mapped_column(String(16), default="friends")
    nudges: Mapped[bool] = mapped_column(Boolean, default=True)


class NoteLike(Base):
    __tablename__ = "note_likes"
    __table_args__ = (Index("ix_note_likes_user", "user_id", "created_at"),)

    note_id: Mapped[int] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class NoteHelpful(Base):
    """ "This helped me decide": the informational-support signal."""

    __tablename__ = "note_helpful"
    __table_args__ = (Index("ix_note_helpful_user", "user_id", "created_at"),)

    note_id: Mapped[int] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Collection(Base):
    """A person's named set of saved notes; private unless its owner makes it public."""

    __tablename__ = "note_collections"
    __table_args__ = (UniqueConstraint("owner_id", "name"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(40))
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CollectionNote(Base):
    __tablename__ = "note_collection_items"

    collection_id: Mapped[int] = mapped_column(
        ForeignKey("note_collections.id", ondelete="CASCADE"), primary_key=True
    )
    note_id: Mapped[int] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class NoteComment(Base):
    """A comment, one level deep: ``parent_id`` is None or a top-level comment of the note."""

    __tablename__ = "note_comments"
    __table_args__ = (Index("ix_note_comments_note", "note_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("note_comments.id", ondelete="CASCADE"), default=None
    )
    text: Mapped[str] = mapped_column(Text)
    mentions: Mapped[list[int]] = mapped_column(JSON, default=list)  # user ids named with @
    status: Mapped[str] = mapped_column(String(16), default="live")  # live | hidden | deleted
    hidden_reason: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class NoteForward(Base):
    """A note forwarded into a chat as a card: the forward's share (its parent is the note's
    share) keeps the chain, as card forwards do."""

    __tablename__ = "note_forwards"
    __table_args__ = (Index("ix_note_forwards_note", "note_id", "created_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    share_id: Mapped[int | None] = mapped_column(ForeignKey("shares.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Follow(Base):
    """One person following another: one-way, apart from friendship."""

    __tablename__ = "note_follows"
    __table_args__ = (Index("ix_note_follows_followee", "followee_id", "created_at"),)

    follower_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    followee_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # The note the follow came from, if any: a follow "from a note" weighs 8 in Discover.
    via_note_id: Mapped[int | None] = mapped_column(
        ForeignKey("notes.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class NoteMute(Base):
    """A word or a person a reader does not want in their feeds: exactly one of the two."""

    __tablename__ = "note_mutes"
    __table_args__ = (
        UniqueConstraint("user_id", "keyword"),
        UniqueConstraint("user_id", "muted_user_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    keyword: Mapped[str | None] = mapped_column(String(40), default=None)
    muted_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class NoteReport(Base):
    """A report of a note or one of its comments, with the reporter's reason; an operator
    resolves it by hiding the note or comment, or by dismissing the report."""

    __tablename__ = "note_reports"
    __table_args__ = (
        UniqueConstraint("reporter_id", "note_id", "comment_id"),
        # The pair above does not hold a note's own report (NULL is distinct from NULL): this
        # partial index does, so two reports at once still file one.
        Index(
            "uq_note_reports_note_once",
            "reporter_id",
            "note_id",
            unique=True,
            sqlite_where=sa_text("comment_id IS NULL"),
            postgresql_where=sa_text("comment_id IS NULL"),
        ),
        Index("ix_note_reports_open", "resolved_at", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("note_comments.id", ondelete="CASCADE"), default=None
    )
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    outcome: Mapped[str | None] = mapped_column(String(16), default=None)  # hidden | dismissed


class NoteStats(Base):
    """Per-note totals and its global decayed engagement ("heat"), kept up to date as people
    act, so Discover picks candidates from an index instead of counting per request.
    ``heat`` is the engagement's decayed value at ``heat_at`` (ADR 0013)."""

    __tablename__ = "note_stats"
    __table_args__ = (
        Index("ix_note_stats_heat", "heat"),
        Index("ix_note_stats_open_heat", "open_heat"),
    )

    note_id: Mapped[int] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True
    )
    likes: Mapped[int] = mapped_column(Integer, default=0)
    saves: Mapped[int] = mapped_column(Integer, default=0)
    comments: Mapped[int] = mapped_column(Integer, default=0)
    forwards: Mapped[int] = mapped_column(Integer, default=0)
    helpful: Mapped[int] = mapped_column(Integer, default=0)
    impressions: Mapped[int] = mapped_column(Integer, default=0)
    heat: Mapped[float] = mapped_column(Float, default=0.0)
    # The part of ``heat`` anyone may be credited with: no private saves, no helpful marks
    # (what Discover scores everyone outside the reader's circle by); decayed as of heat_at.
    open_heat: Mapped[float] = mapped_column(Float, default=0.0, server_default=sa_text("0"))
    heat_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
