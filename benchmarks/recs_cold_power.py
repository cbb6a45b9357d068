"""How large a cold-start gain the 2σ test of issue 6 can detect on a dataset's folds.

The bar: a social model beats the best non-social model on cold-start users when its mean
per-fold gain exceeds twice the fold-to-fold standard deviation of the gain. This script refits
both models on every fold of ``tuan recs eval``'s cross-validation (same seed, the baseline
with the settings the report's JSON chose, so the per-fold gains repeat the report's), keeps
the per-user cold-start figures the report only averages, and measures:

* **sampling noise**: the standard deviation of each fold's gain over a bootstrap of that
  fold's cold-start test users (all of a user's test rows move together). If the observed
  fold-to-fold spread is about this size, the spread *is* the noise of the few cold users;
* **a ceiling** (ranking, ``--ceiling``): the blend weights of Tuan's ranker fitted on each
  fold's cold-start *test* users themselves, ranking within the union of every component's top
  100 items. No honest model can choose weights that way; it bounds what re-weighting the
  signals the ranker already has could gain for cold users;
* **power**: with per-fold gains drawn around a true gain δ with that noise, the chance that
  five folds pass the 2σ test, for a range of δ; and the δ needed for a 50 % and an 80 % chance.

Usage::

    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python benchmarks/recs_cold_power.py \\
        ../shared/datasets/lastfm --task ranking --baseline als \\
        --params-from docs/recs/lastfm_ranking_cv5.json --json docs/recs/lastfm_cold_power.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
from rich.progress import Progress

from tuan.recs import metrics as m
from tuan.recs.data import load_dataset
from tuan.recs.evaluation import build_context, cold_threshold, fold_seed, full_ranking
from tuan.recs.models.base import FloatArray, IntArray
from tuan.recs.models.tuan_ranker import TuanRanker, validation_problem
from tuan.recs.models.weight_search import coordinate_ascent, objective
from tuan.recs.registry import select
from tuan.recs.splits import Fold, cold_start_users

N_SIMULATIONS = 20_000


def _chosen_params(path: Path | None, model: str, n_folds: int) -> list[dict[str, Any]]:
    """The settings the report's run chose for ``model`` in each fold (to skip re-tuning)."""
    if path is None:
        return []
    report = json.loads(path.read_text())
    for result in report["results"]:
        if result["model"] == model:
            params: list[dict[str, Any]] = result["params"]
            if len(params) != n_folds:
                raise SystemExit(f"{path}: {model} has {len(params)} folds, expected {n_folds}")
            return params
    raise SystemExit(f"{path} has no results for {model}")


def _ranking_units(model: Any, fold: Fold, cold: np.ndarray) -> tuple[IntArray, FloatArray]:
    """Cold-start test users and their NDCG@10."""
    per_user, users, _, _ = full_ranking(model, fold.train, fold.test)
    keep = cold[users]
    return users[keep], per_user[f"ndcg@{m.TOP_K}"][keep]


def _rating_units(model: Any, fold: Fold, cold: np.ndarray) -> tuple[IntArray, FloatArray]:
    """Cold-start test rows (their users) and their squared errors."""
    keep = cold[fold.test.users]
    predictions = model.predict(fold.test.users[keep], fold.test.items[keep])
    return fold.test.users[keep], (predictions - fold.test.values[keep]) ** 2


def ceiling_ndcg(model: TuanRanker, fold: Fold, cold: np.ndarray) -> float:
    """Cold-start NDCG@10 of the ranker's components blended with weights chosen on the
    cold-start test users themselves (an upper bound for re-weighting, not a result)."""
    test = fold.test.subset(cold[fold.test.users])
    problem = validation_problem(model.fitted, fold.train, test, "full", model.seed)
    weights = coordinate_ascent(problem, model.components)
    return float(objective(problem, weights))


def fold_figure(task: str, units: FloatArray) -> float:
    """The fold's cold-start figure: mean NDCG@10, or RMSE from the squared errors."""
    return float(units.mean() if task == "ranking" else np.sqrt(units.mean()))


def fold_gain(task: str, ours: FloatArray, theirs: FloatArray) -> float:
    """The report's gain: NDCG difference, or RMSE reduction (positive: ours is better)."""
    gain = fold_figure(task, ours) - fold_figure(task, theirs)
    return gain if task == "ranking" else -gain


def bootstrap_std(
    task: str, users: IntArray, ours: FloatArray, theirs: FloatArray, n: int, seed: int
) -> float:
    """Standard deviation of the fold's gain when its cold-start users are resampled."""
    rng = np.random.default_rng(seed)
    distinct, unit_of = np.unique(users, return_inverse=True)
    rows_of = [np.flatnonzero(unit_of == k) for k in range(len(distinct))]
    gains = np.empty(n)
    for draw in range(n):
        picked = rng.integers(0, len(distinct), len(distinct))
        rows = np.concatenate([rows_of[k] for k in picked])
        gains[draw] = fold_gain(task, ours[rows], theirs[rows])
    return float(gains.std(ddof=1))


def pass_probability(true_gain: float, noise: FloatArray, seed: int) -> float:
    """Chance that per-fold gains ~ N(true_gain, noise_f²) pass mean > 2 · sample std."""
    rng = np.random.default_rng(seed)
    draws = true_gain + rng.standard_normal((N_SIMULATIONS, len(noise))) * noise
    return float((draws.mean(axis=1) > 2.0 * draws.std(axis=1, ddof=1)).mean())


def needed_gain(noise: FloatArray, chance: float, seed: int) -> float:
    """The smallest true gain (to 1e-4) that passes with at least ``chance``."""
    low, high = 0.0, 20.0 * float(noise.max())
    while high - low > 1e-4:
        middle = (low + high) / 2
        low, high = (
            (middle, high) if pass_probability(middle, noise, seed) < chance else (low, middle)
        )
    return high


def measure(args: argparse.Namespace) -> dict[str, Any]:
    dataset = load_dataset(args.dataset)
    context = build_context(dataset, args.task, "cv5", args.seed)
    social_spec, base_spec = select(args.task, "cv5", [args.model, args.baseline])
    base_params = _chosen_params(args.params_from, args.baseline, len(context.folds))
    threshold = cold_threshold(args.task)
    units = _ranking_units if args.task == "ranking" else _rating_units
    folds = []
    with Progress() as progress:
        bar = progress.add_task("fitting both models per fold", total=len(context.folds))
        for fold in context.folds:
            params = base_params[fold.index] if base_params else dict(base_spec.grid[0])
            cold = cold_start_users(fold.train, threshold)
            scored = []
            ceiling = None
            for spec, chosen in ((social_spec, {}), (base_spec, params)):
                model = spec.build(dict(chosen), fold_seed(args.seed, fold.index))
                model.fit(fold.train, dataset.social)
                scored.append(units(model, fold, cold))
                if args.ceiling and isinstance(model, TuanRanker):
                    ceiling = ceiling_ndcg(model, fold, cold)
            (users, ours), (_, theirs) = scored
            folds.append(
                {
                    "fold": fold.index,
                    "cold_users": len(np.unique(users)),
                    "cold_rows": len(users),
                    "ours": fold_figure(args.task, ours),
                    "theirs": fold_figure(args.task, theirs),
                    "gain": fold_gain(args.task, ours, theirs),
                    "ceiling_gain": None if ceiling is None else ceiling - float(theirs.mean()),
                    "bootstrap_std": bootstrap_std(
                        args.task, users, ours, theirs, args.bootstrap, args.seed + fold.index
                    ),
                }
            )
            progress.advance(bar)
    gains = np.array([f["gain"] for f in folds])
    noise = np.array([f["bootstrap_std"] for f in folds])
    curve = [
        {"true_gain": float(g), "pass_probability": pass_probability(float(g), noise, args.seed)}
        for g in np.linspace(0.0, 4.0 * float(noise.max()), 41)
    ]
    return {
        "dataset": dataset.name,
        "task": args.task,
        "model": args.model,
        "baseline": args.baseline,
        "seed": args.seed,
        "folds": folds,
        "mean_gain": float(gains.mean()),
        "fold_to_fold_std": float(gains.std(ddof=1)),
        "mean_bootstrap_std": float(np.sqrt((noise**2).mean())),
        "passes": bool(gains.mean() > 2.0 * gains.std(ddof=1)),
        "needed_gain_50": needed_gain(noise, 0.5, args.seed),
        "needed_gain_80": needed_gain(noise, 0.8, args.seed),
        "baseline_cold_mean": float(np.mean([f["theirs"] for f in folds])),
        "power_curve": curve,
    }


def plot(result: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    curve = result["power_curve"]
    figure, axes = plt.subplots(figsize=(6.4, 4.0))
    axes.plot([p["true_gain"] for p in curve], [p["pass_probability"] for p in curve], lw=2)
    axes.axvline(result["mean_gain"], color="tab:green", ls="--", label="measured mean gain")
    axes.axvline(result["needed_gain_50"], color="tab:red", ls=":", label="gain for a 50 % chance")
    unit = "NDCG@10 gain" if result["task"] == "ranking" else "RMSE reduction"
    axes.set_xlabel(f"true cold-start {unit} of {result['model']} over {result['baseline']}")
    axes.set_ylabel("chance of passing the 2σ test (5 folds)")
    axes.set_title(f"{result['dataset']}: power of the cold-start test")
    axes.set_ylim(0, 1)
    axes.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--task", choices=("rating", "ranking"), required=True)
    parser.add_argument("--model", default="tuan")
    parser.add_argument("--baseline", required=True)
    parser.add_argument("--params-from", type=Path, help="the report's JSON (baseline settings)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bootstrap", type=int, default=2000)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--ceiling", action="store_true", help="ranking: also the cold-start weights ceiling"
    )
    args = parser.parse_args(argv)
    if not (args.dataset / "ratings.tsv").exists():
        print(f"{args.dataset}: no ratings.tsv (is ../shared/datasets there?)", file=sys.stderr)
        return 2
    result = measure(args)
    for fold in result["folds"]:
        print(
            f"fold {fold['fold'] + 1}: {fold['cold_users']} cold users ({fold['cold_rows']} rows),"
            f" {args.model} {fold['ours']:.4f} vs {args.baseline} {fold['theirs']:.4f},"
            f" gain {fold['gain']:+.4f}, bootstrap std {fold['bootstrap_std']:.4f}"
        )
    print(
        f"mean gain {result['mean_gain']:+.4f}, fold-to-fold std {result['fold_to_fold_std']:.4f}"
        f" (sampling noise alone: {result['mean_bootstrap_std']:.4f});"
        f" passes: {result['passes']}"
    )
    ceilings = [f["ceiling_gain"] for f in result["folds"] if f["ceiling_gain"] is not None]
    if ceilings:
        print(
            "ceiling (weights fitted on the test cold users): gains "
            + ", ".join(f"{gain:+.4f}" for gain in ceilings)
            + f"; mean {np.mean(ceilings):+.4f} ± {np.std(ceilings, ddof=1):.4f}"
        )
    print(
        f"true gain needed for a 50 % chance to pass: {result['needed_gain_50']:.4f},"
        f" for 80 %: {result['needed_gain_80']:.4f}"
        f" (baseline's cold-start figure: {result['baseline_cold_mean']:.4f})"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
        plot(result, args.json.with_suffix(".png"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
