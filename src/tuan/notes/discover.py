"""Discover: the notes a viewer may like, ranked by what people they trust did with them
(ADR 0013; the arithmetic is :mod:`tuan.notes.ranking`, the reasons
:mod:`tuan.notes.explanations`).

Candidates, each through :func:`seen_by` (never the viewer's own notes):
- the :data:`HOT` notes with the most open heat, read off ``ix_note_stats_open_heat``;
- notes that the viewer's friends or the people they follow liked, saved into a public
  collection, commented on, forwarded or followed the author from in the last week;
- fresh notes (under 24 h, fewer than 50 impressions) for the first-audience slots.

Only what the viewer may see is scored or named: a save into a private collection never
leaves the note's anonymous total; a purchase is named only as ``privacy.queries`` lets the
viewer see the buyer's purchases. The score is read by decomposition (:func:`ranking.decomposed`):
0.1 · the note's open heat (every act anyone may be credited with, kept by ``notes.stats``)
plus, for the acts of the people the viewer knows (friends, follows, groupmates), their trust
above the floor; the viewer's own acts and those of people blocked either way take the floor
back (τ = 0). So a request reads the acts of the viewer's people on its candidates only,
never the strangers' (a hot note's thousands of likes are its open heat, one number). Known
people's acts older than :data:`LOOKBACK` are not read: their weight is under 1/128 of a new
one, and they stay in the open heat at the floor.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    and_,
    any_,
    func,
    literal,
    select,
    text,
    union,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from tuan.accounts.queries import public_names
from tuan.core.media import media_url
from tuan.core.phrases import Phrase
from tuan.core.uow import UnitOfWork
from tuan.groups.queries import groupmates
from tuan.notes import explanations, ranking
from tuan.notes.models import (
    Collection,
    CollectionNote,
    Follow,
    Note,
    NoteComment,
    NoteForward,
    NoteLike,
    NoteStats,
)
from tuan.notes.mutes import not_muted_by
from tuan.notes.queries import seen_by
from tuan.notes.ranking import Engagement, Ranked
from tuan.notes.stats import Act, heat_now
from tuan.social.queries import blocked_among, blocked_ids, friend_ids
from tuan.trust.queries import trust_seen_by

HOT = 500
HOT_SCAN = 2 * HOT  # hottest notes read to find HOT the reader may see
SOCIAL_POOL = 500
FRESH_POOL = 100
WEEK = timedelta(days=7)
LOOKBACK = timedelta(days=21)
TRUST_CHUNK = 2000  # people per trust statement: well under either engine's bound parameters


@dataclass(frozen=True)
class Shown:
    """A note in Discover, as the viewer may see it, with why it is there."""

    note_id: int
    author_id: int
    author_username: str
    author_display_name: str
    title: str
    cover_url: str | None
    cover_alt: str
    tags: list[str]
    created_at: datetime
    score: float
    first_audience: bool
    reasons: tuple[Phrase, ...]


@dataclass(frozen=True)
class _Acts:
    """The visible acts on the candidates, by note."""

    by_note: dict[int, list[Engagement]]  # by the viewer, people they know, people they blocked
    actors: set[int]  # the people they know among them, neither the viewer nor blocked
    blocked: set[int]  # people blocked either way among them, and those the viewer blocked


def _readable(viewer_id: int | None) -> ColumnElement[bool]:
    """The notes Discover may offer the viewer: ones they may see, not their own, clear of the
    people and words they muted."""
    mine = Note.author_id != viewer_id if viewer_id is not None else Note.id.is_not(None)
    return and_(seen_by(viewer_id), mine, not_muted_by(viewer_id))


async def _hot(
    session: AsyncSession, viewer_id: int | None
) -> list[tuple[int, float, datetime | None]]:
    """(note, stored open heat, when it was stored) of the hottest notes the viewer may see.

    The hottest :data:`HOT_SCAN` are read off the open heat index first, and only those are
    checked against the audience: given the whole condition at once, the planner cannot tell
    how few notes pass it and joins every note (0.7 s at 10,000 notes, where this takes
    milliseconds).
    A reader who may see few of them gets fewer hot candidates, not a slower page."""
    top = (
        select(NoteStats.note_id, NoteStats.open_heat.label("heat"), NoteStats.heat_at)
        .order_by(NoteStats.open_heat.desc())
        .limit(HOT_SCAN)
        .subquery("hot")
    )
    rows = await session.execute(
        select(top.c.note_id, top.c.heat, top.c.heat_at)
        .join(Note, Note.id == top.c.note_id)
        .where(_readable(viewer_id))
        .order_by(top.c.heat.desc())
        .limit(HOT)
    )
    return [(int(n), float(h or 0.0), at) for n, h, at in rows]


@dataclass(frozen=True)
class _People:
    """Who the viewer is close to, read once a request as plain ids: given a list rather than a
    subquery, the planner sees how few they are and walks the per-person indexes."""

    circle: frozenset[int]  # friends and people followed: their acts bring notes in
    known: frozenset[int]  # and members of the viewer's groups: a trust weight is read for each


async def _people(session: AsyncSession, viewer_id: int) -> _People:
    followed = await session.scalars(
        select(Follow.followee_id).where(Follow.follower_id == viewer_id)
    )
    circle = frozenset(await friend_ids(session, viewer_id)) | frozenset(followed)
    known = circle | frozenset(await groupmates(session, viewer_id))
    return _People(circle - {viewer_id}, known - {viewer_id})


async def _social(
    session: AsyncSession, viewer_id: int, circle: frozenset[int], now: datetime
) -> set[int]:
    """Notes the viewer's circle engaged with, visibly, in the last week."""
    if not circle:
        return set()
    since = now - WEEK
    engaged = set(
        await session.scalars(
            union(
                select(NoteLike.note_id).where(
                    NoteLike.user_id.in_(circle), NoteLike.created_at >= since
                ),
                select(CollectionNote.note_id)
                .join(Collection, Collection.id == CollectionNote.collection_id)
                .where(
                    Collection.owner_id.in_(circle),
                    Collection.public.is_(True),
                    CollectionNote.created_at >= since,
                ),
                select(NoteComment.note_id).where(
                    NoteComment.author_id.in_(circle),
                    NoteComment.status == "live",
                    NoteComment.created_at >= since,
                ),
                select(NoteForward.note_id).where(
                    NoteForward.user_id.in_(circle), NoteForward.created_at >= since
                ),
                select(Follow.via_note_id).where(
                    Follow.follower_id.in_(circle), Follow.created_at >= since
                ),
            )
        )
    )
    engaged.discard(None)
    if not engaged:
        return set()
    rows = await session.scalars(
        select(Note.id)
        .where(_among(Note.id, engaged, session.get_bind().dialect.name), _readable(viewer_id))
        .order_by(Note.id.desc())
        .limit(SOCIAL_POOL)
    )
    return set(rows)


async def _fresh(session: AsyncSession, viewer_id: int, now: datetime) -> list[Ranked]:
    """Notes young and little seen enough for a first audience, newest first."""
    seen = func.coalesce(NoteStats.impressions, 0)
    rows = await session.execute(
        select(Note.id, Note.author_id)
        .outerjoin(NoteStats, NoteStats.note_id == Note.id)
        .where(
            Note.created_at > now - ranking.FRESH_FOR,
            seen < ranking.FRESH_IMPRESSIONS,
            _readable(viewer_id),
        )
        .order_by(Note.id.desc())
        .limit(FRESH_POOL)
    )
    return [Ranked(int(n), int(a), 0.0) for n, a in rows]


async def _acts(
    session: AsyncSession, viewer_id: int, note_ids: set[int], known: frozenset[int], now: datetime
) -> _Acts:
    """The acts on ``note_ids`` since :data:`LOOKBACK` by the viewer, the people they know and
    the people they blocked, one by one (index-backed: these people and these notes only).
    One statement a kind."""
    found: dict[int, list[Engagement]] = defaultdict(list)
    blocked = set(await blocked_ids(session, viewer_id))
    people = known | blocked | {viewer_id}
    if not note_ids:
        return _Acts({}, set(), blocked)
    # Their public collections first, as a list: then their saves are read off the items'
    # primary key (given the join, the planner scans every item of the candidates instead).
    boxes = set(
        await session.scalars(
            select(Collection.id).where(Collection.owner_id.in_(people), Collection.public)
        )
    )
    dialect = session.get_bind().dialect.name
    for kind, base, note, actor, at in _kinds(note_ids, people, boxes, now - LOOKBACK, dialect):
        for note_id, actor_id, moment in await session.execute(base.add_columns(note, actor, at)):
            found[int(note_id)].append(Engagement(int(actor_id), kind, moment))
    actors = {e.actor_id for acts in found.values() for e in acts} - {viewer_id}
    blocked |= await blocked_among(session, viewer_id, actors)
    return _Acts(dict(found), actors - blocked, blocked)


def _among(column: Any, ids: set[int], dialect: str) -> ColumnElement[bool]:
    """``column IN ids``; on PostgreSQL as one array parameter (``= ANY``): a thousand
    candidates bound one by one cost more to render and send than the statement takes."""
    if dialect == "postgresql":
        return column == any_(literal(sorted(ids), ARRAY(BigInteger)))  # type: ignore[no-any-return]
    return column.in_(ids)  # type: ignore[no-any-return]


def _kinds(
    note_ids: set[int], people: frozenset[int], boxes: set[int], since: datetime, dialect: str
) -> list[tuple[Act, Select[Any], Any, Any, Any]]:
    """Per kind of act in the open heat, by ``people`` on ``note_ids`` since ``since``: a
    statement to add columns to, and its note, actor and moment columns. ``boxes``: their
    public collections."""
    # A person's save counts once, from their first save of it into a public collection; a
    # save into a private collection counts in the note's anonymous total only.
    saves = (
        select(
            CollectionNote.note_id.label("note_id"),
            Collection.owner_id.label("owner_id"),
            func.min(CollectionNote.created_at).label("at"),
        )
        .join(Collection, Collection.id == CollectionNote.collection_id)
        .where(
            CollectionNote.collection_id.in_(boxes),
            _among(CollectionNote.note_id, note_ids, dialect),
        )
        .group_by(CollectionNote.note_id, Collection.owner_id)
        .subquery("public_saves")
    )
    authors = select(Note.author_id).where(_among(Note.id, note_ids, dialect))
    tables: list[tuple[Act, Select[Any], Any, Any, Any]] = [
        ("like", select().select_from(NoteLike), NoteLike.note_id, NoteLike.user_id,
         NoteLike.created_at),
        ("save", select().select_from(saves), saves.c.note_id, saves.c.owner_id, saves.c.at),
        ("comment", select().select_from(NoteComment).where(NoteComment.status == "live"),
         NoteComment.note_id, NoteComment.author_id, NoteComment.created_at),
        ("forward", select().select_from(NoteForward), NoteForward.note_id, NoteForward.user_id,
         NoteForward.created_at),
        # By the notes' authors too: a follow from a note is of its author, and that column
        # has an index (via_note_id has none).
        ("follow", select().select_from(Follow).where(Follow.followee_id.in_(authors)),
         Follow.via_note_id, Follow.follower_id, Follow.created_at),
    ]  # fmt: skip
    return [
        (
            kind,
            base.where(_among(note, note_ids, dialect), actor.in_(people), at >= since),
            note,
            actor,
            at,
        )
        for kind, base, note, actor, at in tables
    ]


async def _open_heats(session: AsyncSession, note_ids: set[int], now: datetime) -> dict[int, float]:
    """Each note's open heat, decayed to ``now``."""
    if not note_ids:
        return {}
    rows = await session.execute(
        select(NoteStats.note_id, NoteStats.open_heat, NoteStats.heat_at).where(
            _among(NoteStats.note_id, note_ids, session.get_bind().dialect.name)
        )
    )
    return {int(n): heat_now(float(h or 0.0), at, now) for n, h, at in rows}


async def _trust(
    session: AsyncSession, viewer_id: int, people: set[int], now: datetime
) -> dict[int, float]:
    trust: dict[int, float] = {}
    ordered = sorted(people)
    for start in range(0, len(ordered), TRUST_CHUNK):
        chunk = ordered[start : start + TRUST_CHUNK]
        trust.update(await trust_seen_by(session, viewer_id, chunk, now))
    return trust


async def _authors(session: AsyncSession, note_ids: Iterable[int]) -> dict[int, int]:
    ids = set(note_ids)
    if not ids:
        return {}
    dialect = session.get_bind().dialect.name
    rows = await session.execute(
        select(Note.id, Note.author_id).where(_among(Note.id, ids, dialect))
    )
    return {int(n): int(a) for n, a in rows}


async def _ranked(
    session: AsyncSession, viewer_id: int, now: datetime, limit: int
) -> tuple[list[Ranked], _Acts, set[int]]:
    """The viewer's candidates scored, capped per author, with first-audience notes placed;
    the acts read (for the reasons) and which notes took a first-audience slot."""
    hot = {note_id for note_id, _, _ in await _hot(session, viewer_id)}
    people = await _people(session, viewer_id)
    candidates = hot | await _social(session, viewer_id, people.circle, now)
    fresh = await _fresh(session, viewer_id, now)
    read = candidates | {r.note_id for r in fresh}
    acts = await _acts(session, viewer_id, read, people.known, now)
    trust = await _trust(session, viewer_id, acts.actors, now)
    authors = await _authors(session, read)
    heats = await _open_heats(session, read, now)
    scored = {
        n: Ranked(
            n,
            authors[n],
            ranking.decomposed(
                viewer_id, heats.get(n, 0.0), acts.by_note.get(n, ()), trust, acts.blocked, now
            ),
        )
        for n in read
        if n in authors
    }
    feed = ranking.cap_authors(ranking.by_score(scored[n] for n in candidates if n in scored))
    fresh_scored = [scored[r.note_id] for r in fresh if r.note_id in scored]
    placed = ranking.first_audience(feed, fresh_scored, viewer_id, now.date())
    fresh_ids = {r.note_id for r in fresh} - {r.note_id for r in feed[: ranking.TOP]}
    firsts = {r.note_id for r in placed[: ranking.TOP] if r.note_id in fresh_ids}
    return placed, acts, firsts


async def _shown(
    session: AsyncSession,
    ranked: Sequence[Ranked],
    reasons: dict[int, tuple[Phrase, ...]],
    firsts: set[int],
) -> list[Shown]:
    """The ranked notes as cards, in order (one statement for the notes, one for names)."""
    ids = [r.note_id for r in ranked]
    notes = {n.id: n for n in await session.scalars(select(Note).where(Note.id.in_(ids)))}
    names = await public_names(session, {n.author_id for n in notes.values()})
    cards = []
    for r in ranked:
        note, name = notes.get(r.note_id), names.get(r.author_id)
        if note is None or name is None:
            continue
        alts = list(note.photo_alts or [])
        cards.append(
            Shown(
                note_id=note.id,
                author_id=note.author_id,
                author_username=name.username,
                author_display_name=name.display_name,
                title=note.title,
                cover_url=media_url(note.photos[0]) if note.photos else None,
                cover_alt=alts[0] if note.photos and alts else "",
                tags=list(note.tags),
                created_at=note.created_at,
                score=round(r.score, 4),
                first_audience=r.note_id in firsts,
                reasons=reasons.get(r.note_id, ()),
            )
        )
    return cards


async def discover(
    session: AsyncSession, viewer_id: int | None, now: datetime, limit: int = 20
) -> list[Shown]:
    """The viewer's Discover feed, best first. Signed out: notes to everyone by open heat."""
    if session.get_bind().dialect.name == "postgresql":
        # The audience condition makes the planner's cost estimates large, so PostgreSQL
        # compiles each statement (JIT): some 30 ms a statement to save well under 1 ms.
        # SET LOCAL: this reading transaction only.
        await session.execute(text("SET LOCAL jit = off"))
    if viewer_id is None:
        hot = await _hot(session, None)
        by_heat = sorted(hot, key=lambda h: (-heat_now(h[1], h[2], now), -h[0]))[:limit]
        authors = await _authors(session, [n for n, _, _ in by_heat])
        ranked = [
            Ranked(n, authors[n], heat_now(h, at, now)) for n, h, at in by_heat if n in authors
        ]
        return await _shown(session, ranked, {}, set())
    placed, acts, firsts = await _ranked(session, viewer_id, now, limit)
    page = placed[:limit]
    # Named only from the acts of people the viewer knows, neither blocked nor the viewer.
    named = {
        n: [e for e in found if e.actor_id in acts.actors] for n, found in acts.by_note.items()
    }
    reasons = await explanations.reasons(
        session, viewer_id, {r.note_id for r in page}, named, firsts
    )
    return await _shown(session, page, reasons, firsts & {r.note_id for r in page})


async def record_impressions(uow: UnitOfWork, *, note_ids: Sequence[int]) -> None:
    """Count one impression of each note shown: one update, and one insert for notes nobody
    has acted on yet (a race with a first like loses at most that one impression)."""
    ids = sorted(set(note_ids))
    if not ids:
        return
    session = uow.session
    have = set(await session.scalars(select(NoteStats.note_id).where(NoteStats.note_id.in_(ids))))
    await session.execute(
        update(NoteStats)
        .where(NoteStats.note_id.in_(have))
        .values(impressions=NoteStats.impressions + 1)
    )
    missing = [n for n in ids if n not in have]
    if missing:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        await session.execute(
            # The columns' defaults (zero totals, no heat) fill the rest of each row.
            insert(NoteStats)
            .values([{"note_id": n, "impressions": 1} for n in missing])
            .on_conflict_do_nothing()
        )
