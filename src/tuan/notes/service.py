"""Publishing and deleting a note: each in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import update

from tuan.catalog.errors import ProductArchived, ProductNotFound
from tuan.catalog.queries import product_brief
from tuan.core.uow import UnitOfWork
from tuan.notes import domain
from tuan.notes.errors import NotYourNote
from tuan.notes.models import Note, NoteProduct
from tuan.notes.queries import seen_note
from tuan.notes.search import note_search_text
from tuan.shares.commands import ShareTarget, record_share


async def _targets(uow: UnitOfWork, product_ids: Sequence[int]) -> list[ShareTarget]:
    """Each linked product, checked to be on sale; refusals name the product's place."""
    targets = []
    for index, product_id in enumerate(product_ids):
        product = await product_brief(uow.session, product_id)
        if product is None:
            raise ProductNotFound(field=f"product_ids.{index}")
        if product.status != "active":
            raise ProductArchived(field=f"product_ids.{index}")
        targets.append(ShareTarget(product.id, product.name, product.shop_id))
    return targets


async def publish_note(
    uow: UnitOfWork,
    *,
    author_id: int,
    title: str,
    text: str = "",
    photos: Sequence[str] = (),
    photo_alts: Sequence[str] = (),
    tags: Sequence[str] = (),
    product_ids: Sequence[int] = (),
    audience: str = "friends",
    area: str | None = None,
) -> int:
    """Write a note; each linked product gets the author's share outside any chat, so buying
    from the note is buying through that share (ADR 0013). Returns the note's id."""
    checked = domain.draft(
        title=title,
        text=text,
        photos=photos,
        photo_alts=photo_alts,
        tags=tags,
        product_ids=product_ids,
        audience=audience,
        area=area,
    )
    targets = await _targets(uow, checked.product_ids)
    note = Note(
        author_id=author_id,
        title=checked.title,
        text=checked.text,
        photos=checked.photos,
        photo_alts=checked.photo_alts,
        tags=checked.tags,
        area=checked.area,
        audience=checked.audience,
        status="live",
        search_text=note_search_text(checked.title, checked.text, checked.tags),
        created_at=uow.now,
    )
    uow.session.add(note)
    await uow.session.flush()
    for position, target in enumerate(targets):
        share_id = await record_share(
            uow, sharer_id=author_id, target=target, conversation_id=None, parent_share_id=None
        )
        uow.session.add(
            NoteProduct(
                note_id=note.id, position=position, product_id=target.product_id, share_id=share_id
            )
        )
    return note.id


async def delete_note(uow: UnitOfWork, *, note_id: int, actor_id: int) -> None:
    """The author deletes their note: its words and photos go; the row stays as a tombstone
    (what points at it later says "deleted"), and its shares keep the orders' attribution."""
    note = await seen_note(uow.session, note_id, actor_id)
    if note.author_id != actor_id:
        raise NotYourNote()
    await uow.session.execute(
        update(Note)
        .where(Note.id == note_id, Note.status.in_(("live", "hidden")))
        .values(
            status="deleted",
            deleted_at=uow.now,
            title="",
            text="",
            photos=[],
            photo_alts=[],
            tags=[],
            area=None,
        )
    )
