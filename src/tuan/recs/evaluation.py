"""Evaluation protocols: k-fold CV, fixed split and DiffNet's sampled ranking.

``evaluate`` runs every requested model through the same rounds. Per fold each model is tuned
on validation rows carved from that fold's training data (never on test rows), refitted on the
whole training data with the chosen hyperparameters, and scored on the test rows:

* rating task: MAE and RMSE over test ratings;
* ranking task, ``cv5``/``split``: each test user's top 10 among all items seen in training,
  minus the user's training items (QRec's protocol for the MHCN/SEPT tables);
* ranking task, ``sampled``: each test user's positives ranked among 1,000 items the user never
  interacted with in any split, repeated 10 times (DiffNet's protocol).

Cold-start figures use only test users with fewer than 5 (rating) or 20 (ranking) interactions
in the fold's training data.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

from tuan.recs import metrics as m
from tuan.recs.data import Dataset, Interactions
from tuan.recs.models.base import FloatArray, IntArray, Ranker, RatingPredictor
from tuan.recs.splits import (
    RANKING_COLD_THRESHOLD,
    RATING_COLD_THRESHOLD,
    Fold,
    cold_start_users,
    cross_validation_folds,
    fixed_split_fold,
    sample_negatives,
)

Task = Literal["rating", "ranking"]
ProtocolName = Literal["cv5", "split", "sampled"]
Model = RatingPredictor | Ranker
ProgressCallback = Callable[[str], None]

N_NEGATIVES = 1000
N_SAMPLED_REPEATS = 10
SCORE_BATCH = 512
PRIMARY_METRIC: dict[Task, str] = {"rating": "rmse", "ranking": f"ndcg@{m.TOP_K}"}
LOWER_IS_BETTER = {"mae", "rmse"}


@dataclass(frozen=True)
class ModelSpec:
    """How to build a model, and the small grid its hyperparameters are tuned over."""

    name: str
    task: Task
    social: bool
    build: Callable[[dict[str, Any], int], Any]
    grid: tuple[dict[str, Any], ...] = ({},)
    summary: str = ""
    # Ablation variants only run when asked for by name.
    default: bool = True


@dataclass
class ModelRun:
    """Everything measured for one model: one metrics dict per round (fold or repeat)."""

    spec: ModelSpec
    rounds: list[dict[str, float]] = field(default_factory=list)
    rounds_cold: list[dict[str, float]] = field(default_factory=list)
    params: list[dict[str, Any]] = field(default_factory=list)
    tune_seconds: list[float] = field(default_factory=list)
    train_seconds: list[float] = field(default_factory=list)
    score_seconds: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {
            "model": self.spec.name,
            "social": self.spec.social,
            "metrics": _mean(self.rounds),
            "std": _std(self.rounds),
            "metrics_cold": _mean(self.rounds_cold),
            "std_cold": _std(self.rounds_cold),
            "train_seconds": float(np.mean(self.train_seconds)),
            "tune_seconds": float(np.mean(self.tune_seconds)),
            "score_seconds": float(np.mean(self.score_seconds)),
            "params": self.params,
            "rounds": self.rounds,
            "rounds_cold": self.rounds_cold,
        }


def _mean(rounds: list[dict[str, float]]) -> dict[str, float]:
    return {key: float(np.mean([r[key] for r in rounds])) for key in rounds[0]} if rounds else {}


def _std(rounds: list[dict[str, float]]) -> dict[str, float]:
    """Sample standard deviation over rounds (0 when there is a single round)."""
    if len(rounds) < 2:
        return dict.fromkeys(rounds[0], 0.0) if rounds else {}
    return {key: float(np.std([r[key] for r in rounds], ddof=1)) for key in rounds[0]}


# -- protocol context -------------------------------------------------------------------------


@dataclass(frozen=True)
class EvaluationContext:
    dataset: Dataset
    task: Task
    protocol: ProtocolName
    seed: int
    folds: list[Fold]
    known: sp.csr_matrix  # every interaction in any split (sampled negatives avoid these)


def build_context(
    dataset: Dataset, task: Task, protocol: ProtocolName, seed: int
) -> EvaluationContext:
    if protocol == "cv5":
        folds = cross_validation_folds(dataset.ratings, 5, seed)
    elif protocol in ("split", "sampled"):
        folds = [fixed_split_fold(dataset, seed)]
    else:
        raise ValueError(f"unknown protocol {protocol!r}")
    if task == "rating" and protocol == "sampled":
        raise ValueError("the sampled protocol is a ranking protocol")
    known = dataset.all_interactions().to_csr(binary=True)
    return EvaluationContext(dataset, task, protocol, seed, folds, known)


# -- scoring helpers --------------------------------------------------------------------------


def _test_positives(test: Interactions) -> tuple[sp.csr_matrix, IntArray]:
    positives = test.to_csr(binary=True)
    users = np.flatnonzero(np.diff(positives.indptr) > 0).astype(np.int64)
    return positives, users


def _batches(users: IntArray) -> list[IntArray]:
    return [users[start : start + SCORE_BATCH] for start in range(0, len(users), SCORE_BATCH)]


def _mask_scores(
    scores: FloatArray, users: IntArray, seen: sp.csr_matrix, recommendable: np.ndarray
) -> FloatArray:
    """Remove items a user already has and items nobody interacted with in training."""
    scores = np.where(recommendable[None, :], scores, -np.inf)
    block = seen[users]
    rows = np.repeat(np.arange(len(users)), np.diff(block.indptr))
    scores[rows, block.indices] = -np.inf
    return scores


def full_ranking(
    model: Ranker, train: Interactions, test: Interactions, users: IntArray | None = None
) -> tuple[dict[str, FloatArray], IntArray, IntArray, float]:
    """Per-user top-K metrics over all recommendable items; returns (metrics, users, lists, s)."""
    positives, test_users = _test_positives(test)
    if users is not None:
        test_users = np.intersect1d(test_users, users)
    seen = train.to_csr(binary=True)
    recommendable = train.item_counts() > 0
    top_lists = np.empty((len(test_users), m.TOP_K), dtype=np.int64)
    seconds = 0.0
    for start in range(0, len(test_users), SCORE_BATCH):
        batch = test_users[start : start + SCORE_BATCH]
        started = time.perf_counter()
        scores = model.score(batch)
        seconds += time.perf_counter() - started
        masked = _mask_scores(np.asarray(scores, dtype=np.float64), batch, seen, recommendable)
        top_lists[start : start + len(batch)] = m.top_k_items(masked, m.TOP_K)
    hits = m.ranking_hits(top_lists, positives, test_users)
    n_positives = np.diff(positives.indptr)[test_users].astype(np.float64)
    return m.ranking_metrics_from_hits(hits, n_positives), test_users, top_lists, seconds


def sampled_ranking(
    model: Ranker,
    test: Interactions,
    known: sp.csr_matrix,
    candidates: IntArray,
    seed: int,
    repeats: int,
) -> tuple[list[dict[str, FloatArray]], IntArray, float]:
    """Per-user metrics for each repeat of the 1,000-negative protocol."""
    positives, test_users = _test_positives(test)
    per_repeat: list[list[dict[str, FloatArray]]] = [[] for _ in range(repeats)]
    seconds = 0.0
    for batch in _batches(test_users):
        started = time.perf_counter()
        scores = np.asarray(model.score(batch), dtype=np.float64)
        seconds += time.perf_counter() - started
        block = positives[batch]
        counts = np.diff(block.indptr)
        padded = np.full((len(batch), int(counts.max())), np.nan)
        rows = np.repeat(np.arange(len(batch)), counts)
        columns = np.arange(len(rows)) - np.repeat(block.indptr[:-1], counts)
        padded[rows, columns] = scores[rows, block.indices]
        for repeat in range(repeats):
            negatives = sample_negatives(known, batch, candidates, N_NEGATIVES, seed, repeat)
            ranks = m.sampled_ranks(padded, np.take_along_axis(scores, negatives, axis=1))
            per_repeat[repeat].append(m.sampled_metrics(ranks, counts.astype(np.float64), m.TOP_K))
    merged = [
        {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
        for parts in per_repeat
    ]
    return merged, test_users, seconds


def _beyond_accuracy(
    top_lists: IntArray, train: Interactions, tail: np.ndarray
) -> dict[str, float]:
    n_recommendable = int((train.item_counts() > 0).sum())
    return {
        f"coverage@{m.TOP_K}": m.coverage(top_lists, n_recommendable),
        f"long_tail@{m.TOP_K}": m.long_tail_share(top_lists, tail),
    }


def _average(per_user: dict[str, FloatArray], mask: np.ndarray) -> dict[str, float]:
    if not mask.any():
        return {key: float("nan") for key in per_user}
    return {key: float(values[mask].mean()) for key, values in per_user.items()}


# -- tuning -----------------------------------------------------------------------------------


def validation_score(
    spec: ModelSpec, model: Any, context: EvaluationContext, fold: Fold, seed: int
) -> float:
    """The task's primary metric on the fold's validation rows, oriented so higher is better."""
    if spec.task == "rating":
        predictions = model.predict(fold.validation.users, fold.validation.items)
        return -m.rmse(predictions, fold.validation.values)
    key = PRIMARY_METRIC["ranking"]
    if context.protocol == "sampled":
        candidates = np.arange(context.dataset.n_items, dtype=np.int64)
        per_repeat, _, _ = sampled_ranking(
            model, fold.validation, context.known, candidates, seed + 7919, 1
        )
        return float(per_repeat[0][key].mean())
    per_user, _, _, _ = full_ranking(model, fold.tuning_train, fold.validation)
    return float(per_user[key].mean())


def tune(
    spec: ModelSpec, context: EvaluationContext, fold: Fold, seed: int
) -> tuple[dict[str, Any], list[tuple[dict[str, Any], float]]]:
    """Pick the grid point with the best validation score (first one wins ties)."""
    if len(spec.grid) == 1:
        return dict(spec.grid[0]), []
    scored = []
    for params in spec.grid:
        model = spec.build(dict(params), seed)
        model.fit(fold.tuning_train, context.dataset.social)
        scored.append((dict(params), validation_score(spec, model, context, fold, seed)))
    best = max(range(len(scored)), key=lambda index: (scored[index][1], -index))
    return scored[best][0], scored


# -- the run ----------------------------------------------------------------------------------


def fold_seed(seed: int, fold_index: int) -> int:
    """The seed a model is built with for one fold of a run."""
    return seed * 1000 + fold_index


def cold_threshold(task: Task) -> int:
    """Users with fewer training interactions than this are cold-start users."""
    return RATING_COLD_THRESHOLD if task == "rating" else RANKING_COLD_THRESHOLD


def evaluate_model(
    spec: ModelSpec, context: EvaluationContext, progress: ProgressCallback | None = None
) -> ModelRun:
    run = ModelRun(spec)
    social = context.dataset.social
    threshold = cold_threshold(spec.task)
    for fold in context.folds:
        seed = fold_seed(context.seed, fold.index)
        started = time.perf_counter()
        params, _ = tune(spec, context, fold, seed)
        run.tune_seconds.append(time.perf_counter() - started)
        run.params.append(params)
        model = spec.build(dict(params), seed)
        started = time.perf_counter()
        model.fit(fold.train, social)
        run.train_seconds.append(time.perf_counter() - started)
        cold = cold_start_users(fold.train, threshold)
        if spec.task == "rating":
            _score_ratings(run, model, fold, cold)
        elif context.protocol == "sampled":
            _score_sampled(run, model, fold, context, cold)
        else:
            _score_full(run, model, fold, cold)
        if progress is not None:
            progress(f"{spec.name} fold {fold.index + 1}/{len(context.folds)}")
    return run


def _score_ratings(run: ModelRun, model: Any, fold: Fold, cold: np.ndarray) -> None:
    started = time.perf_counter()
    predictions = model.predict(fold.test.users, fold.test.items)
    run.score_seconds.append(time.perf_counter() - started)
    actual = fold.test.values
    is_cold = cold[fold.test.users]
    run.rounds.append({"mae": m.mae(predictions, actual), "rmse": m.rmse(predictions, actual)})
    run.rounds_cold.append(
        {
            "mae": m.mae(predictions[is_cold], actual[is_cold]) if is_cold.any() else float("nan"),
            "rmse": m.rmse(predictions[is_cold], actual[is_cold])
            if is_cold.any()
            else float("nan"),
        }
    )


def _score_full(run: ModelRun, model: Any, fold: Fold, cold: np.ndarray) -> None:
    per_user, users, top_lists, seconds = full_ranking(model, fold.train, fold.test)
    run.score_seconds.append(seconds)
    tail = m.long_tail_items(fold.train.item_counts())
    is_cold = cold[users]
    run.rounds.append(
        _average(per_user, np.ones(len(users), bool))
        | _beyond_accuracy(top_lists, fold.train, tail)
    )
    run.rounds_cold.append(
        _average(per_user, is_cold) | _beyond_accuracy(top_lists[is_cold], fold.train, tail)
    )


def _score_sampled(
    run: ModelRun, model: Any, fold: Fold, context: EvaluationContext, cold: np.ndarray
) -> None:
    candidates = np.arange(context.dataset.n_items, dtype=np.int64)
    per_repeat, users, seconds = sampled_ranking(
        model, fold.test, context.known, candidates, context.seed, N_SAMPLED_REPEATS
    )
    run.score_seconds.append(seconds)
    # Beyond-accuracy figures describe the real top-10 lists, so they come from full ranking.
    _, full_users, top_lists, _ = full_ranking(model, fold.train, fold.test)
    tail = m.long_tail_items(fold.train.item_counts())
    extra = _beyond_accuracy(top_lists, fold.train, tail)
    extra_cold = _beyond_accuracy(top_lists[cold[full_users]], fold.train, tail)
    is_cold = cold[users]
    for per_user in per_repeat:
        run.rounds.append(_average(per_user, np.ones(len(users), bool)) | extra)
        run.rounds_cold.append(_average(per_user, is_cold) | extra_cold)


def cold_start_comparison(runs: Sequence[ModelRun], task: Task) -> list[dict[str, Any]]:
    """Each social model against the best non-social model on cold-start users.

    The difference is paired round by round (same folds or same negatives); a model passes when
    its mean improvement exceeds twice the round-to-round standard deviation of the difference.
    """
    key = PRIMARY_METRIC[task]
    sign = -1.0 if key in LOWER_IS_BETTER else 1.0
    plain = [run for run in runs if not run.spec.social and run.rounds_cold]
    social = [run for run in runs if run.spec.social and run.rounds_cold]
    if not plain or not social:
        return []
    best_plain = max(plain, key=lambda run: sign * _mean(run.rounds_cold)[key])
    comparisons = []
    for run in social:
        gains = np.array(
            [
                sign * (ours[key] - theirs[key])
                for ours, theirs in zip(run.rounds_cold, best_plain.rounds_cold, strict=True)
            ]
        )
        spread = float(np.std(gains, ddof=1)) if len(gains) > 1 else 0.0
        comparisons.append(
            {
                "model": run.spec.name,
                "against": best_plain.spec.name,
                "metric": key,
                "mean_gain": float(gains.mean()),
                "std_gain": spread,
                "passes": bool(gains.mean() > 2.0 * spread),
            }
        )
    return comparisons


def evaluate(
    dataset: Dataset,
    task: Task,
    protocol: ProtocolName,
    specs: Sequence[ModelSpec],
    seed: int = 0,
    progress: ProgressCallback | None = None,
) -> dict[str, Any]:
    """Run every model through the protocol; returns the JSON-ready report."""
    context = build_context(dataset, task, protocol, seed)
    runs = [evaluate_model(spec, context, progress) for spec in specs]
    return {
        "dataset": dataset.name,
        "task": task,
        "protocol": protocol,
        "seed": seed,
        "n_rounds": len(runs[0].rounds) if runs else 0,
        "results": [run.summary() for run in runs],
        "cold_start_comparison": cold_start_comparison(runs, task),
    }
