"""Trust and reputation on graphs small enough to work out by hand."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from tuan.trust import domain
from tuan.trust.domain import EPOCH, HALF_LIFE, Interaction, ReputationRecord


def test_a_weight_halves_every_half_life() -> None:
    stored = domain.scaled(4.0, EPOCH + timedelta(days=30))
    assert domain.unscaled(stored, EPOCH + timedelta(days=30)) == pytest.approx(4.0)
    assert domain.unscaled(stored, EPOCH + timedelta(days=30) + HALF_LIFE) == pytest.approx(2.0)
    assert domain.unscaled(stored, EPOCH + timedelta(days=30) + 2 * HALF_LIFE) == pytest.approx(1.0)


def test_scaled_weights_add_up_like_decayed_ones() -> None:
    t1, t2, now = (
        EPOCH + timedelta(days=10),
        EPOCH + timedelta(days=100),
        EPOCH + timedelta(days=190),
    )
    stored = domain.scaled(1.0, t1) + domain.scaled(3.0, t2)
    # 1.0 is 180 days (two half-lives) old, 3.0 is 90 days (one) old: 0.25 + 1.5
    assert domain.unscaled(stored, now) == pytest.approx(1.75)


def test_tie_strength_grows_with_interaction_and_stays_below_one() -> None:
    assert domain.tie_strength(0, 0) == 0
    assert domain.tie_strength(5, 0) == pytest.approx(1 - math.exp(-1))
    assert domain.tie_strength(2.5, 2.5) == domain.tie_strength(5, 0)  # both directions count
    assert domain.tie_strength(0, 0, shared_groups=2) == pytest.approx(1 - math.exp(-0.6 / 5))
    # shared groups count only up to five
    assert domain.tie_strength(0, 0, shared_groups=50) == domain.tie_strength(0, 0, shared_groups=5)
    assert 0.999 < domain.tie_strength(20, 20) < 1


def test_interactions_are_weighted_by_what_they_say() -> None:
    assert Interaction.BOUGHT_ON_SHARE.value > Interaction.REPLY.value > Interaction.REACTION.value


def test_reputation_is_smoothed_towards_a_neutral_prior() -> None:
    assert domain.reputation_score(0, 0) == 0.5
    assert domain.reputation_score(14, 15) == pytest.approx(15 / 17)
    assert domain.reputation_score(1, 1) < domain.reputation_score(14, 15)  # one rating proves less
    assert domain.reputation_score(0, 4) == pytest.approx(1 / 6)


def test_reputation_is_explained_in_words() -> None:
    record = ReputationRecord(category="food", shares=20, purchases=18, rated=15, rated_good=14)
    assert domain.explain_reputation("Mei", record) == (
        "14 of 15 of Mei's recommendations in Food were rated good"
    )
    assert (
        domain.explain_reputation("林美", record, chinese=True)
        == "林美在食品类推荐的15件商品中有14件被评为好"
    )
