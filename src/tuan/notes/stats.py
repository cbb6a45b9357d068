"""Per-note totals and heat (ADR 0013), kept as people act so feeds read an index, not a count.

Heat is a note's global engagement, each act weighted by its kind and halving every 72 hours.
Stored as its value at ``heat_at``; adding an act first decays the stored value to now:

    heat(now) = heat(heat_at) · 2^(−(now − heat_at) / 72 h) + w(kind)

Comparing heats stored at different moments is fair only at one moment, so a reader that ranks
by it decays each to the same ``now`` (:func:`heat_now`); the index orders candidates well enough
because a note's heat only moves when someone acts on it, and acts are what it measures.

Open heat is the same sum over the acts anyone may be credited with (:data:`OPEN`): likes,
comments, forwards, follows from the note, and a person's first save of it into a public
collection; never a save into a private collection nor a helpful mark. Discover scores everyone
outside the reader's circle from it (:mod:`tuan.notes.discover`). Both are stored as of
``heat_at``: whenever either changes, both are decayed to now first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import select

from tuan.core.db import insert_once
from tuan.core.uow import UnitOfWork
from tuan.notes.models import NoteStats

HALF_LIFE_HOURS = 72.0
Act = Literal["like", "save", "comment", "forward", "follow", "helpful"]
# Likes and saves weigh 1, comments and forwards 4, a follow that came from the note 8. A helpful
# mark weighs as a save: it says the note was useful, which is what a save says too.
WEIGHTS: dict[Act, float] = {
    "like": 1.0,
    "save": 1.0,
    "helpful": 1.0,
    "comment": 4.0,
    "forward": 4.0,
    "follow": 8.0,
}
OPEN: frozenset[Act] = frozenset({"like", "save", "comment", "forward", "follow"})
_COUNTED = {"like": "likes", "save": "saves", "comment": "comments", "forward": "forwards"}


def decay(hours: float) -> float:
    """How much of an act's weight is left ``hours`` after it: 1, ½ after 72 h, ¼ after 144 h."""
    return float(2.0 ** (-max(hours, 0.0) / HALF_LIFE_HOURS))


def heat_now(heat: float, heat_at: datetime | None, now: datetime) -> float:
    if heat_at is None:
        return heat
    return heat * decay((now - heat_at).total_seconds() / 3600.0)


_NO_STATS = {
    "likes": 0,
    "saves": 0,
    "comments": 0,
    "forwards": 0,
    "helpful": 0,
    "impressions": 0,
    "heat": 0.0,
    "open_heat": 0.0,
    "heat_at": None,
}


async def _row(uow: UnitOfWork, note_id: int) -> NoteStats:
    """The note's totals, locked; made first if not there yet, in a way two first acts on a
    new note at once both survive (a select-then-insert would fail one on PostgreSQL)."""
    await insert_once(uow.session, NoteStats.__table__, {"note_id": note_id, **_NO_STATS})
    stats = await uow.session.scalar(
        select(NoteStats)
        .where(NoteStats.note_id == note_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert stats is not None
    return stats


def _decay_to_now(uow: UnitOfWork, stats: NoteStats) -> None:
    """Both stored heats as of now, so either can be added to."""
    stats.heat = heat_now(stats.heat or 0.0, stats.heat_at, uow.now)
    stats.open_heat = heat_now(stats.open_heat or 0.0, stats.heat_at, uow.now)
    stats.heat_at = uow.now


async def acted(
    uow: UnitOfWork, note_id: int, act: Act, *, undo: bool = False, open: bool = True
) -> None:
    """Count one act on a note (or take one back, ``undo``), in the caller's transaction.
    Taking an act back lowers its count, not the heats: heat is what happened, and it fades.
    ``open``: whether anyone may be credited with the act (a save: into a public collection,
    the saver's first such of the note); only then, and only for :data:`OPEN` kinds, does it
    add to the open heat."""
    stats = await _row(uow, note_id)
    step = -1 if undo else 1
    column = "helpful" if act == "helpful" else _COUNTED.get(act)
    if column is not None:
        setattr(stats, column, max(0, int(getattr(stats, column) or 0) + step))
    if not undo:
        _decay_to_now(uow, stats)
        stats.heat += WEIGHTS[act]
        if open and act in OPEN:
            stats.open_heat += WEIGHTS[act]
    await uow.session.flush()


async def opened(uow: UnitOfWork, note_id: int, saved_at: datetime, *, add: bool) -> None:
    """A person's save of the note became creditable to anyone (``add``: a collection made
    public, or a note saved privately before now saved publicly) or stopped being (made
    private): add or take away 1 · decay(age of that save) of open heat, never below 0."""
    stats = await _row(uow, note_id)
    _decay_to_now(uow, stats)
    change = WEIGHTS["save"] * decay((uow.now - saved_at).total_seconds() / 3600.0)
    stats.open_heat = max(0.0, stats.open_heat + (change if add else -change))
    await uow.session.flush()
