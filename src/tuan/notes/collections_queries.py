"""Reading collections: one's own, and another's public one, each showing only the notes its
reader may see (``seen_by``): a saved note whose audience left the reader out is not listed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.queries import public_names_view
from tuan.notes.errors import CollectionNotFound
from tuan.notes.models import Collection, CollectionNote, Note
from tuan.notes.queries import seen_by

# How many of a collection's notes one read shows, the most recently saved first.
MAX_LISTED = 100


@dataclass(frozen=True)
class CollectionSummary:
    id: int
    name: str
    public: bool
    notes: int  # the notes in it its owner may see now
    created_at: datetime


@dataclass(frozen=True)
class SavedNote:
    note_id: int
    title: str
    author_id: int
    author_username: str
    author_display_name: str
    saved_at: datetime


@dataclass(frozen=True)
class CollectionPage:
    id: int
    owner_id: int
    owner_username: str
    name: str
    public: bool
    notes: list[SavedNote]


async def my_collections(session: AsyncSession, owner_id: int) -> list[CollectionSummary]:
    """The person's collections, by name, each with how many notes they may see in it."""
    visible = (
        select(CollectionNote.collection_id, func.count().label("notes"))
        .join(Note, Note.id == CollectionNote.note_id)
        .where(seen_by(owner_id))
        .group_by(CollectionNote.collection_id)
        .subquery()
    )
    rows = await session.execute(
        select(Collection, visible.c.notes)
        .outerjoin(visible, visible.c.collection_id == Collection.id)
        .where(Collection.owner_id == owner_id)
        .order_by(Collection.name, Collection.id)
    )
    return [
        CollectionSummary(c.id, c.name, c.public, int(n or 0), c.created_at) for c, n in rows.all()
    ]


async def collection_page(
    session: AsyncSession, collection_id: int, viewer_id: int | None
) -> CollectionPage:
    """A collection for its owner, or a public one for anyone; else ``CollectionNotFound``."""
    collection = await session.get(Collection, collection_id)
    if collection is None or (collection.owner_id != viewer_id and not collection.public):
        raise CollectionNotFound(field="collection_id")
    names = public_names_view()
    owner = await session.scalar(
        select(names.c.username).where(names.c.user_id == collection.owner_id)
    )
    rows = await session.execute(
        select(
            Note.id,
            Note.title,
            Note.author_id,
            names.c.username,
            names.c.display_name,
            CollectionNote.created_at,
        )
        .join(CollectionNote, CollectionNote.note_id == Note.id)
        .join(names, names.c.user_id == Note.author_id)
        .where(CollectionNote.collection_id == collection_id, seen_by(viewer_id))
        .order_by(CollectionNote.created_at.desc(), Note.id.desc())
        .limit(MAX_LISTED)
    )
    return CollectionPage(
        id=collection.id,
        owner_id=collection.owner_id,
        owner_username=owner or "",
        name=collection.name,
        public=collection.public,
        notes=[SavedNote(*row) for row in rows.all()],
    )
