"""`tuan bench data-rights` at a tiny size, end to end: a heavy user seeded in bulk, a real
server carrying a group chat, the operator's export and erasure run beside it, the figures
written, and the user gone after. The full-size run is in BENCHMARKS.md, not here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import PG_URL, REDIS_URL
from tests.e2e.test_cli import run_tuan


@pytest.mark.slow
def test_the_data_rights_benchmark_exports_and_erases_a_heavy_user_and_writes_its_figures(
    tmp_path: Path,
) -> None:
    out = tmp_path / "rights.json"
    # The PostgreSQL pass gives the server: the command makes its own database there.
    engine = ["--database-url", PG_URL] if PG_URL else []
    engine += ["--redis-url", REDIS_URL] if PG_URL and REDIS_URL else []
    result = run_tuan(
        "bench", "data-rights", *engine,
        "--messages", "200", "--orders", "20", "--photos", "5", "--friends", "20",
        "--group-size", "20", "--listeners", "5", "--rate", "10", "--seconds", "2",
        "--json", str(out),
        env={}, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(out.read_text())
    assert set(figures) >= {
        "database", "messages", "orders", "photos",
        "export_s", "export_peak_rss_mb", "erase_s", "chat_ratio",
    }  # fmt: skip
    assert figures["database"] == ("postgresql" if PG_URL else "sqlite")
    assert (figures["messages"], figures["orders"], figures["photos"]) == (200, 20, 5)
    assert figures["rows"]["messages"] == 200 and figures["rows"]["orders"] == 20
    # Gone, photos and all, and the chat kept flowing around it.
    assert figures["user_gone"] is True and figures["photos_left"] == 0
    assert figures["export_s"] > 0 and figures["erase_s"] > 0
    assert figures["export_peak_rss_mb"] > 0 and figures["export_bytes"] > 0
    assert figures["export_photos"] == 5  # the avatar, the reviews' and the cards' photos
    assert figures["chat"]["baseline"]["deliveries"] > 0 and figures["chat_ratio"] > 0
    assert figures["erase_steps"] and set(figures["bars"]) == {
        "export_s", "export_peak_rss_mb", "erase_s", "chat_ratio",
    }  # fmt: skip
    assert "PASS" in result.stdout or "FAIL" in result.stdout
