"""``tuan bench notes`` (issue 16): Discover, the Following feed and writing a note, at a size.

A fresh database (a SQLite file, or a new database on the PostgreSQL server given, dropped
after) is migrated and seeded in bulk with a synthetic community (:mod:`tuan.bench.notes_seed`).
Then, in this process, against the real functions and the real database:

- **Discover**: ``notes.discover.discover`` for a random reader (20 notes), then recording
  their impressions in a transaction — what ``GET /api/v1/notes/discover`` does;
- **Following**: ``notes.feeds.following_feed``, the first page (20 notes) of the people
  the reader follows;
- **write**: ``notes.service.publish_note`` through ``Container.run`` (one transaction).

Each is timed ``rounds`` times after a few warm-up rounds; p50 and p95 are reported in ms.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tuan.bench.data_rights import conditions, database_version, fresh_database
from tuan.bench.data_rights_seed import Advance
from tuan.bench.notes_seed import Community, seed
from tuan.bootstrap import Container, bootstrap
from tuan.notes import discover, feeds, service
from tuan.settings import load_settings

WARM_UP = 3


@dataclass(frozen=True)
class NotesBenchOptions:
    database_url: str | None = None  # a PostgreSQL server: a fresh database is made on it
    redis_url: str | None = None
    notes: int = 1_000_000
    rounds: int = 100


async def _following(container: Container, viewer_id: int) -> int:
    """The Following feed's first page (``notes.feeds.following_feed``)."""
    async with container.db.read_sessions() as session:
        page = await feeds.following_feed(session, viewer_id, limit=20)
    return len(page.notes)


async def _discover(container: Container, viewer_id: int) -> int:
    async with container.db.read_sessions() as session:
        shown = await discover.discover(session, viewer_id, container.clock.now(), 20)
    if shown:
        await container.run(discover.record_impressions, note_ids=[s.note_id for s in shown])
    return len(shown)


async def _write(container: Container, author_id: int) -> int:
    return await container.run(
        service.publish_note,
        author_id=author_id,
        title="今天的好物",
        text="每日坚果礼盒开箱：独立小包装，办公室常备。",
        tags=["坚果", "好物"],
        audience=random.choice(("everyone", "friends")),
    )


async def _timed(
    name: str,
    step: Callable[[Container, int], Awaitable[int]],
    container: Container,
    people: list[int],
    rounds: int,
    advance: Advance,
) -> tuple[list[float], int]:
    """Milliseconds of each timed round, and how many items the rounds returned in all."""
    advance(name, 0, rounds)
    for _ in range(WARM_UP):
        await step(container, random.choice(people))
    times, items = [], 0
    for _ in range(rounds):
        person = random.choice(people)
        started = time.perf_counter()
        items += await step(container, person)
        times.append((time.perf_counter() - started) * 1000.0)
        advance(name, 1, 0)
    return times, items


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    if not ordered:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "max_ms": 0.0}
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(p95, 2),
        "max_ms": round(ordered[-1], 2),
    }


async def _measure(
    database_url: str, options: NotesBenchOptions, work: Path, advance: Advance
) -> tuple[Community, dict[str, Any], float, str]:
    started = time.perf_counter()
    community = await seed(database_url, options.notes, advance)
    seed_s = time.perf_counter() - started
    settings = load_settings(
        database_url=database_url,
        redis_url=options.redis_url,
        media_dir=work / "media",
        log_level="WARNING",
    )
    container = bootstrap(settings)
    await container.start(background=False)
    try:
        measured: dict[str, Any] = {}
        for name, step in (("discover", _discover), ("following", _following), ("write", _write)):
            times, items = await _timed(
                name, step, container, community.people, options.rounds, advance
            )
            measured[name] = {**_percentiles(times), "rounds": len(times), "items": items}
            measured[name]["times_ms"] = [round(t, 2) for t in times]
        async with container.db.write_engine.connect() as conn:
            version = await database_version(conn)
    finally:
        await container.close()
    return community, measured, seed_s, version


def run(
    options: NotesBenchOptions, advance: Advance, status: Callable[[str], None]
) -> dict[str, Any]:
    """Seed, measure, and the figures: the issue's keys first, then the detail."""
    from tuan.core.migrate import upgrade

    load_before = os.getloadavg()
    random.seed(16)
    with (
        tempfile.TemporaryDirectory(prefix="tuan-bench-notes-") as scratch,
        fresh_database(options.database_url, Path(scratch)) as database_url,
    ):
        status("migrating")
        asyncio.run(upgrade(database_url))
        status(f"seeding {options.notes:,} notes, then timing {options.rounds} rounds of each")
        community, measured, seed_s, version = asyncio.run(
            _measure(database_url, options, Path(scratch), advance)
        )
    return {
        "database": "postgresql" if options.database_url else "sqlite",
        "notes": community.notes,
        "people": len(community.people),
        "discover_p95_ms": measured["discover"]["p95_ms"],
        "following_p95_ms": measured["following"]["p95_ms"],
        "write_p95_ms": measured["write"]["p95_ms"],
        "discover_p50_ms": measured["discover"]["p50_ms"],
        "following_p50_ms": measured["following"]["p50_ms"],
        "write_p50_ms": measured["write"]["p50_ms"],
        "seed_s": round(seed_s, 1),
        "rows": community.rows,
        "measured": measured,
        "conditions": conditions(version, options.redis_url, load_before),
    }


def plot(figures: dict[str, Any], out: Path) -> None:
    """Each measurement's latencies as a distribution."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axis = plt.subplots(figsize=(6, 4))
    for name, measured in figures["measured"].items():
        ordered = sorted(measured["times_ms"])
        if ordered:
            share = [(i + 1) / len(ordered) for i in range(len(ordered))]
            axis.step(ordered, share, where="post", label=f"{name} (p95 {measured['p95_ms']:g})")
    axis.set_xscale("log")
    axis.set_xlabel("ms")
    axis.set_ylabel("share of requests")
    axis.set_title(f"{figures['notes']:,} notes, {figures['conditions']['engine']}")
    axis.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(out, dpi=120)


def plot_sizes(runs: list[dict[str, Any]], out: Path) -> None:
    """p50 and p95 of each measurement against the community's size (notes), one line each."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ordered = sorted(runs, key=lambda r: int(r["notes"]))
    sizes = [int(r["notes"]) for r in ordered]
    fig, axis = plt.subplots(figsize=(6, 4))
    for name, colour in (
        ("discover", "tab:red"),
        ("following", "tab:blue"),
        ("write", "tab:green"),
    ):
        for stat, style in (("p95_ms", "-"), ("p50_ms", ":")):
            values = [float(r["measured"][name][stat]) for r in ordered]
            axis.plot(sizes, values, style, color=colour, marker="o", label=f"{name} {stat[:3]}")
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("notes in the community (people = notes / 10)")
    axis.set_ylabel("ms")
    engines = sorted({str(r["database"]) for r in ordered})
    axis.set_title(f"Notes: latency against size ({', '.join(engines)})")
    axis.legend(loc="upper left", fontsize="small", ncol=2)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
