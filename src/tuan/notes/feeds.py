"""Lists of notes as cards, and the Following feed.

Every list here is newest first and keyset-paged by note id: a page is the notes with
``id < before``, and ``next_before`` is the last id shown when more may follow. Every list's
statement carries ``queries.seen_by`` (who may see a note) and, for the feed and search, the
reader's mutes (``mutes.not_muted_by``).

The Following feed reads ``notes`` through ``ix_notes_author_feed (author_id, id)``: for each
person followed, the index gives their notes below the cursor in id order, so the database
merges per-author ranges instead of sorting, or walking, every note (see
:func:`_followed_recent_ids`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.queries import public_names
from tuan.core.media import media_url, photo_alts_of
from tuan.notes.models import Follow, Note
from tuan.notes.mutes import not_muted_by
from tuan.notes.queries import NotePhoto, seen_by

EXCERPT = 140  # characters of a note's words shown on its card
MAX_PAGE = 50


@dataclass(frozen=True)
class NoteCard:
    """A note in a list: enough to choose to open it."""

    id: int
    author_id: int
    author_username: str
    author_display_name: str
    title: str
    excerpt: str  # the start of its words
    cover: NotePhoto | None  # its first photo
    tags: list[str]
    area: str | None
    created_at: datetime
    edited: bool
    hidden_reason: str | None  # only its author sees a note an operator hid, and why


@dataclass(frozen=True)
class NotePage:
    notes: list[NoteCard]
    next_before: int | None  # pass as ``before`` for the next page; None: this was the last


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def _cover(note: Note) -> NotePhoto | None:
    if not note.photos:
        return None
    alt = photo_alts_of(note.photo_alts, len(note.photos))[0]
    return NotePhoto(note.photos[0], media_url(note.photos[0]), alt)


async def note_cards(session: AsyncSession, notes: list[Note]) -> list[NoteCard]:
    """The notes as cards, with their authors' names (one statement for all the names)."""
    names = await public_names(session, {n.author_id for n in notes})
    return [
        NoteCard(
            id=n.id,
            author_id=n.author_id,
            author_username=names[n.author_id].username if n.author_id in names else "",
            author_display_name=names[n.author_id].display_name if n.author_id in names else "?",
            title=n.title,
            excerpt=_excerpt(n.text),
            cover=_cover(n),
            tags=list(n.tags),
            area=n.area,
            created_at=n.created_at,
            edited=n.edited_at is not None,
            hidden_reason=n.hidden_reason if n.status == "hidden" else None,
        )
        for n in notes
    ]


async def note_page(
    session: AsyncSession, statement: Select[Note], *, before: int | None, limit: int
) -> NotePage:
    """One page of ``statement``'s notes, newest first, below the cursor ``before``."""
    if before is not None:
        statement = statement.where(Note.id < before)
    found = list(await session.scalars(statement.order_by(Note.id.desc()).limit(limit + 1)))
    shown = found[:limit]
    more = len(found) > limit
    return NotePage(await note_cards(session, shown), shown[-1].id if more else None)


# The Following feed reads candidates in batches of this many per page asked for, and gives up
# after so many batches (the page is then short, with a cursor to go on from).
CANDIDATES_PER_NOTE = 4
MAX_BATCHES = 8


def _followed_recent_ids(
    dialect: str, viewer_id: int, before: int | None, count: int
) -> Select[Any]:
    """The ids of the newest ``count`` notes by people ``viewer_id`` follows, below ``before``,
    newest first, whoever may see them: read from ``ix_notes_author_feed`` alone.

    On PostgreSQL, a per-person top-``count`` merge: for each person followed, a LATERAL
    subquery walks the index backwards from the cursor and stops after ``count`` ids; the outer
    query sorts at most (people followed × ``count``) ids. Left to itself the planner walks the
    primary key backwards and filters by author, which reads every note in the table for a
    reader who follows a few quiet people. SQLite has no LATERAL: there ``author_id IN (…)``
    searches the same index once per person followed."""
    below = [] if before is None else [Note.id < before]
    if dialect == "postgresql":
        recent = (
            select(Note.id)
            .where(Note.author_id == Follow.followee_id, *below)
            .order_by(Note.id.desc())
            .limit(count)
            .lateral("recent")
        )
        return (
            select(recent.c.id)
            .select_from(Follow)
            .join(recent, true())
            .where(Follow.follower_id == viewer_id)
            .order_by(recent.c.id.desc())
            .limit(count)
        )
    followed = select(Follow.followee_id).where(Follow.follower_id == viewer_id)
    return (
        select(Note.id)
        .where(Note.author_id.in_(followed), *below)
        .order_by(Note.id.desc())
        .limit(count)
    )


async def following_feed(
    session: AsyncSession, viewer_id: int, *, before: int | None = None, limit: int = 20
) -> NotePage:
    """Notes by the people ``viewer_id`` follows that they may see, less what they muted.

    Candidates come from the index in batches (newest first); ``seen_by`` and the mutes then
    filter each batch by primary key, so the audience rules run on a few dozen notes, not on
    every note of everyone followed. After ``MAX_BATCHES`` the page may be short; its
    ``next_before`` then says where to go on."""
    dialect = session.get_bind().dialect.name
    batch = CANDIDATES_PER_NOTE * (limit + 1)
    cursor, found = before, list[Note]()
    for _ in range(MAX_BATCHES):
        candidates = list(
            await session.scalars(_followed_recent_ids(dialect, viewer_id, cursor, batch))
        )
        if candidates:
            found += await session.scalars(
                select(Note)
                .where(Note.id.in_(candidates), seen_by(viewer_id), not_muted_by(viewer_id))
                .order_by(Note.id.desc())
            )
        if len(found) > limit or len(candidates) < batch:
            break
        cursor = candidates[-1]
    else:
        shown = found[:limit]
        return NotePage(await note_cards(session, shown), cursor)
    shown = found[:limit]
    return NotePage(await note_cards(session, shown), shown[-1].id if len(found) > limit else None)
