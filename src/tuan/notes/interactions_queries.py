"""What a note's reader sees of what people did with it: anonymous totals, and their own acts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.notes.models import Collection, CollectionNote, NoteHelpful, NoteLike, NoteStats


@dataclass(frozen=True)
class NoteCounts:
    likes: int
    saves: int  # people, not collections: a note in two of one person's collections is one save
    comments: int
    helpful: int
    liked: bool  # the reader's own acts (False signed out)
    saved: bool
    marked_helpful: bool


async def note_counts(session: AsyncSession, note_id: int, viewer_id: int | None) -> NoteCounts:
    """The note's totals (kept by ``stats.acted``) and the reader's own like, save and mark.
    The caller has checked the reader may see the note."""
    totals = (
        await session.execute(
            select(NoteStats.likes, NoteStats.saves, NoteStats.comments, NoteStats.helpful).where(
                NoteStats.note_id == note_id
            )
        )
    ).first()
    viewer = -1 if viewer_id is None else viewer_id  # no person has id -1: nothing of theirs
    liked = exists().where(NoteLike.note_id == note_id, NoteLike.user_id == viewer)
    marked = exists().where(NoteHelpful.note_id == note_id, NoteHelpful.user_id == viewer)
    saved = exists().where(
        CollectionNote.note_id == note_id,
        CollectionNote.collection_id == Collection.id,
        Collection.owner_id == viewer,
    )
    flags = (await session.execute(select(liked, saved, marked))).one()
    likes, saves, comments, helpful = totals if totals is not None else (0, 0, 0, 0)
    return NoteCounts(
        likes=int(likes or 0),
        saves=int(saves or 0),
        comments=int(comments or 0),
        helpful=int(helpful or 0),
        liked=bool(flags[0]),
        saved=bool(flags[1]),
        marked_helpful=bool(flags[2]),
    )
