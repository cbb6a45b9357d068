"""Liking a note and marking it helpful: a pair (note, person) each, so a second one is a no-op.

Both are only for notes the person may see (``NoteNotFound`` otherwise, existence not revealed),
and the note's totals (``stats.acted``) move only when a row was really added or removed: a
repeated like, or an unlike of a note never liked, changes nothing.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, delete
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from tuan.core.uow import UnitOfWork
from tuan.notes import nudges, stats
from tuan.notes.models import NoteHelpful, NoteLike, NoteStats
from tuan.notes.queries import seen_note

_PAIRS: dict[stats.Act, type[NoteLike] | type[NoteHelpful]] = {
    "like": NoteLike,
    "helpful": NoteHelpful,
}


async def insert_once(uow: UnitOfWork, table: Table, values: dict[str, Any]) -> Any | None:
    """Insert the row unless its key or another unique column set is taken (one statement,
    race-safe on both engines): its first key column's value, or None when nothing was added."""
    key = table.c[next(iter(table.primary_key.columns)).name]
    if uow.session.get_bind().dialect.name == "postgresql":
        pg = postgres_insert(table).values(**values).on_conflict_do_nothing().returning(key)
        inserted = await uow.session.execute(pg)
    else:
        lite = sqlite_insert(table).values(**values).on_conflict_do_nothing().returning(key)
        inserted = await uow.session.execute(lite)
    return inserted.scalar()


_STATS = cast(Table, NoteStats.__table__)
_NO_STATS = {
    "likes": 0,
    "saves": 0,
    "comments": 0,
    "forwards": 0,
    "helpful": 0,
    "impressions": 0,
    "heat": 0.0,
    "heat_at": None,
}


async def counted(uow: UnitOfWork, note_id: int, act: stats.Act, *, undo: bool = False) -> None:
    """``stats.acted``, with the note's totals row made first if it is not there yet: two
    first acts on a new note at once would otherwise both add it, and one would fail."""
    await insert_once(uow, _STATS, {"note_id": note_id, **_NO_STATS})
    await stats.acted(uow, note_id, act, undo=undo)


async def _act(uow: UnitOfWork, act: stats.Act, note_id: int, user_id: int, *, on: bool) -> None:
    note = await seen_note(uow.session, note_id, user_id)
    table = cast(Table, _PAIRS[act].__table__)
    if on:
        values = {"note_id": note_id, "user_id": user_id, "created_at": uow.now}
        changed = await insert_once(uow, table, values) is not None
    else:
        removed = await uow.session.execute(
            delete(table)
            .where(table.c.note_id == note_id, table.c.user_id == user_id)
            .returning(table.c.note_id)
        )
        changed = removed.first() is not None
    if changed:
        await counted(uow, note_id, act, undo=not on)
    if changed and on and act == "helpful" and user_id != note.author_id:
        await nudges.note_engaged(uow, note_id)  # the author hears of it in their digest


async def like_note(uow: UnitOfWork, *, note_id: int, user_id: int) -> None:
    await _act(uow, "like", note_id, user_id, on=True)


async def unlike_note(uow: UnitOfWork, *, note_id: int, user_id: int) -> None:
    await _act(uow, "like", note_id, user_id, on=False)


async def mark_helpful(uow: UnitOfWork, *, note_id: int, user_id: int) -> None:
    """ "This helped me decide": the informational-support signal."""
    await _act(uow, "helpful", note_id, user_id, on=True)


async def unmark_helpful(uow: UnitOfWork, *, note_id: int, user_id: int) -> None:
    await _act(uow, "helpful", note_id, user_id, on=False)
