"""Non-personalised and neighbourhood baselines for both tasks."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import scipy.sparse as sp

from tuan.recs.data import Interactions, SocialGraph
from tuan.recs.models.base import FloatArray, IntArray, all_items


class _RatingScale:
    """Clips predictions to the training rating range, as LibRec and QRec do."""

    low = -np.inf
    high = np.inf

    def _remember_scale(self, train: Interactions) -> None:
        self.low, self.high = float(train.values.min()), float(train.values.max())

    def _clip(self, predictions: FloatArray) -> FloatArray:
        return np.clip(predictions, self.low, self.high)


class GlobalAverage(_RatingScale):
    uses_social: ClassVar[bool] = False

    def __init__(self) -> None:
        self.mean = 0.0

    def fit(self, train: Interactions, social: SocialGraph) -> None:
        self._remember_scale(train)
        self.mean = float(train.values.mean())

    def predict(self, users: IntArray, items: IntArray) -> FloatArray:
        return np.full(len(users), self.mean)


def _group_means(keys: IntArray, values: FloatArray, n_groups: int, fallback: float) -> FloatArray:
    counts = np.bincount(keys, minlength=n_groups)
    sums = np.bincount(keys, weights=values, minlength=n_groups)
    return np.where(counts > 0, sums / np.maximum(counts, 1), fallback)


class UserAverage(GlobalAverage):
    """Each user's mean training rating (the global mean for users without ratings)."""

    def fit(self, train: Interactions, social: SocialGraph) -> None:
        super().fit(train, social)
        self.user_means = _group_means(train.users, train.values, train.n_users, self.mean)

    def predict(self, users: IntArray, items: IntArray) -> FloatArray:
        return self.user_means[users]


class ItemAverage(GlobalAverage):
    """Each item's mean training rating (the global mean for unseen items)."""

    def fit(self, train: Interactions, social: SocialGraph) -> None:
        super().fit(train, social)
        self.item_means = _group_means(train.items, train.values, train.n_items, self.mean)

    def predict(self, users: IntArray, items: IntArray) -> FloatArray:
        return self.item_means[items]


def fit_baseline_biases(
    train: Interactions, reg_user: float, reg_item: float, n_sweeps: int = 10
) -> tuple[float, FloatArray, FloatArray]:
    """Regularised user and item offsets around the global mean (alternating ridge sweeps)."""
    mean = float(train.values.mean())
    user_bias = np.zeros(train.n_users)
    item_bias = np.zeros(train.n_items)
    user_counts = np.bincount(train.users, minlength=train.n_users)
    item_counts = np.bincount(train.items, minlength=train.n_items)
    for _ in range(n_sweeps):
        residual = train.values - mean - user_bias[train.users]
        item_bias = np.bincount(train.items, residual, train.n_items) / (item_counts + reg_item)
        residual = train.values - mean - item_bias[train.items]
        user_bias = np.bincount(train.users, residual, train.n_users) / (user_counts + reg_user)
    return mean, user_bias, item_bias


class ItemKNNRating(_RatingScale):
    """Item-based kNN on baseline residuals with shrunk Pearson similarities (Koren 2010)."""

    uses_social: ClassVar[bool] = False

    def __init__(self, neighbours: int = 40, shrinkage: float = 50.0, reg: float = 5.0) -> None:
        self.neighbours = neighbours
        self.shrinkage = shrinkage
        self.reg = reg

    def fit(self, train: Interactions, social: SocialGraph) -> None:
        self._remember_scale(train)
        self.mean, self.user_bias, self.item_bias = fit_baseline_biases(train, self.reg, self.reg)
        residual = (
            train.values - self.mean - self.user_bias[train.users] - self.item_bias[train.items]
        )
        self.residuals = sp.csr_matrix(
            (residual, (train.users, train.items)), shape=(train.n_users, train.n_items)
        )
        rated = self.residuals.copy()
        rated.data[:] = 1.0
        co_counts = (rated.T @ rated).toarray()
        dot = (self.residuals.T @ self.residuals).toarray()
        squares = self.residuals.multiply(self.residuals)
        # Norms over co-rated users only: sum over users who rated both of r_ui^2.
        norm_i = (squares.T @ rated).toarray()
        denominator = np.sqrt(norm_i * norm_i.T)
        similarity = np.divide(dot, denominator, out=np.zeros_like(dot), where=denominator > 0)
        similarity *= co_counts / (co_counts + self.shrinkage)
        np.fill_diagonal(similarity, 0.0)
        self.similarity = similarity
        self.rated = rated.tocsr()

    def predict(self, users: IntArray, items: IntArray) -> FloatArray:
        base = self.mean + self.user_bias[users] + self.item_bias[items]
        adjustment = np.zeros(len(users))
        for position, (user, item) in enumerate(zip(users, items, strict=True)):
            start, end = self.residuals.indptr[user], self.residuals.indptr[user + 1]
            rated_items = self.residuals.indices[start:end]
            if len(rated_items) == 0:
                continue
            weights = self.similarity[item, rated_items]
            if len(weights) > self.neighbours:
                keep = np.argpartition(-np.abs(weights), self.neighbours - 1)[: self.neighbours]
                weights, values = weights[keep], self.residuals.data[start:end][keep]
            else:
                values = self.residuals.data[start:end]
            total = np.abs(weights).sum()
            if total > 0:
                adjustment[position] = weights @ values / total
        return self._clip(base + adjustment)


class Popularity:
    """Ranks items by their number of training interactions."""

    uses_social: ClassVar[bool] = False

    def fit(self, interactions: Interactions, social: SocialGraph) -> None:
        self.popularity = interactions.item_counts().astype(np.float64)

    def score(self, user_ids: IntArray, item_ids: IntArray | None = None) -> FloatArray:
        items = all_items(len(self.popularity), item_ids)
        return np.broadcast_to(self.popularity[items], (len(user_ids), len(items))).copy()


class ItemKNNRanker:
    """Item-based kNN on binary interactions with cosine similarity, top-k pruned per item."""

    uses_social: ClassVar[bool] = False

    def __init__(self, neighbours: int = 100, shrinkage: float = 10.0) -> None:
        self.neighbours = neighbours
        self.shrinkage = shrinkage

    def fit(self, interactions: Interactions, social: SocialGraph) -> None:
        matrix = interactions.to_csr(binary=True)
        co_counts = (matrix.T @ matrix).tocsr().astype(np.float64)
        norms = np.sqrt(co_counts.diagonal())
        co_counts.setdiag(0.0)
        co_counts.eliminate_zeros()
        coo = co_counts.tocoo()
        cosine = coo.data / (norms[coo.row] * norms[coo.col] + self.shrinkage)
        similarity = sp.csr_matrix((cosine, (coo.row, coo.col)), shape=co_counts.shape)
        self.similarity = keep_top_per_column(similarity, self.neighbours)
        self.matrix = matrix

    def score(self, user_ids: IntArray, item_ids: IntArray | None = None) -> FloatArray:
        items = all_items(self.matrix.shape[1], item_ids)
        scores = self.matrix[user_ids] @ self.similarity[:, items]
        return np.asarray(scores.toarray() if sp.issparse(scores) else scores)


def keep_top_per_column(matrix: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Zero all but the k largest entries of each column (the neighbours used to score it)."""
    csc = matrix.tocsc()
    rows, cols, values = [], [], []
    for col in range(csc.shape[1]):
        start, end = csc.indptr[col], csc.indptr[col + 1]
        if end == start:
            continue
        data, idx = csc.data[start:end], csc.indices[start:end]
        if end - start > k:
            keep = np.argpartition(-data, k - 1)[:k]
            data, idx = data[keep], idx[keep]
        rows.append(idx)
        cols.append(np.full(len(idx), col))
        values.append(data)
    if not rows:
        return sp.csr_matrix(matrix.shape)
    return sp.csr_matrix(
        (np.concatenate(values), (np.concatenate(rows), np.concatenate(cols))), shape=matrix.shape
    )
