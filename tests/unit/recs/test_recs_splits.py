from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from recs_synthetic import interactions, two_taste_implicit, write_dataset

from tuan.recs.data import load_dataset
from tuan.recs.splits import (
    cold_start_users,
    cross_validation_folds,
    fixed_split_fold,
    kfold_assignment,
    sample_negatives,
)


def _pairs(rows: object) -> set[tuple[int, int]]:
    return set(zip(rows.users.tolist(), rows.items.tolist(), strict=True))  # type: ignore[attr-defined]


def test_kfold_assignment_is_balanced_and_seeded() -> None:
    folds = kfold_assignment(103, 5, seed=7)
    assert sorted(np.bincount(folds).tolist()) == [20, 20, 21, 21, 21]
    np.testing.assert_array_equal(folds, kfold_assignment(103, 5, seed=7))
    assert not np.array_equal(folds, kfold_assignment(103, 5, seed=8))
    with pytest.raises(ValueError):
        kfold_assignment(10, 1, seed=0)


def test_cross_validation_tests_every_row_once_and_never_trains_on_it() -> None:
    data = two_taste_implicit()
    folds = cross_validation_folds(data, 5, seed=3)
    all_pairs = _pairs(data)
    seen_in_test: set[tuple[int, int]] = set()
    for fold in folds:
        train, test = _pairs(fold.train), _pairs(fold.test)
        assert not train & test, "a test interaction leaked into training"
        assert train | test == all_pairs
        assert not seen_in_test & test
        seen_in_test |= test
        # Validation is carved from training only, and tuning never sees it.
        tuning, validation = _pairs(fold.tuning_train), _pairs(fold.validation)
        assert not tuning & validation
        assert tuning | validation == train
        assert not validation & test
        assert len(fold.validation) == round(0.1 * len(fold.train))
    assert seen_in_test == all_pairs


def test_fixed_split_uses_released_split_and_refits_on_train_plus_val(tmp_path: Path) -> None:
    folder = write_dataset(
        tmp_path / "d",
        ratings=[("a", "1", 1), ("a", "2", 1), ("b", "1", 1), ("b", "3", 1)],
        links=[],
        split={
            "train": [("a", "1", 1), ("b", "1", 1)],
            "val": [("a", "2", 1)],
            "test": [("b", "3", 1)],
        },
    )
    fold = fixed_split_fold(load_dataset(folder), seed=0)
    assert len(fold.tuning_train) == 2 and len(fold.validation) == 1
    assert len(fold.train) == 3
    assert _pairs(fold.test) == {(1, 2)}
    assert not _pairs(fold.train) & _pairs(fold.test)


def test_fixed_split_without_release_is_a_seeded_80_10_10_split() -> None:
    data = two_taste_implicit()

    class Stub:
        split = None
        ratings = data

    fold = fixed_split_fold(Stub(), seed=1)  # type: ignore[arg-type]
    assert len(fold.test) == 48 and len(fold.validation) == 48
    assert not _pairs(fold.train) & _pairs(fold.test)
    assert _pairs(fold.train) | _pairs(fold.test) == _pairs(data)


def test_sampled_negatives_avoid_every_known_item_and_are_reproducible() -> None:
    known = interactions([(0, 0, 1), (0, 1, 1), (0, 2, 1), (1, 5, 1)], 2, 12).to_csr(binary=True)
    candidates = np.arange(12)
    users = np.array([0, 1])
    negatives = sample_negatives(known, users, candidates, 9, seed=4, repeat=0)
    assert set(negatives[0].tolist()) == set(range(3, 12))  # all 9 unseen items, no repeats
    assert 5 not in negatives[1] and len(set(negatives[1].tolist())) == 9
    np.testing.assert_array_equal(
        negatives, sample_negatives(known, users, candidates, 9, seed=4, repeat=0)
    )
    # A user's negatives do not depend on which other users are sampled with them.
    alone = sample_negatives(known, np.array([1]), candidates, 9, seed=4, repeat=0)
    np.testing.assert_array_equal(alone[0], negatives[1])
    other_repeat = sample_negatives(known, np.array([1]), candidates, 9, seed=4, repeat=1)
    assert not np.array_equal(other_repeat[0], negatives[1])
    with pytest.raises(ValueError, match="only 9 items"):
        sample_negatives(known, np.array([0]), candidates, 10, seed=4, repeat=0)


def test_cold_start_users_counts_training_interactions() -> None:
    train = interactions([(0, 0, 1), (0, 1, 1), (0, 2, 1), (1, 0, 1)], 3, 3)
    np.testing.assert_array_equal(cold_start_users(train, 3), [False, True, True])
