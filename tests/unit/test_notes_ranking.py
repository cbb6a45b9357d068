"""Discover ranking (ADR 0013) on figures worked by hand: the score, the per-author cap, the
first-audience slots (the 4th and 9th notes shown: 0-based positions 3 and 8)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tuan.notes.ranking import (
    FIRST_AUDIENCE_SLOTS,
    Engagement,
    Ranked,
    by_score,
    cap_authors,
    decomposed,
    first_audience,
    is_fresh,
    score,
)

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
V, MEI, BEN, CAT = 1, 2, 3, 4
TRUST = {MEI: 0.8, BEN: 0.5}  # Cat is a stranger to v


def ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


def test_the_adrs_worked_example_scores_1_714() -> None:
    acts = [
        Engagement(MEI, "like", ago(24)),
        Engagement(CAT, "save", ago(24)),  # into a public collection
        Engagement(BEN, "comment", ago(72)),
    ]
    # 1·0.8·2^(−1/3) + 1·0.1·2^(−1/3) + 4·0.5·2^(−1) = 0.635 + 0.079 + 1.000
    assert score(V, acts, TRUST, NOW) == pytest.approx(1.714, abs=5e-4)


def test_a_save_into_a_private_collection_is_not_seen_so_the_score_is_1_635() -> None:
    # The reader leaves Cat's private save out; it counts in the anonymous total only.
    acts = [Engagement(MEI, "like", ago(24)), Engagement(BEN, "comment", ago(72))]
    assert score(V, acts, TRUST, NOW) == pytest.approx(1.635, abs=5e-4)


def test_a_follow_from_the_note_weighs_8_and_a_forward_4_and_age_halves_them() -> None:
    # 8·0.8·1 + 4·0.1·2^(−2) = 6.4 + 0.1
    acts = [Engagement(MEI, "follow", NOW), Engagement(CAT, "forward", ago(144))]
    assert score(V, acts, TRUST, NOW) == pytest.approx(6.5)


def test_the_viewers_own_acts_do_not_lift_a_note_for_them() -> None:
    assert score(V, [Engagement(V, "comment", NOW)], {V: 1.0}, NOW) == 0.0


def test_a_strangers_like_counts_a_tenth_of_a_trusted_friends() -> None:
    assert score(V, [Engagement(CAT, "like", NOW)], TRUST, NOW) == pytest.approx(0.1)
    assert score(V, [Engagement(MEI, "like", NOW)], {MEI: 0.05}, NOW) == pytest.approx(0.1)


def test_the_score_by_open_heat_equals_the_direct_sum() -> None:
    # Open heat 5 now: Mei's like 24 h ago (1 then) and Cat's comment 72 h ago (4 then):
    # 1·2^(−1/3) + 4·2^(−1) = 0.794 + 2 = 2.794 left. Only Mei's like is read (Cat is a stranger):
    # 0.1·2.794 + (0.8 − 0.1)·1·2^(−1/3) = 0.2794 + 0.5556 = 0.835
    open_heat = 2 ** (-1 / 3) + 4 * 0.5
    mei = [Engagement(MEI, "like", ago(24))]
    direct = score(V, [*mei, Engagement(CAT, "comment", ago(72))], TRUST, NOW)
    assert direct == pytest.approx(0.835, abs=5e-4)
    assert decomposed(V, open_heat, mei, TRUST, set(), NOW) == pytest.approx(direct)


def test_by_open_heat_the_viewers_own_and_blocked_peoples_acts_take_their_floor_back() -> None:
    # The viewer's comment and Ben's like are in the open heat (4 + 1); Ben is blocked.
    acts = [Engagement(V, "comment", NOW), Engagement(BEN, "like", NOW)]
    assert decomposed(V, 5.0, acts, TRUST, {BEN}, NOW) == pytest.approx(0.0)
    assert decomposed(V, 5.0, acts, TRUST, set(), NOW) == pytest.approx(0.5)


def notes(*authors: int, first_id: int = 100) -> list[Ranked]:
    """Notes by ``authors``, best first (scores 100, 99, ...)."""
    return [Ranked(first_id + i, a, 100.0 - i) for i, a in enumerate(authors)]


def test_at_most_two_notes_of_one_author_in_the_top_ten() -> None:
    ranked = notes(7, 7, 7, 7, 1, 2, 3, 4, 5, 6, 8, 9)
    capped = cap_authors(ranked)
    assert [r.author_id for r in capped[:10]] == [7, 7, 1, 2, 3, 4, 5, 6, 8, 9]
    # The two passed over follow the top in their order, ahead of nothing better.
    assert [r.note_id for r in capped[10:]] == [102, 103]


def test_the_cap_gives_way_when_there_are_not_enough_authors() -> None:
    capped = cap_authors(notes(7, 7, 7, 8))
    assert [r.author_id for r in capped] == [7, 7, 8, 7]


def test_equal_scores_go_to_the_newer_note() -> None:
    assert [r.note_id for r in by_score([Ranked(5, 1, 1.0), Ranked(9, 2, 1.0)])] == [9, 5]


def test_fresh_is_under_24_hours_and_under_50_impressions() -> None:
    assert is_fresh(ago(23.9), 49, NOW)
    assert not is_fresh(ago(24), 0, NOW)
    assert not is_fresh(ago(1), 50, NOW)


def test_first_audience_notes_take_the_4th_and_9th_places() -> None:
    assert FIRST_AUDIENCE_SLOTS == (3, 8)
    feed = notes(*range(1, 13))
    fresh = [Ranked(500, 40, 0.0), Ranked(501, 41, 0.0), Ranked(502, 42, 0.0)]
    shown = first_audience(feed, fresh, V, NOW.date())
    assert shown[3].note_id in {500, 501, 502} and shown[8].note_id in {500, 501, 502}
    assert shown[3] != shown[8]
    # Everything else keeps its order around them.
    rest = [r.note_id for i, r in enumerate(shown) if i not in (3, 8)]
    assert rest == [r.note_id for r in feed]


def test_the_choice_is_the_same_all_day_and_differs_between_viewers_and_days() -> None:
    feed = notes(*range(1, 13))
    fresh = [Ranked(500 + i, 40 + i, 0.0) for i in range(20)]
    day = date(2026, 12, 5)

    def picks(viewer: int, on: date) -> tuple[int, int]:
        shown = first_audience(feed, fresh, viewer, on)
        return shown[3].note_id, shown[8].note_id

    assert picks(V, day) == picks(V, day)
    assert len({picks(v, day) for v in range(1, 30)}) > 5
    assert len({picks(V, day + timedelta(days=d)) for d in range(10)}) > 3


def test_a_first_audience_note_does_not_break_the_author_cap_or_repeat() -> None:
    feed = notes(7, 7, 1, 2, 3, 4, 5, 6, 8, 9)
    # Author 7 has two in the top already; note 103 is fresh but already shown.
    fresh = [Ranked(600, 7, 0.0), Ranked(103, 2, 0.0)]
    shown = first_audience(feed, fresh, V, NOW.date())
    assert [r.note_id for r in shown] == [r.note_id for r in feed]


def test_a_short_feed_takes_the_fresh_note_at_its_end() -> None:
    shown = first_audience(notes(1, 2), [Ranked(700, 9, 0.0)], V, NOW.date())
    assert [r.note_id for r in shown] == [100, 101, 700]
