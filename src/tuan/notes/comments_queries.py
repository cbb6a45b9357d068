"""A note's comments as one reader may see them: oldest first, replies under their comment.

What a reader sees of a comment: a live one in full; their own hidden one with the operator's
reason; anything else with live replies under it as a tombstone, so the replies keep their
place: ``deleted`` (its author deleted it) or ``removed`` (an operator hid it, or it is by
someone the reader blocked or who blocked them: which is not said). Without replies it is not
listed. Comments of people the reader blocked, or who blocked them, are not listed at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.queries import PublicName, public_names
from tuan.notes.models import NoteComment
from tuan.notes.queries import seen_note
from tuan.social.queries import blocked_among


@dataclass(frozen=True)
class CommentView:
    id: int
    parent_id: int | None
    status: str  # live | hidden (to its author) | deleted | removed (tombstones)
    author_id: int | None  # None on a tombstone
    author_username: str | None
    author_display_name: str | None
    text: str  # "" on a tombstone
    mentions: list[int]
    hidden_reason: str | None  # to its author only
    created_at: datetime
    replies: list[CommentView] = field(default_factory=list)


@dataclass(frozen=True)
class CommentPage:
    comments: list[CommentView]
    # Give as ``after`` for the next page; None at the end. A page may hold fewer than asked
    # (comments the reader may not see are skipped), and still have a next one.
    next_after: int | None


def _shown(comment: NoteComment, viewer_id: int | None, blocked: set[int]) -> bool:
    if comment.author_id in blocked:
        return False
    if comment.status == "live":
        return True
    return comment.status == "hidden" and comment.author_id == viewer_id


def _tombstone(comment: NoteComment) -> str:
    return "deleted" if comment.status == "deleted" else "removed"


def _view(
    c: NoteComment, name: PublicName | None, shown: bool, under: list[CommentView]
) -> CommentView:
    """The comment as listed: in full when ``shown``, else a tombstone holding its replies."""
    return CommentView(
        id=c.id,
        parent_id=c.parent_id,
        status=c.status if shown else _tombstone(c),
        author_id=c.author_id if shown else None,
        author_username=name.username if shown and name else None,
        author_display_name=name.display_name if shown and name else None,
        text=c.text if shown else "",
        mentions=list(c.mentions) if shown else [],
        hidden_reason=c.hidden_reason if shown and c.status == "hidden" else None,
        created_at=c.created_at,
        replies=under,
    )


async def comment_view(session: AsyncSession, comment_id: int, author_id: int) -> CommentView:
    """A comment just written, as its author sees it."""
    comment = await session.get(NoteComment, comment_id)
    assert comment is not None and comment.author_id == author_id
    names = await public_names(session, [author_id])
    return _view(comment, names.get(author_id), True, [])


async def note_comments(
    session: AsyncSession, note_id: int, viewer_id: int | None, *, after: int = 0, limit: int = 20
) -> CommentPage:
    """Up to ``limit`` top-level comments after id ``after``, each with every reply the reader
    may see; ``NoteNotFound`` if the reader may not see the note."""
    await seen_note(session, note_id, viewer_id)
    tops = list(
        await session.scalars(
            select(NoteComment)
            .where(
                NoteComment.note_id == note_id,
                NoteComment.parent_id.is_(None),
                NoteComment.id > after,
            )
            .order_by(NoteComment.id)
            .limit(limit + 1)
        )
    )
    more = len(tops) > limit
    tops = tops[:limit]
    replies = list(
        await session.scalars(
            select(NoteComment)
            .where(NoteComment.parent_id.in_([top.id for top in tops]))
            .order_by(NoteComment.id)
        )
    )
    authors = {c.author_id for c in (*tops, *replies)}
    blocked = set() if viewer_id is None else await blocked_among(session, viewer_id, authors)
    names = await public_names(session, authors)

    listed = []
    for top in tops:
        under = [
            _view(r, names.get(r.author_id), True, [])
            for r in replies
            if r.parent_id == top.id and _shown(r, viewer_id, blocked)
        ]
        shown = _shown(top, viewer_id, blocked)
        if shown or under:
            listed.append(_view(top, names.get(top.author_id), shown, under))
    return CommentPage(listed, tops[-1].id if more else None)
