"""The power calculation behind the cold-start section of docs/recommendations.md."""

from __future__ import annotations

import numpy as np
import pytest
from benchmarks.recs_cold_power import bootstrap_std, fold_gain, needed_gain, pass_probability


def test_gain_is_positive_when_ours_is_better_for_both_tasks() -> None:
    assert fold_gain("ranking", np.array([0.3, 0.5]), np.array([0.2, 0.2])) == pytest.approx(0.2)
    # RMSE 1 (ours) against RMSE 2 (theirs): a reduction of 1.
    assert fold_gain("rating", np.array([1.0, 1.0]), np.array([4.0, 4.0])) == pytest.approx(1.0)


def test_without_a_true_gain_five_folds_pass_the_2_sigma_test_half_a_percent_of_the_time() -> None:
    # mean > 2·sd over 5 folds is a one-sided t test at t > 2·sqrt(5) with 4 degrees of
    # freedom, whose tail probability is 0.0055.
    assert pass_probability(0.0, np.full(5, 0.01), seed=1) == pytest.approx(0.0055, abs=0.002)


def test_needed_gain_scales_with_the_noise_and_a_bigger_chance_needs_more() -> None:
    noise = np.full(5, 0.02)
    half = needed_gain(noise, 0.5, seed=1)
    assert pass_probability(half, noise, seed=1) >= 0.5
    assert pass_probability(half - 0.002, noise, seed=1) < 0.5
    assert needed_gain(noise, 0.8, seed=1) > half
    assert needed_gain(2 * noise, 0.5, seed=1) == pytest.approx(2 * half, rel=0.02)


def test_bootstrap_resamples_users_and_moves_each_users_rows_together() -> None:
    theirs = np.zeros(4)
    one_user_gains = bootstrap_std(
        "ranking", np.arange(4), np.array([1.0, 0, 0, 0]), theirs, 4000, 0
    )
    # The gain is k/4 with k ~ Binomial(4, 1/4): std sqrt(4 · 1/4 · 3/4) / 4.
    assert one_user_gains == pytest.approx(np.sqrt(0.75) / 4, rel=0.05)
    # Each user's two rows cancel: resampled together the gain is always 0, row by row it is not.
    cancelling = np.array([1.0, -1.0, 1.0, -1.0])
    assert bootstrap_std("ranking", np.array([0, 0, 1, 1]), cancelling, theirs, 500, 0) == 0.0
