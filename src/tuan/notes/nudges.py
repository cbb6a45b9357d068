"""Nudges that support sharing (issue 16, ADR 0013): notifications a person can switch off
(``note_settings.nudges``), at most :data:`DAILY_CAP` in any 24 hours.

- ``note_prompt``: an order was delivered; write a note about what came? (the composer opens
  with the product ready).
- ``note_digest``: once a day at most, what the author's notes did since the last digest: how
  many people bought through them ("你的笔记帮 3 人做了决定"), saved them, marked them helpful.
  Anonymous counts, and a purchase counts only if its buyer lets the author see their
  purchases: a hidden purchase moves no figure anyone else sees.
- ``note_question``: a comment that asks a question (? or ？) has had no answer from the note's
  author for a day.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.catalog.queries import product_brief
from tuan.core.periodic import slot_start
from tuan.core.scheduler import DueJob, schedule_once
from tuan.core.uow import UnitOfWork
from tuan.notes.models import (
    Collection,
    CollectionNote,
    Note,
    NoteComment,
    NoteForward,
    NoteHelpful,
    NoteProduct,
    NoteSettings,
)
from tuan.notifications.commands import notify_users
from tuan.notifications.queries import count_since, last_sent
from tuan.orders.queries import order_facts, products_in_order, purchases_view
from tuan.privacy.queries import visible_owners

PROMPT, DIGEST, QUESTION = "note_prompt", "note_digest", "note_question"
NUDGE_KINDS = (PROMPT, DIGEST, QUESTION)
DAILY_CAP = 3
QUESTION_WAIT = timedelta(days=1)
DIGEST_LOOKBACK = timedelta(days=7)  # a first digest looks back this far
DIGEST_JOB, QUESTION_JOB = "notes.digest", "notes.question"
_DAY = timedelta(days=1)
_DAY_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def asks_a_question(text: str) -> bool:
    return "?" in text or "？" in text


async def may_nudge(uow: UnitOfWork, user_id: int) -> bool:
    """The person has not switched nudges off and has had fewer than the cap in a day."""
    settings = await uow.session.get(NoteSettings, user_id)
    if settings is not None and not settings.nudges:
        return False
    sent = await count_since(uow.session, user_id=user_id, kinds=NUDGE_KINDS, since=uow.now - _DAY)
    return sent < DAILY_CAP


# --- "write a note?" after delivery ----------------------------------------------------------


async def prompt_after_delivery(uow: UnitOfWork, order_id: int) -> None:
    """Ask the buyer of a delivered order to write about a product in it they have not yet
    written a note about."""
    facts = await order_facts(uow.session, order_id)
    if facts is None:
        return
    products = await products_in_order(uow.session, order_id)
    written = set(
        await uow.session.scalars(
            select(NoteProduct.product_id)
            .join(Note, Note.id == NoteProduct.note_id)
            .where(
                Note.author_id == facts.buyer_id,
                Note.status != "deleted",
                NoteProduct.product_id.in_(products),
            )
        )
    )
    unwritten = [p for p in products if p not in written]
    if not unwritten or not await may_nudge(uow, facts.buyer_id):
        return
    brief = await product_brief(uow.session, unwritten[0])
    if brief is None:
        return
    await notify_users(
        uow,
        [facts.buyer_id],
        kind=PROMPT,
        data={"order_id": order_id, "product_id": brief.id, "product": brief.name},
    )


# --- the author's daily digest ---------------------------------------------------------------


async def note_engaged(uow: UnitOfWork, note_id: int) -> None:
    """Something the author hears of in their next digest happened to a note (a save, a
    helpful mark, a purchase through it): ask for the author's digest, once a day."""
    author_id = await uow.session.scalar(select(Note.author_id).where(Note.id == note_id))
    if author_id is None:
        return
    day = slot_start(uow.now, _DAY, _DAY_EPOCH)
    await schedule_once(
        uow.session,
        kind=DIGEST_JOB,
        key=f"{author_id}:{day.date().isoformat()}",
        run_at=day + _DAY,
        now=uow.now,
        payload={"author_id": author_id},
    )


async def note_of_share(session: AsyncSession, share_id: int) -> int | None:
    """The note a share belongs to: one of its linked products', or a forward of it."""
    linked = await session.scalar(
        select(NoteProduct.note_id).where(NoteProduct.share_id == share_id)
    )
    if linked is not None:
        return int(linked)
    forwarded = await session.scalar(
        select(NoteForward.note_id).where(NoteForward.share_id == share_id)
    )
    return None if forwarded is None else int(forwarded)


async def purchase_paid(uow: UnitOfWork, order_id: int) -> None:
    """A paid order that came through a note (not bought by its author) goes in the digest."""
    facts = await order_facts(uow.session, order_id)
    if facts is None or facts.share_id is None:
        return
    note_id = await note_of_share(uow.session, facts.share_id)
    if note_id is None:
        return
    author_id = await uow.session.scalar(select(Note.author_id).where(Note.id == note_id))
    if author_id is not None and author_id != facts.buyer_id:
        await note_engaged(uow, note_id)


async def _distinct(session: AsyncSession, statement: object) -> set[int]:
    return {int(x) for x in await session.scalars(statement)}  # type: ignore[call-overload]


async def digest_figures(
    session: AsyncSession, author_id: int, since: datetime
) -> tuple[int, int, int]:
    """(people who bought through the author's notes, people who saved them, people who
    marked them helpful) since ``since``; others than the author, each counted once."""
    notes = select(Note.id).where(Note.author_id == author_id, Note.status != "deleted")
    shares = (
        select(NoteProduct.share_id)
        .where(NoteProduct.note_id.in_(notes))
        .union(
            select(NoteForward.share_id).where(
                NoteForward.note_id.in_(notes), NoteForward.share_id.is_not(None)
            )
        )
    )
    bought = purchases_view()
    buyers = await _distinct(
        session,
        select(bought.c.buyer_id)
        .where(
            bought.c.share_id.in_(shares),
            bought.c.paid_at >= since,
            bought.c.buyer_id != author_id,
        )
        .distinct(),
    )
    seen = await visible_owners(session, author_id, buyers, "purchases")
    savers = await _distinct(
        session,
        select(Collection.owner_id)
        .join(CollectionNote, CollectionNote.collection_id == Collection.id)
        .where(
            CollectionNote.note_id.in_(notes),
            CollectionNote.created_at >= since,
            Collection.owner_id != author_id,
        )
        .distinct(),
    )
    helped = await _distinct(
        session,
        select(NoteHelpful.user_id)
        .where(
            NoteHelpful.note_id.in_(notes),
            NoteHelpful.created_at >= since,
            NoteHelpful.user_id != author_id,
        )
        .distinct(),
    )
    return len(seen), len(savers), len(helped)


async def send_digest(uow: UnitOfWork, job: DueJob) -> None:
    author_id = int(job.payload["author_id"])
    since = await last_sent(uow.session, user_id=author_id, kind=DIGEST)
    decided, saves, helpful = await digest_figures(
        uow.session, author_id, since or uow.now - DIGEST_LOOKBACK
    )
    if not (decided or saves or helpful) or not await may_nudge(uow, author_id):
        return
    await notify_users(
        uow,
        [author_id],
        kind=DIGEST,
        data={"decided": decided, "saves": saves, "helpful": helpful},
    )


# --- an unanswered question ------------------------------------------------------------------


async def comment_posted(uow: UnitOfWork, comment: NoteComment, note_author_id: int) -> None:
    """Called as a comment is written: a question to someone else's note is looked at again in
    a day, and pointed out to the note's author if they have not answered it."""
    if comment.author_id == note_author_id or not asks_a_question(comment.text):
        return
    await schedule_once(
        uow.session,
        kind=QUESTION_JOB,
        key=str(comment.id),
        run_at=uow.now + QUESTION_WAIT,
        now=uow.now,
        payload={"comment_id": comment.id},
    )


async def _answered(session: AsyncSession, comment: NoteComment, author_id: int) -> bool:
    """The note's author replied in the question's thread after it was asked."""
    thread = comment.parent_id or comment.id
    found = await session.scalar(
        select(func.count())
        .select_from(NoteComment)
        .where(
            NoteComment.note_id == comment.note_id,
            NoteComment.author_id == author_id,
            NoteComment.parent_id == thread,
            NoteComment.id > comment.id,
            NoteComment.status != "deleted",
        )
    )
    return bool(found)


async def point_out_question(uow: UnitOfWork, job: DueJob) -> None:
    comment = await uow.session.get(NoteComment, int(job.payload["comment_id"]))
    if comment is None or comment.status != "live":
        return
    note = await uow.session.get(Note, comment.note_id)
    if note is None or note.status != "live":
        return
    if await _answered(uow.session, comment, note.author_id):
        return
    if not await may_nudge(uow, note.author_id):
        return
    await notify_users(
        uow,
        [note.author_id],
        kind=QUESTION,
        actor_id=comment.author_id,
        data={"note_id": note.id, "comment_id": comment.id, "title": note.title},
    )
