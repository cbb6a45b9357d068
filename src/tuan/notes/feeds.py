"""Lists of notes as cards, and the Following feed.

Every list here is newest first and keyset-paged by note id: a page is the notes with
``id < before``, and ``next_before`` is the last id shown when more may follow. Every list's
statement carries ``queries.seen_by`` (who may see a note) and, for the feed and search, the
reader's mutes (``mutes.not_muted_by``).

The Following feed reads ``notes`` through ``ix_notes_author_feed (author_id, id)``: for each
person followed, the index gives their notes below the cursor in id order, so the database
merges per-author ranges instead of sorting every note. Whom the reader follows is read first
(one small statement) and passed as a list, which lets the planner pick that index for each
author on both engines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.queries import public_names
from tuan.core.media import media_url, photo_alts_of
from tuan.notes.follows import followee_ids
from tuan.notes.models import Note
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


async def following_feed(
    session: AsyncSession, viewer_id: int, *, before: int | None = None, limit: int = 20
) -> NotePage:
    """Notes by the people ``viewer_id`` follows that they may see, less what they muted."""
    authors = await followee_ids(session, viewer_id)
    if not authors:
        return NotePage([], None)
    statement = select(Note).where(
        Note.author_id.in_(authors), seen_by(viewer_id), not_muted_by(viewer_id)
    )
    return await note_page(session, statement, before=before, limit=limit)
