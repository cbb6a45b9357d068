"""Accuracy and beyond-accuracy metrics, computed per user so any subset can be averaged.

Definitions follow the papers whose tables we compare with:

* ``precision@K`` = hits / K and ``recall@K`` = hits / |test positives|, averaged over test users
  (QRec ``Measure``, used by MHCN and SEPT).
* ``ndcg@K`` with binary gains, log2 discounts and the ideal DCG over min(|positives|, K).
* ``hr@K`` = hits / min(|positives|, K), averaged over users: DiffNet's ``getHr``; it equals the
  usual "at least one hit" rate when each user has a single positive.
* ``coverage@K``: share of the recommendable catalogue that appears in at least one top-K list.
* ``long_tail@K``: share of recommended slots taken by long-tail items, the items outside the most
  popular 20% of the catalogue (by training interactions).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

TOP_K = 10
HEAD_SHARE = 0.2


def mae(predicted: FloatArray, actual: FloatArray) -> float:
    return float(np.mean(np.abs(predicted - actual)))


def rmse(predicted: FloatArray, actual: FloatArray) -> float:
    return float(np.sqrt(np.mean((predicted - actual) ** 2)))


def top_k_items(scores: FloatArray, k: int) -> IntArray:
    """Indices of the k highest scores of each row, best first.

    Ties are broken towards the lower item index so that results never depend on the sort
    algorithm; rows with fewer than k finite scores are padded with ``-1``.
    """
    n_rows, n_cols = scores.shape
    result = np.full((n_rows, k), -1, dtype=np.int64)
    depth = min(k, n_cols)
    if depth == 0:
        return result
    candidates = np.argpartition(-scores, depth - 1, axis=1)[:, :depth]
    # argpartition may cut a tie arbitrarily: keep every column tied with the k-th best score.
    kth = np.take_along_axis(scores, candidates, axis=1).min(axis=1, keepdims=True)
    for row in range(n_rows):
        row_scores = scores[row]
        pool = np.flatnonzero(row_scores >= kth[row, 0])
        pool = pool[np.isfinite(row_scores[pool])]
        order = np.lexsort((pool, -row_scores[pool]))[:depth]
        result[row, : len(order)] = pool[order]
    return result


def ranking_hits(top_items: IntArray, positives: sp.csr_matrix, users: IntArray) -> FloatArray:
    """0/1 matrix: whether the item at each rank of each user's list is a test positive."""
    hits = np.zeros(top_items.shape, dtype=np.float64)
    for row, user in enumerate(users):
        start, end = positives.indptr[user], positives.indptr[user + 1]
        user_positives = positives.indices[start:end]
        hits[row] = np.isin(top_items[row], user_positives) & (top_items[row] >= 0)
    return hits


def ranking_metrics_from_hits(hits: FloatArray, n_positives: FloatArray) -> dict[str, FloatArray]:
    """Per-user precision, recall, NDCG and HR at K = hits.shape[1]."""
    k = hits.shape[1]
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    ideal_cumulative = np.concatenate([[0.0], np.cumsum(discounts)])
    n_hits = hits.sum(axis=1)
    ideal_length = np.minimum(n_positives, k).astype(np.int64)
    return {
        f"precision@{k}": n_hits / k,
        f"recall@{k}": n_hits / n_positives,
        f"ndcg@{k}": (hits @ discounts) / ideal_cumulative[ideal_length],
        f"hr@{k}": n_hits / ideal_length,
    }


def sampled_ranks(positive_scores: FloatArray, negative_scores: FloatArray) -> IntArray:
    """0-based rank of every positive among the user's positives and sampled negatives.

    ``positive_scores`` is users x P (padded with NaN), ``negative_scores`` users x N. Ties with a
    negative count against the positive (a model cannot win by giving equal scores); ties between
    positives are broken by column order.
    """
    above_negatives = (negative_scores[:, None, :] >= positive_scores[:, :, None]).sum(axis=2)
    p = positive_scores.shape[1]
    earlier = np.tril(np.ones((p, p), dtype=bool), k=-1)  # earlier[i, j]: j precedes i
    pos_i = positive_scores[:, :, None]
    pos_j = positive_scores[:, None, :]
    above_positives = ((pos_j > pos_i) | ((pos_j == pos_i) & earlier[None])).sum(axis=2)
    ranks = above_negatives + above_positives
    ranks[np.isnan(positive_scores)] = np.iinfo(np.int64).max // 2
    return np.asarray(ranks, dtype=np.int64)


def sampled_metrics(ranks: IntArray, n_positives: FloatArray, k: int) -> dict[str, FloatArray]:
    """Per-user metrics from the ranks returned by :func:`sampled_ranks`."""
    in_top = ranks < k
    gains = np.where(in_top, 1.0 / np.log2(np.minimum(ranks, k) + 2.0), 0.0)
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    ideal_cumulative = np.concatenate([[0.0], np.cumsum(discounts)])
    ideal_length = np.minimum(n_positives, k).astype(np.int64)
    n_hits = in_top.sum(axis=1).astype(np.float64)
    return {
        f"precision@{k}": n_hits / k,
        f"recall@{k}": n_hits / n_positives,
        f"ndcg@{k}": gains.sum(axis=1) / ideal_cumulative[ideal_length],
        f"hr@{k}": n_hits / ideal_length,
    }


def long_tail_items(
    train_item_counts: IntArray, head_share: float = HEAD_SHARE
) -> NDArray[np.bool_]:
    """Mask of long-tail items: all but the most popular ``head_share`` of recommendable items."""
    recommendable = np.flatnonzero(train_item_counts > 0)
    n_head = int(np.ceil(head_share * len(recommendable)))
    order = recommendable[np.lexsort((recommendable, -train_item_counts[recommendable]))]
    tail = np.zeros(len(train_item_counts), dtype=bool)
    tail[order[n_head:]] = True
    return tail


def coverage(top_items: IntArray, n_recommendable: int) -> float:
    shown = np.unique(top_items[top_items >= 0])
    return float(len(shown) / n_recommendable) if n_recommendable else 0.0


def long_tail_share(top_items: IntArray, tail_mask: NDArray[np.bool_]) -> float:
    shown = top_items[top_items >= 0]
    return float(tail_mask[shown].mean()) if len(shown) else 0.0
