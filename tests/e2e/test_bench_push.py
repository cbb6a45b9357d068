"""`tuan bench push` at a tiny size, end to end: a group seeded in bulk with a device per member,
a real server without push and then with it, the local push service decrypting what arrives, and
the figures written. The full-size run is in BENCHMARKS.md, not here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import PG_URL, REDIS_URL
from tests.e2e.test_cli import run_tuan


@pytest.mark.slow
def test_the_push_benchmark_delivers_every_immediate_push_once_and_writes_its_figures(
    tmp_path: Path,
) -> None:
    out = tmp_path / "push.json"
    # The PostgreSQL pass gives the server: the command makes its own databases there.
    engine = ["--database-url", PG_URL] if PG_URL else []
    engine += ["--redis-url", REDIS_URL] if PG_URL and REDIS_URL else []
    result = run_tuan(
        "bench", "push", *engine,
        "--members", "20", "--awake", "5", "--listeners", "5", "--seconds", "3",
        "--bundle-seconds", "2", "--json", str(out),
        env={}, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(out.read_text())
    assert set(figures) >= {
        "database", "members", "pushes", "push_p50_ms", "push_p99_ms", "pushes_per_s",
        "max_pushes_per_member_window", "chat_ratio_with_push", "lost", "duplicated",
    }  # fmt: skip
    assert figures["database"] == ("postgresql" if PG_URL else "sqlite")
    assert (
        figures["members"] == 20 and figures["messages_posted"] >= 25 and not figures["post_errors"]
    )
    # Every @mention and every awake member's first message arrived, once each.
    assert figures["lost"] == 0 and figures["duplicated"] == 0
    immediate = figures["immediate"]
    assert immediate["first_after_quiet"]["count"] == 5 and immediate["mentions"]["count"] >= 2
    assert immediate["expected"] == immediate["all"]["count"]
    assert figures["rejected_by_push_service"] == 0
    # Push off sends nothing; both runs carried the chat.
    assert figures["chat"]["pushes_without_push"] == 0
    assert figures["chat"]["without_push"]["deliveries"] > 0
    assert figures["chat"]["with_push"]["deliveries"] > 0
    assert figures["max_bundled_per_member_window"] == 1  # the window held
    assert set(figures["bars"]) == {"push_p99_ms", "chat_ratio_with_push"}
    assert "PASS" in result.stdout or "FAIL" in result.stdout
