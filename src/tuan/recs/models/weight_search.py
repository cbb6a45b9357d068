"""Choosing the blend's weights: NDCG@10 of a validation problem and a coordinate ascent on it.

Used by :class:`tuan.recs.models.tuan_ranker.TuanRanker` when it fits, and by
``benchmarks/recs_cold_power.py`` for its ceiling (the same search, run on the test users).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tuan.recs import metrics as m
from tuan.recs.models.base import FloatArray

COMPONENTS = ("als", "ease", "friends", "friends_taste", "group", "popularity")


@dataclass
class ValidationProblem:
    """Component scores of each validation user's candidates, padded to a common width."""

    features: NDArray[np.float32]  # users x candidates x components
    is_positive: np.ndarray  # users x candidates (False on padding)
    valid: np.ndarray  # users x candidates
    gate: FloatArray  # users
    n_positives: FloatArray  # users
    sampled: bool
    user_weight: FloatArray | None = None  # weights of the users in the mean NDCG (None: equal)


def objective(problem: ValidationProblem, weights: FloatArray) -> float:
    per_user_weights = weights[0][None, :] + problem.gate[:, None] * weights[1][None, :]
    blended = np.einsum("uck,uk->uc", problem.features, per_user_weights)
    if problem.sampled:
        positive_scores = np.where(problem.is_positive, blended, np.nan)
        negative_scores = np.where(problem.valid & ~problem.is_positive, blended, -np.inf)
        order = np.argsort(~problem.is_positive, axis=1, kind="stable")
        ranks = m.sampled_ranks(
            np.take_along_axis(positive_scores, order, axis=1)[:, : int(problem.n_positives.max())],
            negative_scores,
        )
        per_user = m.sampled_metrics(ranks, problem.n_positives, m.TOP_K)
    else:
        blended = np.where(problem.valid, blended, -np.inf)
        top = np.argpartition(-blended, m.TOP_K - 1, axis=1)[:, : m.TOP_K]
        top_scores = np.take_along_axis(blended, top, axis=1)
        top = np.take_along_axis(top, np.argsort(-top_scores, axis=1, kind="stable"), axis=1)
        hits = np.take_along_axis(problem.is_positive, top, axis=1).astype(np.float64)
        per_user = m.ranking_metrics_from_hits(hits, problem.n_positives)
    ndcg = per_user[f"ndcg@{m.TOP_K}"]
    if problem.user_weight is None:
        return float(ndcg.mean())
    return float(np.average(ndcg, weights=problem.user_weight))


def coordinate_ascent(
    problem: ValidationProblem, enabled: tuple[str, ...], passes: int = 3
) -> FloatArray:
    """Greedy search of the 2 x K weights of the enabled components, from plain ALS + EASE."""
    weights = np.zeros((2, len(COMPONENTS)))
    weights[0, 0] = weights[0, 1] = 1.0
    best = objective(problem, weights)
    for _ in range(passes):
        improved = False
        for row in range(2):
            for k in range(len(COMPONENTS)):
                if (row == 0 and k == 0) or COMPONENTS[k] not in enabled:
                    continue  # the ALS weight fixes the scale of the blend
                current = weights[row, k]
                trials = {
                    0.0,
                    current * 0.5,
                    current * 2.0,
                    current - 0.25,
                    current + 0.25,
                    current - 1.0,
                    current + 1.0,
                }
                for value in sorted(trials):
                    candidate = weights.copy()
                    candidate[row, k] = value
                    score = objective(problem, candidate)
                    if score > best + 1e-6:
                        best, weights, improved = score, candidate, True
        if not improved:
            break
    return weights
