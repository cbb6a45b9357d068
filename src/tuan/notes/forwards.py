"""Forwarding a note into a chat as a card, and the card as each member of that chat sees it.

A forward vouches for a note in front of one's own chat (ADR 0013): a ``note_card`` message,
a :class:`NoteForward` row, and, when the note links a product on sale, the forwarder's share of
its first product into that chat, whose parent is the author's share of it. So buying from the
forwarded card credits the forwarder and the share tree keeps the chain, as card forwards do.

The card's payload holds only the note's and the forward's ids, never the note's words: the chat
keeps every member's copy of a message alike, while who may see the note is the note's audience,
decided when the card is read (:func:`note_card`). A member who may not see the note gets "a note
you cannot see"; a deleted note shows as deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.catalog.queries import product_facts
from tuan.chat.commands import (
    Sender,
    check_words,
    post_server_message,
    register_server_kinds,
    sender_in,
)
from tuan.chat.queries import member_of
from tuan.core.uow import UnitOfWork
from tuan.groups.queries import live_group_name
from tuan.norms.commands import enforce_share_norms
from tuan.notes.errors import NoteCardNotFound, NoteHiddenNotForwarded
from tuan.notes.models import Note, NoteForward, NoteProduct
from tuan.notes.queries import NoteView, note_page, seen_by, seen_note
from tuan.notes.stats import acted
from tuan.shares.commands import ShareTarget, record_share

NOTE_CARD_KIND = "note_card"
register_server_kinds(NOTE_CARD_KIND)  # only the server writes one, with the forward it shows


@dataclass(frozen=True)
class Forwarded:
    forward_id: int
    conversation_id: int
    message_seq: int
    share_id: int | None  # the forwarder's share of the note's first product, if it is on sale


async def _forward_share(uow: UnitOfWork, note_id: int, sender: Sender) -> int | None:
    """The forwarder's share of the note's first product into the chat (parent: the author's
    share), under the group's norms; None when the note links nothing on sale."""
    first = await uow.session.scalar(
        select(NoteProduct).where(NoteProduct.note_id == note_id).order_by(NoteProduct.position)
    )
    if first is None:
        return None
    product = await product_facts(uow.session, first.product_id)
    if product is None or product.status != "active":
        return None
    if await live_group_name(uow.session, sender.conversation_id) is not None:
        await enforce_share_norms(
            uow,
            group_id=sender.conversation_id,
            sharer_id=sender.user_id,
            role=sender.role,
            joined_at=sender.joined_at,
            product_id=product.id,
        )
    return await record_share(
        uow,
        sharer_id=sender.user_id,
        target=ShareTarget(product.id, product.name, product.shop_id),
        conversation_id=sender.conversation_id,
        parent_share_id=first.share_id,
    )


async def forward_note(
    uow: UnitOfWork, *, note_id: int, forwarder_id: int, conversation_id: int, words: str = ""
) -> Forwarded:
    """Post a note the forwarder may see into a chat they may post in, as a card with their
    ``words`` (chat's rule for a message's text; may be empty). A note they may not see is not
    found; a chat they are not in is chat's refusal (not found, closed, blocked)."""
    words = check_words(words)
    note = await seen_note(uow.session, note_id, forwarder_id)
    if note.status != "live":  # hidden by an operator: its author still sees it, nobody else
        raise NoteHiddenNotForwarded()
    sender = await sender_in(uow, conversation_id, forwarder_id)
    share_id = await _forward_share(uow, note.id, sender)
    forward = NoteForward(
        note_id=note.id,
        user_id=forwarder_id,
        conversation_id=conversation_id,
        share_id=share_id,
        created_at=uow.now,
    )
    uow.session.add(forward)
    await uow.session.flush()
    view = await post_server_message(
        uow,
        conversation_id=conversation_id,
        sender_id=forwarder_id,
        kind=NOTE_CARD_KIND,
        text=words,
        payload={"note_id": note.id, "forward_id": forward.id},
    )
    await acted(uow, note.id, "forward")
    return Forwarded(forward.id, conversation_id, int(view["seq"]), share_id)


CardState = Literal["shown", "unseen", "deleted"]


@dataclass(frozen=True)
class NoteCardView:
    forward_id: int
    note_id: int
    conversation_id: int
    forwarder_id: int
    state: CardState  # shown | unseen ("a note you cannot see") | deleted (a tombstone)
    note: NoteView | None  # only when shown
    share_id: int | None  # the forwarder's share to buy through, only when shown


async def note_card(
    session: AsyncSession, forward_id: int, viewer_id: int, now: datetime
) -> NoteCardView:
    """A forwarded note as a member of its chat sees it: the note when its audience includes
    them, else only that there is one they cannot see, or that it was deleted. Someone not in
    the chat is told there is no such card."""
    forward = await session.get(NoteForward, forward_id)
    if forward is None or await member_of(session, forward.conversation_id, viewer_id) is None:
        raise NoteCardNotFound()
    status = await session.scalar(select(Note.status).where(Note.id == forward.note_id))
    seen = await session.scalar(
        select(Note.id).where(Note.id == forward.note_id, seen_by(viewer_id))
    )
    state: CardState = "shown" if seen else "deleted" if status == "deleted" else "unseen"
    page = await note_page(session, forward.note_id, viewer_id, now) if seen else None
    return NoteCardView(
        forward_id=forward.id,
        note_id=forward.note_id,
        conversation_id=forward.conversation_id,
        forwarder_id=forward.user_id,
        state=state,
        note=page,
        share_id=forward.share_id if seen else None,
    )
