from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp

from tuan.recs import metrics as m


def test_mae_and_rmse_by_hand() -> None:
    predicted = np.array([1.0, 2.0, 4.0])
    actual = np.array([2.0, 2.0, 1.0])
    assert m.mae(predicted, actual) == (1 + 0 + 3) / 3
    assert math.isclose(m.rmse(predicted, actual), math.sqrt((1 + 0 + 9) / 3))


def test_top_k_breaks_ties_by_item_index_and_pads_missing() -> None:
    scores = np.array(
        [
            [0.5, 0.9, 0.5, 0.1, 0.5],
            [-np.inf, 2.0, -np.inf, -np.inf, -np.inf],
        ]
    )
    top = m.top_k_items(scores, 3)
    np.testing.assert_array_equal(top[0], [1, 0, 2])  # three-way tie at 0.5: lowest ids first
    np.testing.assert_array_equal(top[1], [1, -1, -1])  # only one finite score


def test_ranking_metrics_worked_example() -> None:
    # User 0 has positives {2, 7}; user 1 has {5}.
    positives = sp.csr_matrix(([1.0, 1.0, 1.0], ([0, 0, 1], [2, 7, 5])), shape=(2, 10))
    top = np.array([[2, 3, 7], [1, 4, 6]])  # user 0 hits at ranks 1 and 3, user 1 misses
    hits = m.ranking_hits(top, positives, np.array([0, 1]))
    np.testing.assert_array_equal(hits, [[1, 0, 1], [0, 0, 0]])
    per_user = m.ranking_metrics_from_hits(hits, np.array([2.0, 1.0]))

    dcg = 1.0 + 1.0 / math.log2(4)
    idcg = 1.0 + 1.0 / math.log2(3)
    np.testing.assert_allclose(per_user["precision@3"], [2 / 3, 0.0])
    np.testing.assert_allclose(per_user["recall@3"], [1.0, 0.0])
    np.testing.assert_allclose(per_user["ndcg@3"], [dcg / idcg, 0.0])
    np.testing.assert_allclose(per_user["hr@3"], [1.0, 0.0])


def test_hr_and_ideal_dcg_cap_at_k() -> None:
    # Five positives but K = 2: both slots hit, so NDCG and HR are 1, recall only 2/5.
    per_user = m.ranking_metrics_from_hits(np.array([[1.0, 1.0]]), np.array([5.0]))
    assert per_user["ndcg@2"][0] == 1.0
    assert per_user["hr@2"][0] == 1.0
    assert per_user["recall@2"][0] == 2 / 5


def test_sampled_ranks_count_ties_against_the_positive() -> None:
    positives = np.array([[0.9, 0.5, np.nan]])
    negatives = np.array([[0.95, 0.5, 0.1, 0.9]])
    ranks = m.sampled_ranks(positives, negatives)
    # 0.9: beaten by 0.95 and tied with a negative 0.9 -> rank 2.
    # 0.5: above it 0.95, 0.9 (neg), the tied 0.5 negative, and the positive 0.9 -> rank 4.
    assert ranks[0, 0] == 2
    assert ranks[0, 1] == 4
    assert ranks[0, 2] > 10**6  # padding never counts as a hit

    per_user = m.sampled_metrics(ranks, np.array([2.0]), 3)
    assert per_user["hr@3"][0] == 0.5  # one hit out of min(2, 3) positives
    expected_ndcg = (1 / math.log2(4)) / (1 + 1 / math.log2(3))
    assert math.isclose(per_user["ndcg@3"][0], expected_ndcg)


def test_sampled_ranks_order_tied_positives_by_column() -> None:
    ranks = m.sampled_ranks(np.array([[0.5, 0.5]]), np.array([[0.1]]))
    np.testing.assert_array_equal(ranks, [[0, 1]])


def test_coverage_and_long_tail() -> None:
    counts = np.array([100, 50, 10, 5, 1, 0, 0, 0, 0, 1])  # 6 recommendable items
    tail = m.long_tail_items(counts)
    # Head = ceil(0.2 * 6) = 2 most popular items (0 and 1); never-seen items are not tail.
    np.testing.assert_array_equal(np.flatnonzero(tail), [2, 3, 4, 9])
    top = np.array([[0, 2], [0, 3], [1, -1]])
    assert m.coverage(top, n_recommendable=6) == 4 / 6
    assert m.long_tail_share(top, tail) == 2 / 5
