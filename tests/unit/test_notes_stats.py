"""Heat, the per-note decayed engagement Discover's candidates come from (ADR 0013): figures
worked by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tuan.notes.stats import WEIGHTS, decay, heat_now

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_an_acts_weight_halves_every_72_hours() -> None:
    assert decay(0) == 1.0
    assert decay(72) == pytest.approx(0.5)
    assert decay(144) == pytest.approx(0.25)
    assert decay(24) == pytest.approx(0.7937, abs=1e-4)  # 2^(-1/3)


def test_stored_heat_is_decayed_to_the_reading_moment() -> None:
    # A like (1) and a comment (4) both 72 h ago: 5 then, 2.5 now.
    assert heat_now(5.0, T0, T0 + timedelta(hours=72)) == pytest.approx(2.5)
    assert heat_now(3.0, None, T0) == 3.0


def test_weights_are_the_issues() -> None:
    assert WEIGHTS["like"] == WEIGHTS["save"] == 1
    assert WEIGHTS["comment"] == WEIGHTS["forward"] == 4
    assert WEIGHTS["follow"] == 8
