"""Comments on notes, one level deep, with @mentions.

A comment is top-level or a reply to a top-level comment. A reply to a reply is attached to
that reply's top-level comment (the thread stays one level deep, and the person replied to is
still the one told), rather than refused: in a phone's thread "reply" is on every comment.
Only people who may see the note comment on it (404 otherwise, existence not revealed), and
only they are told of a mention; nobody is told anything by someone they blocked or who
blocked them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select, update

from tuan.accounts.queries import user_by_username
from tuan.core.uow import UnitOfWork
from tuan.notes import nudges, stats
from tuan.notes.errors import CommentEmpty, CommentInvalid, CommentNotFound, NotYourComment
from tuan.notes.models import Note, NoteComment
from tuan.notes.queries import seen_by, seen_note
from tuan.notifications.commands import notify_users
from tuan.social.queries import blocked_among, blocked_either_way

MAX_COMMENT = 1000
MAX_MENTIONS = 10
# Line breaks and tabs are kept; other control characters are not.
_REFUSED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# "@name" where a username may stand ([\w.]{3,32}, as accounts allows), not inside a word or
# an e-mail address.
_MENTION = re.compile(r"(?<![\w.@])@([\w.]{3,32})")

COMMENTED = "note_comment"  # the note's author: someone commented on your note
REPLIED = "note_reply"  # a comment's author: someone replied to you
MENTIONED = "note_mention"  # someone named you in a comment


def check_comment(text: str) -> str:
    """The comment's words, trimmed: 1 to 1000 characters."""
    if _REFUSED.search(text):
        raise CommentInvalid(field="text")
    words = text.strip()
    if not words:
        raise CommentEmpty(field="text")
    if len(words) > MAX_COMMENT:
        raise CommentInvalid(field="text")
    return words


def mentioned_usernames(text: str) -> list[str]:
    """The distinct usernames named with @, in order, at most ten ("@amy." names amy)."""
    names = (found.rstrip(".") for found in _MENTION.findall(text))
    distinct = list(dict.fromkeys(name for name in names if len(name) >= 3))
    return distinct[:MAX_MENTIONS]


def recipients(
    *, commenter: int, note_author: int, replied_to: int | None, mentioned: Iterable[int]
) -> dict[str, set[int]]:
    """Who is told what of a new comment, each person once: the person replied to that they
    got a reply, the people named that they were, the note's author that their note got a
    comment; never the commenter."""
    told: set[int] = {commenter}
    kinds: dict[str, set[int]] = {}
    for kind, people in (
        (REPLIED, [] if replied_to is None else [replied_to]),
        (MENTIONED, list(mentioned)),
        (COMMENTED, [note_author]),
    ):
        kinds[kind] = set(people) - told
        told |= kinds[kind]
    return kinds


async def _resolve(uow: UnitOfWork, usernames: list[str]) -> list[int]:
    ids = []
    for name in usernames:
        user = await user_by_username(uow.session, name)
        if user is not None and user.id not in ids:
            ids.append(user.id)
    return ids


async def _may_see(uow: UnitOfWork, note_id: int, people: set[int]) -> set[int]:
    """Those of ``people`` who may see the note now (told of nothing they may not see)."""
    seeing = set()
    for person in sorted(people):
        if await uow.session.scalar(select(Note.id).where(Note.id == note_id, seen_by(person))):
            seeing.add(person)
    return seeing


async def _parent(uow: UnitOfWork, note_id: int, parent_id: int, author_id: int) -> NoteComment:
    """The live comment of this note being replied to; not found if gone, or if its author and
    the replier blocked one another."""
    parent = await uow.session.scalar(
        select(NoteComment).where(
            NoteComment.id == parent_id,
            NoteComment.note_id == note_id,
            NoteComment.status == "live",
        )
    )
    if parent is None or await blocked_either_way(uow.session, author_id, parent.author_id):
        raise CommentNotFound(field="parent_id")
    return parent


async def add_comment(
    uow: UnitOfWork, *, note_id: int, author_id: int, text: str, parent_id: int | None = None
) -> int:
    """Comment on a note the author may see (or reply to one of its comments); its id."""
    words = check_comment(text)
    note = await seen_note(uow.session, note_id, author_id)
    parent = None if parent_id is None else await _parent(uow, note_id, parent_id, author_id)
    mentioned = await _resolve(uow, mentioned_usernames(words))
    comment = NoteComment(
        note_id=note_id,
        author_id=author_id,
        parent_id=None if parent is None else parent.parent_id or parent.id,
        text=words,
        mentions=mentioned,
        status="live",
        created_at=uow.now,
    )
    uow.session.add(comment)
    await uow.session.flush()
    await stats.acted(uow, note_id, "comment")
    await nudges.comment_posted(uow, comment, note.author_id)  # a question waits for an answer
    told = recipients(
        commenter=author_id,
        note_author=note.author_id,
        replied_to=None if parent is None else parent.author_id,
        mentioned=mentioned,
    )
    everyone = set().union(*told.values())
    allowed = await _may_see(uow, note_id, everyone)
    allowed -= await blocked_among(uow.session, author_id, allowed)
    for kind, people in told.items():
        await notify_users(
            uow,
            people & allowed,
            kind=kind,
            actor_id=author_id,
            data={"note_id": note_id, "comment_id": comment.id},
        )
    return comment.id


async def delete_comment(uow: UnitOfWork, *, note_id: int, comment_id: int, user_id: int) -> None:
    """Its author deletes a comment: its words go; with replies under it, it stays a tombstone
    ("deleted") in the thread. Anyone else is refused; who may not see it is told it is not
    there."""
    comment = await uow.session.get(NoteComment, comment_id)
    await seen_note(uow.session, note_id, user_id)
    if comment is None or comment.note_id != note_id or comment.status == "deleted":
        raise CommentNotFound(field="comment_id")
    if comment.author_id != user_id:
        if comment.status != "live" or await blocked_either_way(
            uow.session, user_id, comment.author_id
        ):
            raise CommentNotFound(field="comment_id")
        raise NotYourComment(field="comment_id")
    was_live = comment.status == "live"
    await uow.session.execute(
        update(NoteComment)
        .where(NoteComment.id == comment_id)
        .values(status="deleted", text="", mentions=[], hidden_reason=None)
    )
    if was_live:  # a hidden comment was taken out of the count when hidden
        await stats.acted(uow, comment.note_id, "comment", undo=True)
