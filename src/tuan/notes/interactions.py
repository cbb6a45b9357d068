"""Liking a note and marking it helpful: a pair (note, person) each, so a second one is a no-op.

Both are only for notes the person may see (``NoteNotFound`` otherwise, existence not revealed),
and the note's totals (``stats.acted``) move only when a row was really added or removed: a
repeated like, or an unlike of a note never liked, changes nothing.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, delete

from tuan.core.db import insert_once
from tuan.core.uow import UnitOfWork
from tuan.notes import nudges, stats
from tuan.notes.models import NoteHelpful, NoteLike
from tuan.notes.queries import seen_note

_PAIRS: dict[stats.Act, type[NoteLike] | type[NoteHelpful]] = {
    "like": NoteLike,
    "helpful": NoteHelpful,
}


async def _act(uow: UnitOfWork, act: stats.Act, note_id: int, user_id: int, *, on: bool) -> None:
    note = await seen_note(uow.session, note_id, user_id)
    table = cast(Table, _PAIRS[act].__table__)
    if on:
        values = {"note_id": note_id, "user_id": user_id, "created_at": uow.now}
        changed = await insert_once(uow.session, table, values) is not None
    else:
        removed = await uow.session.execute(
            delete(table)
            .where(table.c.note_id == note_id, table.c.user_id == user_id)
            .returning(table.c.note_id)
        )
        changed = removed.first() is not None
    if changed:
        await stats.acted(uow, note_id, act, undo=not on)
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
