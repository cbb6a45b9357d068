"""Trust signals on tiny graphs worked out by hand."""

from __future__ import annotations

import numpy as np
from recs_synthetic import interactions, social, two_taste_ratings

from tuan.recs.data import SocialGraph
from tuan.recs.models.tuan_predictor import TuanPredictor
from tuan.recs.trust import bounded_trust, tie_strengths


def test_tie_strength_of_a_mutual_link_with_shared_items_and_friends() -> None:
    rows = interactions([(0, 0, 1.0), (1, 0, 1.0), (1, 1, 1.0)], n_users=3, n_items=2)
    graph = social([(0, 1), (1, 0), (0, 2), (1, 2)], n_users=3)
    ties = tie_strengths(graph, rows).toarray()
    # 1 + reciprocity 1 + cosine 1/sqrt(2) + jaccard(friends {1,2} vs {0,2}) = |{2}| / 3
    assert np.isclose(ties[0, 1], 2.0 + 1.0 / np.sqrt(2.0) + 1.0 / 3.0)
    assert np.allclose(ties, ties.T)


def test_an_empty_graph_gives_empty_trust() -> None:
    rows = interactions([(0, 0, 1.0)], n_users=2, n_items=1)
    trust = bounded_trust(tie_strengths(SocialGraph.empty(2), rows), 0.5)
    assert trust.shape == (2, 2) and trust.nnz == 0


def test_tuan_predictor_ablation_without_trust_fits() -> None:
    train = two_taste_ratings()
    graph = social([(0, 1), (1, 0), (2, 3)], n_users=train.n_users)
    model = TuanPredictor(use_trust=False, inner_folds=2)
    model.fit(train, graph)
    assert np.isfinite(model.predict(train.users[:5], train.items[:5])).all()
