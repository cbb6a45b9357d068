"""Editing a note, and the history an edit leaves.

The author changes the words, tags, photos, area or audience of their note (live, or hidden by
an operator). An edit of what readers read keeps the words before it (title, text, tags) as a
revision and marks the note edited; readers see when, its author may read the history. Changing
only who may see it is not an edit of the note. Two rules stay fixed after publishing:

- the linked products: each is the author's share, and orders placed through it remember it, so
  a note cannot swap what it recommends under the purchases it led to (publish a new one);
- the sponsored label: the server sets it while the author earns through the note, no request
  adds or removes it, and an edit never clears it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.core.media import photo_alts_of
from tuan.core.uow import UnitOfWork
from tuan.notes import domain
from tuan.notes.errors import (
    NoteCollaborationFixed,
    NoteNotFound,
    NoteNotYoursToEdit,
    NoteProductsFixed,
    NoteSponsoredLabelFixed,
)
from tuan.notes.models import Note, NoteAudienceGroup, NoteProduct, NoteRevision
from tuan.notes.queries import seen_by, seen_note
from tuan.notes.search import note_search_text
from tuan.notes.service import choose_groups, sponsored_by


@dataclass(frozen=True)
class RevisionView:
    """The note as it read before one edit."""

    title: str
    text: str
    tags: list[str]
    replaced_at: datetime  # when the edit replaced it


async def _own_note(uow: UnitOfWork, note_id: int, actor_id: int) -> Note:
    """The author's note, locked for the edit; someone who may see it but is not its author is
    refused, anyone else is told it does not exist."""
    note = await uow.session.scalar(
        select(Note).where(Note.id == note_id, seen_by(actor_id)).with_for_update(of=Note)
    )
    if note is None:
        raise NoteNotFound()
    if note.author_id != actor_id:
        raise NoteNotYoursToEdit()
    return note


async def _groups_of(uow: UnitOfWork, note_id: int) -> list[int]:
    found = await uow.session.scalars(
        select(NoteAudienceGroup.group_id)
        .where(NoteAudienceGroup.note_id == note_id)
        .order_by(NoteAudienceGroup.group_id)
    )
    return list(found)


def _refuse_fixed(fixed: Collection[str]) -> None:
    if "sponsored" in fixed:
        raise NoteSponsoredLabelFixed(field="sponsored")
    if "product_ids" in fixed:
        raise NoteProductsFixed(field="product_ids")


async def edit_note(
    uow: UnitOfWork,
    *,
    note_id: int,
    actor_id: int,
    title: str | None = None,
    text: str | None = None,
    tags: Sequence[str] | None = None,
    photos: Sequence[str] | None = None,
    photo_alts: Sequence[str] | None = None,
    area: str | None = None,
    audience: str | None = None,
    group_ids: Sequence[int] | None = None,
    collaboration_shop_id: int | None = None,
    fixed: Collection[str] = (),
) -> None:
    """Change what is given (None keeps it; ``area=""`` removes the area; new ``photos``
    without ``photo_alts`` are undescribed). Every rule of publishing applies to the result.
    ``fixed`` names what the request tried to change that never changes (``sponsored``,
    ``product_ids``): refused, before anything is looked at. A paid collaboration may be
    disclosed later, never changed or taken back."""
    _refuse_fixed(fixed)
    note = await _own_note(uow, note_id, actor_id)
    groups = await _groups_of(uow, note_id)
    to = audience or note.audience
    if group_ids is None:
        group_ids = groups if to == "groups" else []
    alts = photo_alts_of(note.photo_alts, len(note.photos))
    if photo_alts is None:
        photo_alts = [] if photos is not None else alts
    checked = domain.draft(
        title=note.title if title is None else title,
        text=note.text if text is None else text,
        photos=note.photos if photos is None else photos,
        photo_alts=photo_alts,
        tags=note.tags if tags is None else tags,
        audience=to,
        area=note.area if area is None else area,
        group_ids=group_ids,
    )
    _rewrite(uow, note, checked, alts)
    if (checked.audience, sorted(checked.group_ids)) != (note.audience, groups):
        note.audience = checked.audience
        await choose_groups(uow, note_id=note.id, author_id=actor_id, group_ids=checked.group_ids)
    await _label(uow, note, collaboration_shop_id)
    await uow.session.flush()


def _rewrite(uow: UnitOfWork, note: Note, checked: domain.NoteDraft, alts: list[str]) -> None:
    """Write what readers read, keeping the words before as a revision, if any of it changed."""
    before = (note.title, note.text, list(note.tags), list(note.photos), alts, note.area)
    after = (
        checked.title,
        checked.text,
        checked.tags,
        checked.photos,
        checked.photo_alts,
        checked.area,
    )
    if after == before:
        return
    uow.session.add(
        NoteRevision(
            note_id=note.id,
            title=note.title,
            text=note.text,
            tags=list(note.tags),
            replaced_at=uow.now,
        )
    )
    note.title, note.text, note.tags = checked.title, checked.text, checked.tags
    note.photos, note.photo_alts, note.area = checked.photos, checked.photo_alts, checked.area
    note.search_text = note_search_text(checked.title, checked.text, checked.tags)
    note.edited_at = uow.now


async def _label(uow: UnitOfWork, note: Note, collaboration_shop_id: int | None) -> None:
    """The sponsored label and the disclosed collaboration: each may be set, never taken off
    (a collaboration, once disclosed, is not swapped for another shop either)."""
    disclosed = note.collaboration_shop_id
    if None not in (disclosed, collaboration_shop_id) and disclosed != collaboration_shop_id:
        raise NoteCollaborationFixed(field="collaboration_shop_id")
    collaboration = collaboration_shop_id or disclosed
    linked = await uow.session.scalars(
        select(NoteProduct.product_id).where(NoteProduct.note_id == note.id)
    )
    earning = await sponsored_by(
        uow, note.author_id, list(linked), collaboration_shop_id=collaboration
    )
    note.sponsored = note.sponsored or earning
    note.collaboration_shop_id = collaboration


async def revisions(session: AsyncSession, note_id: int, viewer_id: int) -> list[RevisionView]:
    """The note's earlier versions, newest first, for its author only."""
    note = await seen_note(session, note_id, viewer_id)
    if note.author_id != viewer_id:
        raise NoteNotYoursToEdit()
    rows = await session.scalars(
        select(NoteRevision)
        .where(NoteRevision.note_id == note_id)
        .order_by(NoteRevision.replaced_at.desc(), NoteRevision.id.desc())
    )
    return [RevisionView(r.title, r.text, list(r.tags), r.replaced_at) for r in rows]
