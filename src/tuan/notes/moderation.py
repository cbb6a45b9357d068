"""Reports of notes and comments, and what an operator does with them.

Anyone who may see a note reports it, or one of its comments they may see, with a reason; a
second report of the same thing by the same person is a no-op. Operators are whoever runs the
``tuan admin`` commands on the server (as for verifying people and approving merchants): there
is no operator role over HTTP. An operator hides a note or a comment with a reason, which
resolves its open reports, or dismisses a report. A hidden note stays visible to its author
with the reason (``queries.seen_by``); a hidden comment disappears for everyone but its author.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.core.db import insert_once
from tuan.core.uow import UnitOfWork
from tuan.notes import stats
from tuan.notes.errors import CommentNotFound, NoteNotFound, ReportNotFound, ReportReasonInvalid
from tuan.notes.models import Note, NoteComment, NoteReport
from tuan.notes.queries import seen_note
from tuan.social.queries import blocked_either_way

MAX_REASON = 200
_REFUSED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def check_reason(reason: str, *, field: str = "reason") -> str:
    words = reason.strip()
    if not words or len(words) > MAX_REASON or _REFUSED.search(reason):
        raise ReportReasonInvalid(field=field)
    return words


async def _seen_comment(
    session: AsyncSession, note_id: int, comment_id: int, viewer_id: int
) -> NoteComment:
    comment = await session.scalar(
        select(NoteComment).where(NoteComment.id == comment_id, NoteComment.note_id == note_id)
    )
    visible = comment is not None and (
        comment.status == "live" or (comment.status == "hidden" and comment.author_id == viewer_id)
    )
    if (
        comment is None
        or not visible
        or await blocked_either_way(session, viewer_id, comment.author_id)
    ):
        raise CommentNotFound(field="comment_id")
    return comment


def _about(comment_id: int | None) -> ColumnElement[bool]:
    """Reports of the note itself (no comment), or of this comment of it."""
    if comment_id is None:
        return NoteReport.comment_id.is_(None)
    return NoteReport.comment_id == comment_id


async def report(
    uow: UnitOfWork, *, reporter_id: int, note_id: int, reason: str, comment_id: int | None = None
) -> None:
    """Report a note (or, with ``comment_id``, one of its comments) the reporter may see."""
    words = check_reason(reason)
    await seen_note(uow.session, note_id, reporter_id)
    if comment_id is not None:
        await _seen_comment(uow.session, note_id, comment_id, reporter_id)
    # Once per reporter and target: the unique pair (and, for a note's own report, a partial
    # index) decides, so a second report, even at the same moment, files nothing.
    await insert_once(
        uow.session,
        NoteReport.__table__,
        {
            "reporter_id": reporter_id,
            "note_id": note_id,
            "comment_id": comment_id,
            "reason": words,
            "created_at": uow.now,
            "resolved_at": None,
            "outcome": None,
        },
    )


@dataclass(frozen=True)
class OpenReport:
    id: int
    reporter_id: int
    note_id: int
    comment_id: int | None
    reason: str
    created_at: datetime
    excerpt: str  # the note's title or the comment's words, for the operator to judge


async def open_reports(session: AsyncSession, *, limit: int = 100) -> list[OpenReport]:
    """The oldest reports not yet resolved."""
    rows = await session.execute(
        select(NoteReport, Note.title, NoteComment.text)
        .join(Note, Note.id == NoteReport.note_id)
        .outerjoin(NoteComment, NoteComment.id == NoteReport.comment_id)
        .where(NoteReport.resolved_at.is_(None))
        .order_by(NoteReport.id)
        .limit(limit)
    )
    return [
        OpenReport(
            r.id, r.reporter_id, r.note_id, r.comment_id, r.reason, r.created_at, (words or title)
        )
        for r, title, words in rows.all()
    ]


async def _resolve(uow: UnitOfWork, note_id: int, comment_id: int | None, outcome: str) -> None:
    target = _about(comment_id)
    await uow.session.execute(
        update(NoteReport)
        .where(NoteReport.note_id == note_id, target, NoteReport.resolved_at.is_(None))
        .values(resolved_at=uow.now, outcome=outcome)
    )


async def hide_note(uow: UnitOfWork, *, note_id: int, reason: str) -> None:
    """An operator hides a note: only its author sees it now, with ``reason``. Its open
    reports are resolved. Hiding a hidden note again changes the reason."""
    words = check_reason(reason)
    hidden = await uow.session.execute(
        update(Note)
        .where(Note.id == note_id, Note.status.in_(("live", "hidden")))
        .values(status="hidden", hidden_reason=words)
        .returning(Note.id)
    )
    if hidden.first() is None:
        raise NoteNotFound()
    await _resolve(uow, note_id, None, "hidden")


async def hide_comment(uow: UnitOfWork, *, comment_id: int, reason: str) -> None:
    """An operator hides a comment: only its author sees it now, with ``reason``; it leaves
    the note's comment count. Its open reports are resolved."""
    words = check_reason(reason)
    comment = await uow.session.get(NoteComment, comment_id)
    if comment is None or comment.status == "deleted":
        raise CommentNotFound()
    was_live = comment.status == "live"
    comment.status = "hidden"
    comment.hidden_reason = words
    await uow.session.flush()
    if was_live:
        await stats.acted(uow, comment.note_id, "comment", undo=True)
    await _resolve(uow, comment.note_id, comment_id, "hidden")


async def dismiss_report(uow: UnitOfWork, *, report_id: int) -> None:
    """An operator finds nothing wrong: the report is closed, the note or comment stays."""
    dismissed = await uow.session.execute(
        update(NoteReport)
        .where(NoteReport.id == report_id, NoteReport.resolved_at.is_(None))
        .values(resolved_at=uow.now, outcome="dismissed")
        .returning(NoteReport.id)
    )
    if dismissed.first() is None:
        raise ReportNotFound()
