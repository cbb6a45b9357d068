"""The synthetic community of ``tuan bench notes`` (issue 16), written in bulk.

``notes`` notes by ``notes / 10`` people, and about ten acts a note: likes (6), saves (2, into a
private or a public collection of the saver's), comments (1.5) and follows of the author from a
note (0.5). Skewed as such communities are: authors by a Zipf-like law (a few write much), notes
by a softer one (a few are seen by many), and acts come soon after a note (a day on average).
Notes span 60 days, so some are fresh; most are to everyone, some to friends or to the author.
Each person has a few friends, with the trust edge a friendship leaves. ``note_stats`` holds
each note's totals, heat and open heat as ``notes.stats`` would have kept them.

PostgreSQL takes the rows by ``COPY`` (asyncpg's ``copy_records_to_table``); SQLite by
``executemany``. Ids are given here; PostgreSQL's sequences are moved past them afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import numpy as np
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from tuan.bench.data_rights_seed import BATCH, Advance, Ids, reset_sequences, user_row
from tuan.models import Base
from tuan.notes.stats import HALF_LIFE_HOURS, WEIGHTS, Act
from tuan.trust.domain import Interaction, scaled

SPAN_DAYS = 60
FRIENDS_EACH = 6  # friendships per person, on average
ACT_MEAN_HOURS = 24.0
SHARES: dict[Act, float] = {
    "like": 6.0,
    "save": 2.0,
    "comment": 1.5,
    "follow": 0.5,
}  # acts per note


@dataclass(frozen=True)
class Community:
    """What the measurement needs from the seed."""

    people: list[int]
    notes: int
    rows: dict[str, int]
    now: datetime


class Bulk:
    """Rows into a table: COPY on PostgreSQL, executemany on SQLite; counted for the progress
    bar and the report."""

    def __init__(self, conn: AsyncConnection, advance: Advance) -> None:
        self.conn = conn
        self.advance = advance
        self.rows: dict[str, int] = {}

    async def put(self, name: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        table = Base.metadata.tables[name]
        self.advance(name, 0, len(rows))
        postgres = self.conn.dialect.name == "postgresql"
        as_json = [isinstance(table.c[c].type, sa.JSON) for c in columns]
        step = BATCH * 25 if postgres else BATCH
        for start in range(0, len(rows), step):
            chunk = rows[start : start + step]
            if postgres:
                raw = await self.conn.get_raw_connection()
                records = [
                    tuple(json.dumps(v) if j else v for v, j in zip(r, as_json, strict=True))
                    for r in chunk
                ]
                await raw.driver_connection.copy_records_to_table(  # type: ignore[union-attr]
                    name, records=records, columns=list(columns)
                )
            else:
                await self.conn.execute(
                    sa.insert(table), [dict(zip(columns, r, strict=True)) for r in chunk]
                )
            self.advance(name, len(chunk), 0)
        self.rows[name] = self.rows.get(name, 0) + len(rows)


def _zipf(count: int, exponent: float, rng: np.random.Generator) -> np.ndarray:
    """Probabilities over ``count`` items, the r-th most popular ∝ r^−exponent, in random order."""
    weights = np.arange(1, count + 1, dtype=np.float64) ** -exponent
    rng.shuffle(weights)
    shares: np.ndarray = weights / weights.sum()
    return shares


def _times(base: np.ndarray, now: datetime, rng: np.random.Generator) -> list[datetime]:
    """An act's moment: soon after ``base`` (hours before now), never after now."""
    hours = np.maximum(base - rng.exponential(ACT_MEAN_HOURS, len(base)), 0.0)
    return [now - timedelta(hours=float(h)) for h in hours]


def _pairs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Indexes of the first occurrence of each distinct (a, b) pair."""
    key = a.astype(np.int64) * (1 << 32) + b.astype(np.int64)
    _, first = np.unique(key, return_index=True)
    return np.sort(first)


# Acts by kind, (note index, moment) of each; "open_save" are the saves into public collections.
Done = dict[str, tuple[np.ndarray, list[datetime]]]


@dataclass
class _Notes:
    ids: np.ndarray  # note ids
    authors: np.ndarray  # author of each
    age_hours: np.ndarray  # how old each is
    popularity: np.ndarray  # the chance an act is on each


async def _people_and_notes(
    b: Bulk, ids: Ids, notes: int, rng: np.random.Generator, now: datetime
) -> tuple[list[int], _Notes]:
    people = ids.take("users", max(notes // 10, 10))
    joined = now - timedelta(days=SPAN_DAYS + 30)
    await b.put(
        "users",
        list(user_row(0, "x", now)),
        [tuple(user_row(u, f"reader_{n:07d}", joined).values()) for n, u in enumerate(people)],
    )
    note_ids = np.array(ids.take("notes", notes), dtype=np.int64)
    authors = np.array(people)[rng.choice(len(people), notes, p=_zipf(len(people), 1.0, rng))]
    age = np.sort(rng.uniform(0.0, SPAN_DAYS * 24.0, notes))[::-1]  # ids grow with time
    audience = rng.choice(["everyone", "friends", "me"], notes, p=[0.8, 0.15, 0.05])
    columns = ("id", "author_id", "title", "text", "photos", "photo_alts", "tags", "audience",
               "status", "sponsored", "search_text", "created_at")  # fmt: skip
    rows: list[tuple[Any, ...]] = [
        (int(i), int(a), f"好物笔记 {i}", "每日坚果礼盒开箱，口感不错。", [], [], ["好物"],
         str(aud), "live", False, f"好物笔记 {i} 每日坚果礼盒开箱 好物",
         now - timedelta(hours=float(h)))
        for i, a, h, aud in zip(note_ids, authors, age, audience, strict=True)
    ]  # fmt: skip
    await b.put("notes", columns, rows)
    # Newer notes draw more of the acts, as a feed shows them more.
    popularity = _zipf(notes, 0.6, rng) * np.exp(-age / (24.0 * 14))
    return people, _Notes(note_ids, authors, age, popularity / popularity.sum())


async def _friends(b: Bulk, people: list[int], rng: np.random.Generator, now: datetime) -> None:
    count = len(people) * FRIENDS_EACH // 2
    a = np.array(people)[rng.integers(0, len(people), count)]
    c = np.array(people)[rng.integers(0, len(people), count)]
    low, high = np.minimum(a, c), np.maximum(a, c)
    keep = [i for i in _pairs(low, high) if low[i] != high[i]]
    at = now - timedelta(days=SPAN_DAYS)
    await b.put(
        "friendships",
        ("user_low", "user_high", "created_at"),
        [(int(low[i]), int(high[i]), at) for i in keep],
    )
    weight = scaled(Interaction.FRIENDSHIP.value, at)
    edges = [(int(low[i]), int(high[i])) for i in keep] + [
        (int(high[i]), int(low[i])) for i in keep
    ]
    await b.put(
        "trust_edges",
        ("source_id", "target_id", "scaled_weight", "interactions", "last_at"),
        [(s, t, weight, 1, at) for s, t in edges],
    )


def _acts(
    kind: Act, n: _Notes, people: list[int], rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(note index, actor) of the acts of ``kind``, a pair at most once, nobody on their own."""
    count = int(len(n.ids) * SHARES[kind])
    on = rng.choice(len(n.ids), count, p=n.popularity)
    by = np.array(people)[rng.integers(0, len(people), count)]
    # A like or a save is one per person and note; a follow one per person and author.
    keep = _pairs(n.authors[on] if kind == "follow" else on, by)
    on, by = on[keep], by[keep]
    mine = by != n.authors[on]
    return on[mine], by[mine]


async def _engagement(
    b: Bulk, n: _Notes, people: list[int], ids: Ids, rng: np.random.Generator, now: datetime
) -> Done:
    """Likes, saves, comments and follows; returns (note index, moment) of each, by kind."""
    done: Done = {}
    on, by = _acts("like", n, people, rng)
    at = _times(n.age_hours[on], now, rng)
    await b.put(
        "note_likes",
        ("note_id", "user_id", "created_at"),
        list(zip(n.ids[on].tolist(), by.tolist(), at, strict=True)),
    )
    done["like"] = (on, at)
    # Two collections each: a private one (index 2k) and a public one (2k + 1); 3 saves in 10
    # go into the public one.
    first = ids.take("note_collections", 2 * len(people))[0]
    await b.put(
        "note_collections",
        ("id", "owner_id", "name", "public", "created_at"),
        [
            (first + 2 * k + pub, u, "公开收藏" if pub else "我的收藏", bool(pub), now)
            for k, u in enumerate(people)
            for pub in (0, 1)
        ],
    )
    on, by = _acts("save", n, people, rng)
    at = _times(n.age_hours[on], now, rng)
    index = {u: k for k, u in enumerate(people)}
    public = rng.random(len(on)) < 0.3
    await b.put(
        "note_collection_items",
        ("collection_id", "note_id", "created_at"),
        [
            (first + 2 * index[u] + int(p), int(i), t)
            for u, i, p, t in zip(by.tolist(), n.ids[on], public, at, strict=True)
        ],
    )
    done["save"] = (on, at)
    # A saver's one public collection holds their only save of the note: creditable to anyone.
    done["open_save"] = (on[public], [t for t, p in zip(at, public, strict=True) if p])
    on, by = _acts("comment", n, people, rng)
    at = _times(n.age_hours[on], now, rng)
    await b.put(
        "note_comments",
        ("id", "note_id", "author_id", "text", "mentions", "status", "created_at"),
        [
            (c, int(i), u, "好用吗？", [], "live", t)
            for c, i, u, t in zip(
                ids.take("note_comments", len(on)), n.ids[on], by.tolist(), at, strict=True
            )
        ],
    )
    done["comment"] = (on, at)
    on, by = _acts("follow", n, people, rng)
    at = _times(n.age_hours[on], now, rng)
    await b.put(
        "note_follows",
        ("follower_id", "followee_id", "via_note_id", "created_at"),
        list(zip(by.tolist(), n.authors[on].tolist(), n.ids[on].tolist(), at, strict=True)),
    )
    done["follow"] = (on, at)
    return done


async def _stats(
    b: Bulk, n: _Notes, done: Done, now: datetime,
    rng: np.random.Generator,
) -> None:  # fmt: skip
    """Each note's totals and heat at ``now``, as ``notes.stats.acted`` keeps them."""
    size = len(n.ids)
    counts = {kind: np.bincount(on, minlength=size) for kind, (on, _) in done.items()}
    heat, open_heat = np.zeros(size), np.zeros(size)
    for kind, (on, at) in done.items():
        hours = np.array([(now - t).total_seconds() / 3600.0 for t in at])
        weight = np.power(2.0, -hours / HALF_LIFE_HOURS)
        if kind == "open_save":  # counted in heat as a save already
            np.add.at(open_heat, on, WEIGHTS["save"] * weight)
            continue
        np.add.at(heat, on, WEIGHTS[cast(Act, kind)] * weight)
        if kind != "save":  # a private save is in heat only
            np.add.at(open_heat, on, WEIGHTS[cast(Act, kind)] * weight)
    shown = counts["like"] * 15 + rng.integers(0, 40, size)
    columns = ("note_id", "likes", "saves", "comments", "forwards", "helpful", "impressions",
               "heat", "open_heat", "heat_at")  # fmt: skip
    rows = [
        (int(n.ids[k]), int(counts["like"][k]), int(counts["save"][k]), int(counts["comment"][k]),
         0, 0, int(shown[k]), float(heat[k]), float(open_heat[k]), now)
        for k in range(size)
    ]  # fmt: skip
    await b.put("note_stats", columns, rows)


async def seed(database_url: str, notes: int, advance: Advance, *, seed: int = 16) -> Community:
    """Write the community (see the module docstring) into a migrated, empty database."""
    rng = np.random.default_rng(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    ids = Ids(next={"users": 1})
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            b = Bulk(conn, advance)
            people, n = await _people_and_notes(b, ids, notes, rng, now)
            await _friends(b, people, rng, now)
            done = await _engagement(b, n, people, ids, rng, now)
            await _stats(b, n, done, now, rng)
            if conn.dialect.name == "postgresql":
                await reset_sequences(conn, ids)
        async with engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                await conn.execute(sa.text("ANALYZE"))
    finally:
        await engine.dispose()
    return Community(people, notes, b.rows, now)
