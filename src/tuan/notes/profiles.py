"""A person's notes profile as one reader sees it.

What it shows, privacy-leaning: the person's public name; how many follow them and how many
they follow (counts only — the lists are the person's own, see ``follows``); whether the reader
follows them; their notes the reader may see (``seen_by``: signed out, notes to everyone only),
newest first and paged; and their public collections, each counted over the notes in it the
reader may see (a private collection is not shown, not even that it exists). Mutes do not apply
here: the reader came to this person on purpose. Someone who blocked the reader has no profile
for them (not found, as ``people.queries.connection`` does).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.notes.feeds import NotePage, note_page
from tuan.notes.follows import follow_counts, follows
from tuan.notes.models import Collection, CollectionNote, Note
from tuan.notes.queries import seen_by
from tuan.social.errors import PersonNotFound
from tuan.social.queries import has_blocked, people


@dataclass(frozen=True)
class PublicCollection:
    id: int
    name: str
    notes: int  # how many of its notes the reader may see


@dataclass(frozen=True)
class NotesProfile:
    user_id: int
    username: str
    display_name: str
    avatar_url: str | None
    verified: bool
    followers: int
    following: int
    followed_by_you: bool  # False signed out
    notes: NotePage
    collections: list[PublicCollection]


async def public_collections(
    session: AsyncSession, owner_id: int, viewer_id: int | None
) -> list[PublicCollection]:
    """``owner_id``'s public collections, oldest first, each with the count of its notes that
    ``viewer_id`` may see (one statement)."""
    seen = (
        select(func.count())
        .select_from(CollectionNote)
        .join(Note, Note.id == CollectionNote.note_id)
        .where(CollectionNote.collection_id == Collection.id, seen_by(viewer_id))
        .correlate(Collection)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(Collection.id, Collection.name, seen)
        .where(Collection.owner_id == owner_id, Collection.public.is_(True))
        .order_by(Collection.id)
    )
    return [PublicCollection(cid, name, int(count or 0)) for cid, name, count in rows]


async def notes_profile(
    session: AsyncSession,
    user_id: int,
    viewer_id: int | None,
    *,
    before: int | None = None,
    limit: int = 20,
) -> NotesProfile:
    found = await people(session, [user_id])  # the deleted-user tombstone is no one
    if user_id not in found:
        raise PersonNotFound()
    if viewer_id is not None and await has_blocked(session, user_id, viewer_id):
        raise PersonNotFound()
    person = found[user_id]
    counts = await follow_counts(session, user_id)
    notes = await note_page(
        session,
        select(Note).where(Note.author_id == user_id, seen_by(viewer_id)),
        before=before,
        limit=limit,
    )
    return NotesProfile(
        user_id=person.id,
        username=person.username,
        display_name=person.display_name,
        avatar_url=person.avatar_url,
        verified=person.verified,
        followers=counts.followers,
        following=counts.following,
        followed_by_you=viewer_id is not None and await follows(session, viewer_id, user_id),
        notes=notes,
        collections=await public_collections(session, user_id, viewer_id),
    )
