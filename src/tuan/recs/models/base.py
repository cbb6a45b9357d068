"""The two model interfaces every recommender in :mod:`tuan.recs` implements.

Models work in dense index space (see :mod:`tuan.recs.data`). Fitting may be slow; scoring is
plain NumPy/SciPy so the app can serve it without training-time dependencies.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol, runtime_checkable

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from tuan.recs.data import Interactions, SocialGraph

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
# Model parameters may be kept in single precision where that is accurate enough and faster.
Vectors = NDArray[np.floating[Any]]


@runtime_checkable
class RatingPredictor(Protocol):
    """Predicts explicit ratings for (user, item) pairs."""

    uses_social: ClassVar[bool]

    def fit(self, train: Interactions, social: SocialGraph) -> None: ...

    def predict(self, users: IntArray, items: IntArray) -> FloatArray: ...


@runtime_checkable
class Ranker(Protocol):
    """Scores candidate items for users; higher means more likely to be wanted.

    ``score(users, items)`` returns a len(users) x len(items) matrix; ``items=None`` means every
    item. Items a user already interacted with are *not* removed: callers decide what to show.
    """

    uses_social: ClassVar[bool]

    def fit(self, interactions: Interactions, social: SocialGraph) -> None: ...

    def score(self, user_ids: IntArray, item_ids: IntArray | None = None) -> FloatArray: ...


def all_items(n_items: int, item_ids: IntArray | None) -> IntArray:
    return np.arange(n_items, dtype=np.int64) if item_ids is None else item_ids


def row_normalise(matrix: sp.spmatrix, power: float = 1.0) -> sp.csr_matrix:
    """Scale each row of a sparse matrix by 1 / (row sum) ** power (empty rows stay empty)."""
    sums = np.asarray(matrix.sum(axis=1)).ravel()
    scale = np.zeros_like(sums)
    positive = sums > 0
    scale[positive] = sums[positive] ** -power
    return sp.csr_matrix(sp.diags(scale) @ matrix)
