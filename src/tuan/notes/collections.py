"""Collections: a person's named sets of saved notes, private unless made public.

Only the owner changes a collection or saves into it. Someone else's collection is "not found"
when they may not see it (a private one: its existence is not revealed) and "not yours" when
they may (a public one). A save counts once per person per note in the note's totals: when the
note lands in the first of their collections, taken back when it leaves the last. It is
creditable to anyone (the note's open heat, ADR 0013) while one of those collections is public.
"""

from __future__ import annotations

import re
import unicodedata
from typing import cast

from sqlalchemy import Table, delete, func, select
from sqlalchemy.exc import IntegrityError

from tuan.core.db import insert_once
from tuan.core.uow import UnitOfWork
from tuan.notes import nudges, stats
from tuan.notes.errors import (
    CollectionNameInvalid,
    CollectionNameTaken,
    CollectionNotFound,
    NotYourCollection,
)
from tuan.notes.models import Collection, CollectionNote
from tuan.notes.queries import seen_note

MAX_NAME = 40
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ITEMS = cast(Table, CollectionNote.__table__)
_COLLECTIONS = cast(Table, Collection.__table__)


def check_name(raw: str) -> str:
    """A collection's name: trimmed, 1 to 40 characters on one line."""
    name = unicodedata.normalize("NFC", raw.strip())
    if not name or len(name) > MAX_NAME or _CONTROLS.search(name):
        raise CollectionNameInvalid(field="name", details={"count": MAX_NAME})
    return name


async def _name_free(uow: UnitOfWork, owner_id: int, name: str, but: int | None = None) -> None:
    taken = select(Collection.id).where(Collection.owner_id == owner_id, Collection.name == name)
    if but is not None:
        taken = taken.where(Collection.id != but)
    if await uow.session.scalar(taken) is not None:
        raise CollectionNameTaken(field="name")


async def owned(uow: UnitOfWork, collection_id: int, user_id: int) -> Collection:
    """The collection if ``user_id`` owns it; else not found (private) or not yours (public)."""
    found = await uow.session.get(Collection, collection_id)
    if found is None or (found.owner_id != user_id and not found.public):
        raise CollectionNotFound(field="collection_id")
    if found.owner_id != user_id:
        raise NotYourCollection(field="collection_id")
    return found


async def create_collection(
    uow: UnitOfWork, *, owner_id: int, name: str, public: bool = False
) -> int:
    """A new collection (private unless ``public``); its id. A name the owner already uses is
    refused: the unique pair (owner, name) decides, so it holds under races too."""
    checked = check_name(name)
    values = {"owner_id": owner_id, "name": checked, "public": public, "created_at": uow.now}
    collection_id = await insert_once(uow.session, _COLLECTIONS, values)
    if collection_id is None:
        raise CollectionNameTaken(field="name")
    return int(collection_id)


async def change_collection(
    uow: UnitOfWork,
    *,
    collection_id: int,
    owner_id: int,
    name: str | None = None,
    public: bool | None = None,
) -> None:
    """Rename it, or make it public or private. A name the owner already uses is refused; two
    renames to one name at once meet the unique pair, and the second is refused too."""
    collection = await owned(uow, collection_id, owner_id)
    if name is not None:
        checked = check_name(name)
        await _name_free(uow, owner_id, checked, but=collection_id)
        collection.name = checked
    flipped = public is not None and public != collection.public
    if public is not None:
        collection.public = public
    try:
        async with uow.session.begin_nested():
            await uow.session.flush()
    except IntegrityError:
        raise CollectionNameTaken(field="name") from None
    if flipped:
        await _reopened(uow, collection_id, owner_id, add=bool(public))


async def _reopened(uow: UnitOfWork, collection_id: int, owner_id: int, *, add: bool) -> None:
    """The collection was made public (``add``) or private: each note in it that is in none of
    the owner's other public collections became creditable to anyone, or stopped being, so its
    open heat gains or loses that save. One statement, then a row a note: bounded by the
    collection's size."""
    await _lock_owner(uow, owner_id)
    elsewhere = (
        select(CollectionNote.note_id)
        .join(Collection, Collection.id == CollectionNote.collection_id)
        .where(
            Collection.owner_id == owner_id,
            Collection.public.is_(True),
            Collection.id != collection_id,
        )
    )
    rows = await uow.session.execute(
        select(CollectionNote.note_id, CollectionNote.created_at).where(
            CollectionNote.collection_id == collection_id,
            CollectionNote.note_id.not_in(elsewhere),
        )
    )
    for note_id, saved_at in rows.all():
        await stats.opened(uow, int(note_id), saved_at, add=add)


async def _saved_anywhere(
    uow: UnitOfWork, owner_id: int, note_id: int, *, public: bool = False
) -> int:
    """In how many of ``owner_id``'s collections (``public``: public ones) the note is."""
    query = (
        select(func.count())
        .select_from(CollectionNote)
        .join(Collection, Collection.id == CollectionNote.collection_id)
        .where(Collection.owner_id == owner_id, CollectionNote.note_id == note_id)
    )
    if public:
        query = query.where(Collection.public.is_(True))
    return int(await uow.session.scalar(query) or 0)


async def _lock_owner(uow: UnitOfWork, owner_id: int) -> None:
    """Hold the owner's collections while a save is counted, so two saves of one note into two
    collections at once count it once (SQLite writes one at a time anyway)."""
    await uow.session.execute(
        select(Collection.id).where(Collection.owner_id == owner_id).with_for_update()
    )


async def save_note(uow: UnitOfWork, *, collection_id: int, note_id: int, user_id: int) -> None:
    """Put a note the person may see into one of their collections; again is a no-op."""
    collection = await owned(uow, collection_id, user_id)
    note = await seen_note(uow.session, note_id, user_id)
    await _lock_owner(uow, user_id)
    values = {"collection_id": collection_id, "note_id": note_id, "created_at": uow.now}
    added = await insert_once(uow.session, _ITEMS, values) is not None
    if not added:
        return
    # Creditable to anyone (open heat) from the person's first save of it into a public one.
    opens = collection.public and await _saved_anywhere(uow, user_id, note_id, public=True) == 1
    if await _saved_anywhere(uow, user_id, note_id) == 1:
        await stats.acted(uow, note_id, "save", open=opens)
        if user_id != note.author_id:
            await nudges.note_engaged(uow, note_id)  # the author hears of it in their digest
    elif opens:  # saved privately before: counted already, creditable only now
        await stats.opened(uow, note_id, uow.now, add=True)


async def unsave_note(uow: UnitOfWork, *, collection_id: int, note_id: int, user_id: int) -> None:
    """Take a note out of one of the person's collections (even one they may no longer see);
    a note not in it is a no-op."""
    await owned(uow, collection_id, user_id)
    await _lock_owner(uow, user_id)
    removed = await uow.session.execute(
        delete(_ITEMS)
        .where(_ITEMS.c.collection_id == collection_id, _ITEMS.c.note_id == note_id)
        .returning(_ITEMS.c.note_id)
    )
    if removed.first() is not None and await _saved_anywhere(uow, user_id, note_id) == 0:
        await stats.acted(uow, note_id, "save", undo=True)


async def delete_collection(uow: UnitOfWork, *, collection_id: int, owner_id: int) -> None:
    """Delete a collection; each note that was in none of the owner's other collections is
    no longer saved by them."""
    await owned(uow, collection_id, owner_id)
    await _lock_owner(uow, owner_id)
    notes = list(
        await uow.session.scalars(
            select(CollectionNote.note_id).where(CollectionNote.collection_id == collection_id)
        )
    )
    await uow.session.execute(delete(_ITEMS).where(_ITEMS.c.collection_id == collection_id))
    await uow.session.execute(delete(Collection).where(Collection.id == collection_id))
    for note_id in notes:
        if await _saved_anywhere(uow, owner_id, note_id) == 0:
            await stats.acted(uow, note_id, "save", undo=True)
