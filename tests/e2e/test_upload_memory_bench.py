"""The upload-memory benchmark (benchmarks/upload_memory.py), small: a real `tuan serve` takes a
burst of uploads, refuses every pixel bomb from its header and still takes the real photos."""

from __future__ import annotations

import pytest
from benchmarks.upload_memory import run


@pytest.mark.slow
def test_a_small_burst_of_worst_case_uploads_is_answered_and_measured() -> None:
    result = run(uploads=10, decodes_at_once=2, scale=0.25, settle=0)
    assert result.statuses == {
        "24 MP RGBA PNG": {200: 4},
        "6300² palette PNG": {413: 2},
        "16000² 1-bit PNG": {413: 2},
        "108 MP JPEG": {200: 2},
    }
    assert 0 < result.idle_mb <= result.burst_peak_mb
