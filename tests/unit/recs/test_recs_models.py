"""Every model must learn the planted structure of a tiny synthetic problem."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from recs_synthetic import (
    friend_cliques,
    interactions,
    social,
    two_taste_implicit,
    two_taste_ratings,
)

from tuan.recs.data import Interactions, SocialGraph
from tuan.recs.evaluation import full_ranking
from tuan.recs.metrics import rmse
from tuan.recs.models.base import Ranker, RatingPredictor
from tuan.recs.models.baselines import (
    GlobalAverage,
    ItemAverage,
    ItemKNNRanker,
    ItemKNNRating,
    Popularity,
    UserAverage,
)
from tuan.recs.models.implicit import ALS, BPR, EASE, SBPR
from tuan.recs.models.rating_factors import BiasedMF, SocialMF, SVDPlusPlus, TrustSVD
from tuan.recs.models.tuan_predictor import TuanPredictor
from tuan.recs.models.tuan_ranker import TuanRanker
from tuan.recs.splits import carve_validation

SMALL_ALS_GRID = ({"factors": 4, "alpha": 5.0, "reg": 1.0},)
SMALL_EASE_GRID = ({"reg": 5.0},)


def _rating_split() -> tuple[Interactions, Interactions, SocialGraph]:
    data = two_taste_ratings()
    train, test = carve_validation(data, seed=5)
    # Friends are always in the same taste group.
    links = [(u, u + 1) for u in range(0, 19)] + [(u, u + 1) for u in range(20, 39)]
    return train, test, social(links, data.n_users)


@pytest.mark.parametrize(
    ("model", "bound"),
    [
        (ItemKNNRating(neighbours=10, shrinkage=1.0, reg=1.0), 0.7),
        (BiasedMF(factors=2, reg=0.1, reg_bias=0.1, seed=1), 0.7),
        (SVDPlusPlus(factors=2, reg=0.1, reg_bias=0.1, seed=1), 0.7),
        (SocialMF(factors=2, reg=0.1, reg_bias=0.1, social_weight=1.0, seed=1), 0.7),
        (TrustSVD(factors=2, reg=0.1, reg_bias=0.1, social_weight=0.1, seed=1), 0.7),
        (TuanPredictor(inner_folds=3, seed=1), 0.7),
    ],
    ids=lambda value: type(value).__name__ if not isinstance(value, float) else "",
)
def test_rating_models_learn_the_taste_blocks(model: Any, bound: float) -> None:
    train, test, graph = _rating_split()
    assert isinstance(model, RatingPredictor)
    baseline = GlobalAverage()
    baseline.fit(train, graph)
    model.fit(train, graph)
    predictions = model.predict(test.users, test.items)
    assert predictions.shape == (len(test),)
    global_error = rmse(baseline.predict(test.users, test.items), test.values)
    assert global_error > 1.3  # the blocks make the global mean a poor predictor
    error = rmse(predictions, test.values)
    assert error < bound * global_error
    assert predictions.min() >= train.values.min() and predictions.max() <= train.values.max()


def test_user_average_predicts_user_means_and_falls_back_to_global() -> None:
    train = interactions([(0, 0, 1.0), (0, 1, 3.0), (1, 0, 4.0)], 3, 2)
    model = UserAverage()
    model.fit(train, SocialGraph.empty(3))
    np.testing.assert_allclose(
        model.predict(np.array([0, 1, 2]), np.array([1, 1, 1])), [2.0, 4.0, 8.0 / 3.0]
    )


def test_item_average_predicts_item_means_and_falls_back_to_global() -> None:
    train = interactions([(0, 0, 1.0), (1, 0, 3.0), (0, 1, 4.0)], 2, 3)
    model = ItemAverage()
    model.fit(train, SocialGraph.empty(2))
    np.testing.assert_allclose(
        model.predict(np.array([1, 1, 1]), np.array([0, 1, 2])), [2.0, 4.0, 8.0 / 3.0]
    )


def _ranking_split() -> tuple[Interactions, Interactions, SocialGraph]:
    data = two_taste_implicit()
    train, test = carve_validation(data, seed=2)
    links = [(u, u + 1) for u in range(0, 29)] + [(u, u + 1) for u in range(30, 59)]
    return train, test, social(links, data.n_users)


@pytest.mark.parametrize(
    "model",
    [
        ItemKNNRanker(neighbours=20),
        ALS(factors=4, alpha=5.0, reg=1.0, iterations=8, seed=1),
        BPR(factors=8, learning_rate=0.1, reg=0.01, epochs=40, batch_size=64, seed=1),
        SBPR(factors=8, learning_rate=0.1, reg=0.01, epochs=40, batch_size=64, seed=1),
        EASE(reg=5.0, min_item_count=1),
        TuanRanker(als_grid=SMALL_ALS_GRID, ease_grid=SMALL_EASE_GRID, seed=1),
    ],
    ids=lambda model: type(model).__name__,
)
def test_rankers_learn_the_taste_blocks(model: Any) -> None:
    train, test, graph = _ranking_split()
    assert isinstance(model, Ranker)
    popularity = Popularity()
    popularity.fit(train, graph)
    model.fit(train, graph)
    scores = model.score(np.array([0, 59]))
    assert scores.shape == (2, train.n_items)
    # Block A (items 0-19) should outscore block B for user 0, and the reverse for user 59.
    assert scores[0, :20].mean() > scores[0, 20:].mean()
    assert scores[1, 20:].mean() > scores[1, :20].mean()
    ndcg = full_ranking(model, train, test)[0]["ndcg@10"].mean()
    popular_ndcg = full_ranking(popularity, train, test)[0]["ndcg@10"].mean()
    assert ndcg > popular_ndcg + 0.1
    # Scoring a subset of items returns exactly those columns.
    subset = np.array([3, 25, 7])
    np.testing.assert_allclose(model.score(np.array([0, 59]), subset), scores[:, subset], rtol=1e-5)


def _friend_cliques(seed: int) -> tuple[Interactions, SocialGraph]:
    """12 cliques of 6 friends; each clique has 20 items of its own and every member consumes 3
    of them (plus 2 random items from anywhere). Items rarely co-occur, so what a user's friends
    consumed predicts their held-out items better than co-occurrence alone. User 72 is a member
    of clique 0 with no history at all."""
    rows, links = friend_cliques(seed, cliques=12, size=6, own_items=20, picks=3)
    links += [(72, member) for member in range(6)]
    return interactions(sorted(rows), 73, 240), social(links, 73)


def test_tuan_ranker_serves_a_user_without_history_from_their_friends() -> None:
    train, graph = _friend_cliques(seed=4)
    consumed_by_friends = np.unique(train.items[train.users < 6])
    others = np.setdiff1d(np.arange(240), consumed_by_friends)

    def friend_lift(model: TuanRanker) -> float:
        model.fit(train, graph)
        scores = model.score(np.array([72]))[0]
        return float(scores[consumed_by_friends].mean() - scores[others].mean())

    social = TuanRanker(als_grid=SMALL_ALS_GRID, ease_grid=SMALL_EASE_GRID, seed=3)
    plain = TuanRanker(
        als_grid=SMALL_ALS_GRID,
        ease_grid=SMALL_EASE_GRID,
        components=("als", "ease", "popularity"),
        social_regs=(),
        seed=3,
    )
    social_lift = friend_lift(social)
    assert social_lift > 0
    # Without trust signals user 72 looks like any newcomer: friends' items get no lift.
    assert social_lift > friend_lift(plain) + 0.1
    assert social.chosen["als"].get("social_reg", 0) > 0 or social.weights[:, 2:5].sum() > 0


def test_tuan_component_statistics_match_brute_force() -> None:
    train, graph = _friend_cliques(seed=6)
    model = TuanRanker(als_grid=SMALL_ALS_GRID, ease_grid=SMALL_EASE_GRID, seed=2)
    model.fit(train, graph)
    users = np.arange(train.n_users)
    raw = model.fitted.raw_scores(users, np.arange(train.n_items))
    for k, scores in enumerate(raw):
        np.testing.assert_allclose(model.fitted.stats[:, k, 0], scores.mean(axis=1), atol=1e-6)
        std = scores.std(axis=1)
        expected = np.where(std > 1e-9, std, 1.0)
        np.testing.assert_allclose(model.fitted.stats[:, k, 1], expected, rtol=1e-4, atol=1e-6)


def test_sbpr_ranks_friends_items_above_unseen_ones() -> None:
    train, graph = _friend_cliques(seed=5)
    model = SBPR(factors=8, learning_rate=0.1, reg=0.01, epochs=30, batch_size=64, seed=1)
    model.fit(train, graph)
    own = train.to_csr(binary=True)
    friends_items = (graph.undirected() @ own).toarray() > 0
    scores = model.score(np.arange(72))
    unseen = own.toarray()[:72] == 0
    social_mean = scores[friends_items[:72] & unseen].mean()
    other_mean = scores[~friends_items[:72] & unseen].mean()
    assert social_mean > other_mean


def test_popularity_counts_interactions() -> None:
    train = interactions([(0, 1, 1), (1, 1, 1), (1, 2, 1)], 2, 3)
    model = Popularity()
    model.fit(train, SocialGraph.empty(2))
    np.testing.assert_array_equal(model.score(np.array([0])), [[0.0, 2.0, 1.0]])


def test_models_are_deterministic_for_a_seed() -> None:
    train, _, graph = _ranking_split()
    first, second = (ALS(factors=4, seed=9), ALS(factors=4, seed=9))
    first.fit(train, graph)
    second.fit(train, graph)
    np.testing.assert_array_equal(first.score(np.arange(5)), second.score(np.arange(5)))
    bpr_a, bpr_b = (BPR(factors=4, epochs=3, seed=9), BPR(factors=4, epochs=3, seed=9))
    bpr_a.fit(train, graph)
    bpr_b.fit(train, graph)
    np.testing.assert_array_equal(bpr_a.score(np.arange(5)), bpr_b.score(np.arange(5)))
    tuan_a, tuan_b = (
        TuanRanker(als_grid=SMALL_ALS_GRID, ease_grid=SMALL_EASE_GRID, seed=9) for _ in range(2)
    )
    tuan_a.fit(train, graph)
    tuan_b.fit(train, graph)
    np.testing.assert_array_equal(tuan_a.score(np.arange(5)), tuan_b.score(np.arange(5)))
    ratings, _, rating_graph = _rating_split()
    predictor_a, predictor_b = (TuanPredictor(inner_folds=2, seed=9) for _ in range(2))
    predictor_a.fit(ratings, rating_graph)
    predictor_b.fit(ratings, rating_graph)
    pairs = (ratings.users[:20], ratings.items[:20])
    np.testing.assert_array_equal(predictor_a.predict(*pairs), predictor_b.predict(*pairs))
