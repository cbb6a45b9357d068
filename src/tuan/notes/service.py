"""Publishing and deleting a note: each in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select, update

from tuan.catalog.errors import ProductArchived, ProductNotFound
from tuan.catalog.queries import product_brief, product_facts
from tuan.core.uow import UnitOfWork
from tuan.groups.queries import memberships_view
from tuan.notes import domain
from tuan.notes.errors import NoteCollaborationShopNotLinked, NoteGroupNotYours, NotYourNote
from tuan.notes.models import Note, NoteAudienceGroup, NoteProduct, NoteRevision
from tuan.notes.queries import seen_note
from tuan.notes.search import note_search_text
from tuan.notes.settings import note_settings
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


async def sponsored_by(
    uow: UnitOfWork,
    author_id: int,
    product_ids: Sequence[int],
    *,
    collaboration_shop_id: int | None,
) -> bool:
    """Whether a note linking ``product_ids`` is sponsored: its author earns when others buy one
    (domain.is_sponsored), or it discloses a paid collaboration with ``collaboration_shop_id``,
    which must be the shop of a linked product (a note cannot name a shop it does not show)."""
    linked = [await product_facts(uow.session, product_id) for product_id in product_ids]
    found = [facts for facts in linked if facts is not None]
    if collaboration_shop_id is not None:
        if collaboration_shop_id not in {facts.shop_id for facts in found}:
            raise NoteCollaborationShopNotLinked(field="collaboration_shop_id")
        return True
    earnings = [domain.Earning(f.commission_rate_bp, f.shop_owner_id) for f in found]
    return domain.is_sponsored(author_id, earnings)


async def choose_groups(
    uow: UnitOfWork, *, note_id: int, author_id: int, group_ids: Sequence[int]
) -> None:
    """The note's chosen groups become ``group_ids``: each one the author is a member of now
    (else a refusal naming it, the same for a group that does not exist)."""
    if group_ids:
        members = memberships_view("note_author_groups")
        mine = set(
            await uow.session.scalars(
                select(members.c.group_id).where(
                    members.c.user_id == author_id, members.c.group_id.in_(group_ids)
                )
            )
        )
        for index, group_id in enumerate(group_ids):
            if group_id not in mine:
                raise NoteGroupNotYours(field=f"group_ids.{index}", details={"group_id": group_id})
    await uow.session.execute(delete(NoteAudienceGroup).where(NoteAudienceGroup.note_id == note_id))
    for group_id in group_ids:
        uow.session.add(NoteAudienceGroup(note_id=note_id, group_id=group_id))


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
    audience: str | None = None,
    area: str | None = None,
    group_ids: Sequence[int] = (),
    collaboration_shop_id: int | None = None,
) -> int:
    """Write a note; each linked product gets the author's share outside any chat, so buying
    from the note is buying through that share (ADR 0013). Without an ``audience`` the note
    goes to the author's default one (their friends, until they choose). A paid collaboration
    with a linked product's shop is disclosed with ``collaboration_shop_id``. Returns its id."""
    if audience is None:
        audience = (await note_settings(uow.session, author_id)).default_audience
    checked = domain.draft(
        title=title,
        text=text,
        photos=photos,
        photo_alts=photo_alts,
        tags=tags,
        product_ids=product_ids,
        audience=audience,
        area=area,
        group_ids=group_ids,
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
        sponsored=await sponsored_by(
            uow, author_id, checked.product_ids, collaboration_shop_id=collaboration_shop_id
        ),
        collaboration_shop_id=collaboration_shop_id,
        created_at=uow.now,
    )
    uow.session.add(note)
    await uow.session.flush()
    await choose_groups(uow, note_id=note.id, author_id=author_id, group_ids=checked.group_ids)
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
    (what points at it later says "deleted"), and its shares keep the orders' attribution. Its
    earlier versions go too: they are words the author took back."""
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
            search_text="",
        )
    )
    await uow.session.execute(delete(NoteRevision).where(NoteRevision.note_id == note_id))
