"""Tuan's one-user scoring path (the feed call) against the batch arithmetic, and seeding."""

from __future__ import annotations

import json

import numpy as np
from recs_synthetic import friend_cliques, interactions, social, two_taste_ratings

from tuan.recs.data import Dataset, Interactions, SocialGraph
from tuan.recs.evaluation import evaluate
from tuan.recs.models.base import FloatArray, IntArray
from tuan.recs.models.tuan_ranker import COMPONENTS, TuanRanker
from tuan.recs.registry import select

SMALL_ALS_GRID = ({"factors": 4, "alpha": 5.0, "reg": 1.0},)
SMALL_EASE_GRID = ({"reg": 5.0},)
TASTE = COMPONENTS.index("friends_taste")


def _cliques(seed: int) -> tuple[Interactions, SocialGraph]:
    """8 cliques of 5 friends, each with 15 items of its own; members consume 4 of them plus 2
    random items. User 40 has friends in clique 0 and no history."""
    rows, links = friend_cliques(seed, cliques=8, size=5, own_items=15, picks=4)
    links += [(40, member) for member in range(5)] + [(3, 12), (17, 30)]
    return interactions(sorted(rows), 41, 120), social(links, 41)


def _reference_score(model: TuanRanker, users: IntArray, items: IntArray) -> FloatArray:
    """The scoring code as it was before the one-user path: z-scored components of the batch
    path, blended with per-user weights w + v h(u)."""
    parts = model.fitted.scores(users, items)
    gate = model.fitted.gate[users]
    total = np.zeros((len(users), len(items)))
    for k, part in enumerate(parts):
        total += (model.weights[0, k] + model.weights[1, k] * gate)[:, None] * part
    return total


def _fitted_ranker() -> TuanRanker:
    train, graph = _cliques(seed=3)
    model = TuanRanker(als_grid=SMALL_ALS_GRID, ease_grid=SMALL_EASE_GRID, seed=1)
    model.fit(train, graph)
    # Every component with a non-zero weight, so that each of them is exercised.
    model.weights = np.random.default_rng(0).uniform(-1.5, 1.5, model.weights.shape)
    return model


def _candidate_sets(n_items: int) -> list[IntArray | None]:
    rng = np.random.default_rng(1)
    return [
        None,  # every item
        rng.choice(n_items, 100, replace=False).astype(np.int64),  # most of the catalogue
        rng.choice(n_items, 7, replace=False).astype(np.int64),  # a short list (gathered first)
        np.array([5, 5, 0], dtype=np.int64),  # repeats are allowed
    ]


def test_one_user_scores_equal_the_batch_arithmetic_to_1e9() -> None:
    model = _fitted_ranker()
    model.weights[:, TASTE] = 0.0  # the only component computed in float32 on the fast path
    n_items = len(model.fitted.popularity)
    for items in _candidate_sets(n_items):
        wanted = np.arange(n_items, dtype=np.int64) if items is None else items
        for user in (0, 12, 33, 40):
            users = np.array([user], dtype=np.int64)
            np.testing.assert_allclose(
                model.score(users, items), _reference_score(model, users, wanted), atol=1e-9
            )
        # A handful of users goes through the same path, row by row. (The reference is taken
        # user by user too: a float32 matrix product for several users may sum in another
        # order than one for a single user, so even the old code differed there by ~1e-7.)
        users = np.array([1, 40, 7], dtype=np.int64)
        reference = [_reference_score(model, users[i : i + 1], wanted)[0] for i in range(3)]
        np.testing.assert_allclose(model.score(users, items), np.array(reference), atol=1e-9)


def test_one_user_ranking_equals_the_batch_ranking_with_float32_taste() -> None:
    model = _fitted_ranker()
    assert model.weights[:, TASTE].any()
    n_items = len(model.fitted.popularity)
    for items in _candidate_sets(n_items):
        wanted = np.arange(n_items, dtype=np.int64) if items is None else items
        for user in range(model.fitted.gate.shape[0]):
            users = np.array([user], dtype=np.int64)
            fast = model.score(users, items)[0]
            reference = _reference_score(model, users, wanted)[0]
            np.testing.assert_allclose(fast, reference, rtol=1e-5, atol=1e-5)
            # The fast order is also an order of the reference scores (up to float32 ties).
            in_fast_order = reference[np.argsort(-fast, kind="stable")]
            assert (np.diff(in_fast_order) <= 1e-5).all()


def test_batches_still_use_the_batch_path() -> None:
    model = _fitted_ranker()
    users = np.arange(model.fitted.gate.shape[0], dtype=np.int64)
    assert len(users) > 8
    np.testing.assert_array_equal(
        model.score(users), _reference_score(model, users, np.arange(120, dtype=np.int64))
    )


def test_same_seed_gives_the_same_tuan_ranker_and_another_seed_does_not() -> None:
    train, graph = _cliques(seed=5)
    fits = []
    for seed in (4, 4, 5):
        model = TuanRanker(als_grid=SMALL_ALS_GRID, ease_grid=SMALL_EASE_GRID, seed=seed)
        model.fit(train, graph)
        fits.append((model.weights.copy(), model.score(np.arange(train.n_users))))
    np.testing.assert_array_equal(fits[0][0], fits[1][0])
    np.testing.assert_array_equal(fits[0][1], fits[1][1])
    assert not np.array_equal(fits[0][1], fits[2][1])


def test_same_seed_gives_the_same_evaluation_report_for_tuan_predictor() -> None:
    """The whole rating evaluation (folds, tuning, Tuan's inner folds) twice with one seed."""
    data = two_taste_ratings()
    graph = social([(a, a + 1) for a in range(0, 38, 2)], data.n_users)
    dataset = Dataset(
        name="tiny",
        user_labels=[str(u) for u in range(data.n_users)],
        item_labels=[str(i) for i in range(data.n_items)],
        ratings=data,
        social=graph,
        split=None,
    )
    specs = select("rating", "cv5", ["user_avg", "tuan"])
    first, second = (evaluate(dataset, "rating", "cv5", specs, seed=3) for _ in range(2))
    strip = lambda report: [  # noqa: E731
        {k: v for k, v in r.items() if not k.endswith("seconds")} for r in report["results"]
    ]
    # Compared as JSON text, as the CLI writes it (NaN, for an empty cold subset, is not == NaN).
    assert json.dumps(strip(first)) == json.dumps(strip(second))
    assert json.dumps(first["cold_start_comparison"]) == json.dumps(second["cold_start_comparison"])


class _FixedScores:
    """A candidate whose score for every user is a fixed item vector."""

    def __init__(self, item_scores: FloatArray) -> None:
        self.item_scores = item_scores

    def score(self, user_ids: IntArray, item_ids: IntArray | None = None) -> FloatArray:
        return np.tile(self.item_scores, (len(user_ids), 1))


def test_a_candidate_never_inherits_the_validation_score_of_a_freed_one() -> None:
    """Candidates are remembered by id(); a freed one's id can be handed to the next model
    built, which must then be scored on its own (this once gave EASE settings an ALS score and
    made the same seed pick other settings in another process)."""
    everyone_elses = [(6, 2, 1.0), (7, 3, 1.0)]
    train = interactions([(u, u % 2, 1.0) for u in range(6)] + everyone_elses, 8, 4)
    validation = interactions([(u, 3, 1.0) for u in range(6)], 8, 4)
    ranker = TuanRanker(seed=0)
    good, bad = np.array([0.0, 0.0, 0.0, 1.0]), np.array([0.0, 0.0, 1.0, 0.0])
    for _ in range(20):  # a freed object's address is usually reused at once
        first, second = _FixedScores(bad), _FixedScores(good)
        ranker._pick([({}, first), ({}, second)], train, validation)  # type: ignore[list-item]
        del first, second
        newcomer, rival = _FixedScores(good), _FixedScores(bad)
        picked = ranker._pick([({}, rival), ({"new": True}, newcomer)], train, validation)  # type: ignore[list-item]
        assert picked[0] == {"new": True}
