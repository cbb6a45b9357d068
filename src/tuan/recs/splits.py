"""Train/test splits, validation carve-outs, sampled negatives and cold-start subsets.

Every random choice takes an explicit seed so the same seed gives the same folds, the same
validation rows and the same negatives.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from tuan.recs.data import Dataset, Interactions

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

VALIDATION_SHARE = 0.1
RATING_COLD_THRESHOLD = 5
RANKING_COLD_THRESHOLD = 20


@dataclass(frozen=True)
class Fold:
    """One evaluation round: fit on ``train`` (tuning on ``validation`` carved from it)."""

    index: int
    train: Interactions
    test: Interactions
    # Rows for hyperparameter selection and what the tuned model is refitted on afterwards.
    tuning_train: Interactions
    validation: Interactions


def kfold_assignment(n_rows: int, k: int, seed: int) -> IntArray:
    """Fold number of every row: a seeded random permutation dealt round-robin into k folds.

    Dealing a permutation (rather than drawing a fold per row) keeps fold sizes within one row.
    """
    if k < 2:
        raise ValueError("k-fold cross-validation needs k >= 2")
    order = np.random.default_rng(seed).permutation(n_rows)
    folds = np.empty(n_rows, dtype=np.int64)
    folds[order] = np.arange(n_rows) % k
    return folds


def holdout_mask(n_rows: int, share: float, seed: int) -> BoolArray:
    """Boolean mask selecting round(share * n_rows) rows at random."""
    n_held = round(share * n_rows)
    mask = np.zeros(n_rows, dtype=bool)
    mask[np.random.default_rng(seed).choice(n_rows, size=n_held, replace=False)] = True
    return mask


def carve_validation(train: Interactions, seed: int) -> tuple[Interactions, Interactions]:
    """Split a training set into (tuning_train, validation) with a random 10% of its rows."""
    held = holdout_mask(len(train), VALIDATION_SHARE, seed)
    return train.subset(~held), train.subset(held)


def cross_validation_folds(interactions: Interactions, k: int, seed: int) -> list[Fold]:
    """k folds over the rows; validation for fold f is carved from its training rows."""
    assignment = kfold_assignment(len(interactions), k, seed)
    folds = []
    for fold in range(k):
        train = interactions.subset(assignment != fold)
        tuning_train, validation = carve_validation(train, seed=seed * 1000 + fold + 1)
        folds.append(
            Fold(fold, train, interactions.subset(assignment == fold), tuning_train, validation)
        )
    return folds


def fixed_split_fold(dataset: Dataset, seed: int) -> Fold:
    """The released train/val/test split; without one, a seeded 80/10/10 split of the rows.

    Hyperparameters are chosen on the validation part; the tuned model is refitted on
    train + validation (the test part is never seen before scoring).
    """
    if dataset.split is not None:
        train_part, validation = dataset.split["train"], dataset.split["val"]
        test = dataset.split["test"]
    else:
        rows = dataset.ratings
        assignment = kfold_assignment(len(rows), 10, seed)
        test = rows.subset(assignment == 0)
        validation = rows.subset(assignment == 1)
        train_part = rows.subset(assignment >= 2)
    return Fold(0, train_part.concat(validation), test, train_part, validation)


def cold_start_users(train: Interactions, threshold: int) -> BoolArray:
    """Users with fewer than ``threshold`` interactions in the training data of the fold.

    This follows QRec's ``-cold`` evaluation option (used for the MHCN/SEPT cold-start tables),
    which keeps test users by their training-set count; users absent from training are cold.
    """
    return train.user_counts() < threshold


def sample_negatives(
    known: sp.csr_matrix,
    users: IntArray,
    candidate_items: IntArray,
    n_negatives: int,
    seed: int,
    repeat: int,
) -> IntArray:
    """``n_negatives`` distinct items per user, drawn uniformly from ``candidate_items`` minus
    every item the user interacted with in any split (``known`` holds all interactions).

    Each (seed, repeat, user) has its own random stream, so a user's negatives do not depend on
    which other users are evaluated with it or in what batches: every model sees the same ones.
    Returns a len(users) x n_negatives matrix of item indices.
    """
    is_candidate = np.zeros(known.shape[1], dtype=bool)
    is_candidate[candidate_items] = True
    result = np.empty((len(users), n_negatives), dtype=np.int64)
    for row, user in enumerate(users):
        seen = known.indices[known.indptr[user] : known.indptr[user + 1]]
        available = len(candidate_items) - int(is_candidate[seen].sum())
        if available < n_negatives:
            raise ValueError(f"user {user} has only {available} items left to sample")
        rng = np.random.default_rng([seed, repeat, int(user)])
        chosen = np.zeros(0, dtype=np.int64)
        while len(chosen) < n_negatives:
            # Oversample, then drop seen items and repeats while keeping the draw order.
            draw = candidate_items[rng.integers(0, len(candidate_items), 2 * n_negatives)]
            draw = np.concatenate([chosen, draw[~np.isin(draw, seen)]])
            _, first = np.unique(draw, return_index=True)
            chosen = draw[np.sort(first)][:n_negatives]
        result[row] = chosen
    return result
