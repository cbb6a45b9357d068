"""Discover ranking (ADR 0013), without a session: a viewer's score of a note, the per-author
cap on the top of the feed, and the first-audience slots.

    score(v, n) = Σ_{e ∈ E(n), visible to v}  w(kind e) · τ(v, actor e) · 2^(−age(e) / 72 h)

w and the halving are :mod:`tuan.notes.stats` (the same weights heat uses); τ is the trust
domain's weight of the actor for the viewer, floored at :data:`TRUST_FLOOR`, so a stranger's
like still counts a little and a friend's counts more. What is "visible to v" is decided by
the reader (:mod:`tuan.notes.discover`): a save into a private collection never reaches here.

Discover computes it by decomposition (:func:`decomposed`): every act anyone may be credited
with is in the note's open heat O(n) (:mod:`tuan.notes.stats`), so

    score(v, n) = 0.1 · O(n) + Σ_{e by people v knows} (τ(v, actor e) − 0.1) · w · 2^(−age/72 h)

where "known" takes in the viewer (τ = 0: their own acts) and people blocked either way
(τ = 0): strangers' acts are the 0.1 · O(n) part, never summed one by one.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tuan.notes.stats import WEIGHTS, Act, decay

TRUST_FLOOR = 0.1  # τ for people the viewer has no path to
TOP = 10  # the head of the feed the per-author cap holds for
PER_AUTHOR_IN_TOP = 2
# The first-audience slots, 0-based positions in the feed: the 4th and the 9th note shown.
FIRST_AUDIENCE_SLOTS = (3, 8)
FRESH_FOR = timedelta(hours=24)  # a note this young, ...
FRESH_IMPRESSIONS = 50  # ... shown fewer times than this, may take a first-audience slot


@dataclass(frozen=True)
class Engagement:
    """One act on a note the viewer may see: a like, a save into a public collection, a comment,
    a forward, or a follow of the author that came from the note."""

    actor_id: int
    kind: Act
    at: datetime


def trust_weight(trust: Mapping[int, float], actor_id: int) -> float:
    """τ(v, actor): the viewer's trust in the actor, never below the floor."""
    return max(trust.get(actor_id, 0.0), TRUST_FLOOR)


def score(
    viewer_id: int, engagements: Iterable[Engagement], trust: Mapping[int, float], now: datetime
) -> float:
    """The viewer's score of one note from the acts on it the viewer may see. The viewer's own
    acts are left out: what I liked already is no reason to show it to me again."""
    total = 0.0
    for e in engagements:
        if e.actor_id == viewer_id:
            continue
        hours = (now - e.at).total_seconds() / 3600.0
        total += WEIGHTS[e.kind] * trust_weight(trust, e.actor_id) * decay(hours)
    return total


def decomposed(
    viewer_id: int,
    open_heat: float,
    known_acts: Iterable[Engagement],
    trust: Mapping[int, float],
    zero: Collection[int],
    now: datetime,
) -> float:
    """:func:`score`, from the note's open heat now and the acts on it by people the viewer
    knows: each moves its share of the floor (already in 0.1 · open heat) to its own trust.
    The viewer's own acts and those of the people in ``zero`` (blocked either way) weigh 0."""
    total = TRUST_FLOOR * open_heat
    for e in known_acts:
        tau = (
            0.0
            if e.actor_id == viewer_id or e.actor_id in zero
            else trust_weight(trust, e.actor_id)
        )
        hours = (now - e.at).total_seconds() / 3600.0
        total += (tau - TRUST_FLOOR) * WEIGHTS[e.kind] * decay(hours)
    return max(total, 0.0)  # rounding, and open heat that faded before a known act was read


@dataclass(frozen=True)
class Ranked:
    note_id: int
    author_id: int
    score: float


def by_score(notes: Iterable[Ranked]) -> list[Ranked]:
    """Best first; equal scores by the newer note (the higher id), so the order is total."""
    return sorted(notes, key=lambda r: (-r.score, -r.note_id))


def cap_authors(
    ranked: Sequence[Ranked], top: int = TOP, per_author: int = PER_AUTHOR_IN_TOP
) -> list[Ranked]:
    """Greedy: walk the notes best first and keep at most ``per_author`` notes of one author in
    the first ``top``; a note passed over keeps its order after them."""
    head: list[Ranked] = []
    passed: list[Ranked] = []
    seen: Counter[int] = Counter()
    for index, note in enumerate(ranked):
        if len(head) == top:
            return head + passed + list(ranked[index:])
        if seen[note.author_id] < per_author:
            seen[note.author_id] += 1
            head.append(note)
        else:
            passed.append(note)
    return head + passed


def is_fresh(created_at: datetime, impressions: int, now: datetime) -> bool:
    return now - created_at < FRESH_FOR and impressions < FRESH_IMPRESSIONS


def _draw(viewer_id: int, day: date, note_id: int) -> bytes:
    # A hash, not random(): the same viewer sees the same first-audience notes all day, and
    # different viewers see different ones, so each fresh note reaches somebody.
    return hashlib.sha256(f"{viewer_id}:{day.isoformat()}:{note_id}".encode()).digest()


def first_audience(
    feed: Sequence[Ranked], fresh: Sequence[Ranked], viewer_id: int, day: date
) -> list[Ranked]:
    """Put fresh notes at :data:`FIRST_AUDIENCE_SLOTS` (0-based), chosen from (viewer, day).
    A fresh note already in the top is not chosen again, and a choice that would give its
    author a third note in the top is passed over, so the per-author cap still holds."""
    result = list(feed)
    chosen = sorted(fresh, key=lambda r: _draw(viewer_id, day, r.note_id))
    for slot in FIRST_AUDIENCE_SLOTS:
        head_ids = {r.note_id for r in result[:TOP]}
        authors = Counter(r.author_id for r in result[:TOP])
        for pick in chosen:
            if pick.note_id in head_ids:
                continue
            if authors[pick.author_id] >= PER_AUTHOR_IN_TOP:
                continue
            result = [r for r in result if r.note_id != pick.note_id]
            result.insert(min(slot, len(result)), pick)
            chosen.remove(pick)
            break
    return result
