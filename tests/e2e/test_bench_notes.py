"""`tuan bench notes` at a tiny size, end to end: a community seeded in bulk (COPY on
PostgreSQL), then Discover, Following and a note write timed in-process, and the figures
written. The sizes that matter (10k, 100k, 1M notes) are measured by hand, not here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import PG_URL, REDIS_URL
from tests.e2e.test_cli import run_tuan


@pytest.mark.slow
def test_the_notes_benchmark_seeds_a_community_and_times_the_feeds_and_a_write(
    tmp_path: Path,
) -> None:
    out = tmp_path / "notes.json"
    # The PostgreSQL pass gives the server: the command makes its own database there.
    engine = ["--database-url", PG_URL] if PG_URL else []
    engine += ["--redis-url", REDIS_URL] if PG_URL and REDIS_URL else []
    result = run_tuan(
        "bench", "notes", *engine, "--notes", "2000", "--rounds", "10", "--json", str(out),
        env={}, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(out.read_text())
    assert set(figures) >= {
        "database", "notes", "people", "discover_p95_ms", "following_p95_ms", "write_p95_ms",
    }  # fmt: skip
    assert figures["database"] == ("postgresql" if PG_URL else "sqlite")
    assert figures["notes"] == 2000 and figures["people"] == 200
    rows = figures["rows"]
    acts = sum(rows[t] for t in ("note_likes", "note_collection_items", "note_comments"))
    acts += rows["note_follows"]
    # About ten acts a note (pairs made twice are written once).
    assert 8 * 2000 <= acts <= 10 * 2000 and rows["note_stats"] == 2000
    measured = figures["measured"]
    # Discover showed notes to the readers, and every write made a note.
    assert measured["discover"]["items"] > 0 and measured["write"]["rounds"] == 10
    assert 0 < figures["discover_p50_ms"] <= figures["discover_p95_ms"]
    assert figures["write_p95_ms"] > 0 and figures["following_p95_ms"] > 0

    # Runs at several sizes draw one picture of latency against size.
    smaller = tmp_path / "smaller.json"
    smaller.write_text(json.dumps({**figures, "notes": 1000}))
    picture = tmp_path / "sizes.png"
    drawn = run_tuan(
        "bench", "notes-report", str(smaller), str(out), "--plot", str(picture),
        env={}, cwd=tmp_path,
    )  # fmt: skip
    assert drawn.returncode == 0, drawn.stdout + drawn.stderr
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
