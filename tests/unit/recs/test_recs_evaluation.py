from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np
from recs_synthetic import interactions, two_taste_implicit, two_taste_ratings

from tuan.recs.data import Dataset, Interactions, SocialGraph
from tuan.recs.evaluation import (
    ModelRun,
    ModelSpec,
    build_context,
    cold_start_comparison,
    evaluate,
    full_ranking,
    sampled_ranking,
)
from tuan.recs.models.baselines import ItemKNNRanker, Popularity, UserAverage


def _dataset(data: Interactions, split: dict[str, Interactions] | None = None) -> Dataset:
    return Dataset(
        name="synthetic",
        user_labels=[str(u) for u in range(data.n_users)],
        item_labels=[str(i) for i in range(data.n_items)],
        ratings=data,
        social=SocialGraph.empty(data.n_users),
        split=split,
    )


class SpyRanker:
    """Records everything it is trained on; scores items by index (a fixed, known ranking)."""

    uses_social: ClassVar[bool] = False
    fitted_on: ClassVar[list[set[tuple[int, int]]]] = []

    def __init__(self, **_: Any) -> None:
        pass

    def fit(self, train: Interactions, social: SocialGraph) -> None:
        SpyRanker.fitted_on.append(
            set(zip(train.users.tolist(), train.items.tolist(), strict=True))
        )
        self.n_items = train.n_items

    def score(self, user_ids: np.ndarray, item_ids: np.ndarray | None = None) -> np.ndarray:
        items = np.arange(self.n_items) if item_ids is None else item_ids
        return np.tile(-items.astype(np.float64), (len(user_ids), 1))


def test_no_test_interaction_ever_reaches_fit_or_tuning() -> None:
    data = two_taste_implicit()
    dataset = _dataset(data)
    spec = ModelSpec("spy", "ranking", False, lambda p, s: SpyRanker(**p), ({"a": 1}, {"a": 2}))
    SpyRanker.fitted_on.clear()
    context = build_context(dataset, "ranking", "cv5", seed=0)
    evaluate(dataset, "ranking", "cv5", [spec], seed=0)
    # Per fold: two grid points on the tuning rows, then one refit on the training rows.
    assert len(SpyRanker.fitted_on) == 5 * 3
    for index, fold in enumerate(context.folds):
        test = set(zip(fold.test.users.tolist(), fold.test.items.tolist(), strict=True))
        validation = set(
            zip(fold.validation.users.tolist(), fold.validation.items.tolist(), strict=True)
        )
        tuning_fit, _, final_fit = SpyRanker.fitted_on[index * 3 : index * 3 + 3]
        assert not tuning_fit & test and not tuning_fit & validation
        assert not final_fit & test
        assert final_fit & validation == validation  # the refit does use the validation rows


def test_full_ranking_excludes_training_items_and_unseen_items() -> None:
    # Items 0..2 seen in training by user 0; item 5 never seen by anyone in training.
    train = interactions([(0, 0, 1), (0, 1, 1), (0, 2, 1), (1, 3, 1), (1, 4, 1)], 2, 6)
    test = interactions([(0, 3, 1), (0, 5, 1)], 2, 6)
    spy = SpyRanker()
    spy.fit(train, SocialGraph.empty(2))
    per_user, users, lists, _ = full_ranking(spy, train, test)
    np.testing.assert_array_equal(users, [0])
    # Spy prefers low item ids: 0-2 are removed as training items, 5 is not recommendable.
    np.testing.assert_array_equal(lists[0][:2], [3, 4])
    assert (lists[0][2:] == -1).all()
    assert per_user["precision@10"][0] == 1 / 10
    assert per_user["recall@10"][0] == 1 / 2
    assert math.isclose(per_user["ndcg@10"][0], 1.0 / (1.0 + 1.0 / math.log2(3)))


def test_sampled_ranking_scores_positives_against_known_free_negatives() -> None:
    data = two_taste_implicit(n_users=10, n_items=1200)
    known = data.to_csr(binary=True)
    test = data.subset(np.arange(len(data)) % 4 == 0)
    spy = SpyRanker()
    spy.fit(data, SocialGraph.empty(data.n_users))
    per_repeat, users, _ = sampled_ranking(spy, test, known, np.arange(1200), seed=1, repeats=2)
    assert len(per_repeat) == 2
    assert len(users) == len(np.unique(test.users))
    for metrics in per_repeat:
        assert ((metrics["ndcg@10"] >= 0) & (metrics["ndcg@10"] <= 1)).all()


def test_same_seed_gives_identical_reports_and_another_seed_differs() -> None:
    dataset = _dataset(two_taste_implicit())
    specs = [
        ModelSpec("popularity", "ranking", False, lambda p, s: Popularity()),
        ModelSpec(
            "item_knn",
            "ranking",
            False,
            lambda p, s: ItemKNNRanker(**p),
            ({"neighbours": 5}, {"neighbours": 20}),
        ),
    ]
    first = evaluate(dataset, "ranking", "cv5", specs, seed=11)
    second = evaluate(dataset, "ranking", "cv5", specs, seed=11)
    other = evaluate(dataset, "ranking", "cv5", specs, seed=12)
    strip = lambda report: [  # noqa: E731
        {k: v for k, v in r.items() if not k.endswith("seconds")} for r in report["results"]
    ]
    assert strip(first) == strip(second)
    assert strip(first) != strip(other)


def test_rating_report_has_the_published_metric_names_and_cold_subset() -> None:
    data = two_taste_ratings()
    # Make user 0 cold: keep only 2 of its ratings.
    keep = (data.users != 0) | (np.cumsum(data.users == 0) <= 2)
    dataset = _dataset(data.subset(keep))
    report = evaluate(
        dataset,
        "rating",
        "cv5",
        [ModelSpec("user_avg", "rating", False, lambda p, s: UserAverage())],
    )
    result = report["results"][0]
    assert set(result["metrics"]) == {"mae", "rmse"}
    assert set(result["metrics_cold"]) == {"mae", "rmse"}
    assert report["n_rounds"] == 5
    assert result["std"]["rmse"] >= 0


def _run(name: str, social: bool, cold_ndcg: list[float]) -> ModelRun:
    spec = ModelSpec(name, "ranking", social, lambda p, s: None)
    run = ModelRun(spec)
    run.rounds = [{"ndcg@10": 0.0} for _ in cold_ndcg]
    run.rounds_cold = [{"ndcg@10": value} for value in cold_ndcg]
    return run


def test_cold_start_comparison_pairs_rounds_against_the_best_plain_model() -> None:
    runs = [
        _run("weak", False, [0.10, 0.10, 0.10]),
        _run("strong", False, [0.20, 0.22, 0.18]),
        _run("social_good", True, [0.30, 0.32, 0.28]),  # +0.10 every round
        _run("social_noisy", True, [0.40, 0.10, 0.30]),
    ]
    by_model = {c["model"]: c for c in cold_start_comparison(runs, "ranking")}
    good = by_model["social_good"]
    assert good["against"] == "strong"
    assert math.isclose(good["mean_gain"], 0.10)
    assert good["std_gain"] < 1e-12 and good["passes"]
    noisy = by_model["social_noisy"]
    assert math.isclose(noisy["mean_gain"], (0.2 - 0.12 + 0.12) / 3)
    assert not noisy["passes"]
