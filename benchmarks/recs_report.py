"""Render ``tuan recs eval --json`` results as Markdown tables (for docs/recommendations.md).

Usage::

    python benchmarks/recs_report.py results/filmtrust.json [more.json ...]
    python benchmarks/recs_report.py --paired tuan docs/recs/lastfm_ranking_cv5_ablations.json

``--paired MODEL`` adds, for every other model of the file, the fold-by-fold difference
MODEL minus that model on the primary metric (all users and cold-start users), with the mean,
the standard deviation of the difference and whether the mean exceeds twice that deviation.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

RATING = ("mae", "rmse")
RANKING = ("precision@10", "recall@10", "ndcg@10", "hr@10")
EXTRA = ("coverage@10", "long_tail@10")


def _cell(metrics: dict[str, float], spread: dict[str, float], key: str) -> str:
    value = metrics.get(key)
    if value is None or value != value:
        return "–"
    return f"{value:.4f} ± {spread.get(key, 0.0):.4f}"


def render(report: dict[str, Any]) -> str:
    ranking = report["task"] == "ranking"
    keys = RANKING if ranking else RATING
    header = ["model", "social", *keys]
    if ranking:
        header += list(EXTRA)
    header += [f"cold {key}" for key in keys] + ["fit s/fold", "tune s/fold", "score s/fold"]
    lines = [
        f"**{report['dataset']} · {report['task']} · {report['protocol']} · seed "
        f"{report.get('seed', 0)}** (mean ± std over {report['n_rounds']} rounds; "
        f"wall time {report.get('wall_seconds', 0.0) / 60:.1f} min)",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for result in report["results"]:
        row = [result["model"], "yes" if result["social"] else "no"]
        row += [_cell(result["metrics"], result["std"], key) for key in keys]
        if ranking:
            row += [f"{result['metrics'].get(key, float('nan')):.3f}" for key in EXTRA]
        row += [_cell(result["metrics_cold"], result["std_cold"], key) for key in keys]
        row += [
            f"{result['train_seconds']:.1f}",
            f"{result['tune_seconds']:.1f}",
            f"{result['score_seconds']:.2f}",
        ]
        lines.append("| " + " | ".join(row) + " |")
    for comparison in report.get("cold_start_comparison", []):
        verdict = "passes" if comparison["passes"] else "does not pass"
        lines.append(
            f"\nCold start, {comparison['model']} vs {comparison['against']} "
            f"({comparison['metric']}): mean gain {comparison['mean_gain']:+.4f}, "
            f"std of the gain {comparison['std_gain']:.4f} → {verdict} the 2σ test."
        )
    return "\n".join(lines)


def paired(report: dict[str, Any], reference: str) -> str:
    """Per-fold differences of ``reference`` against each other model (primary metric)."""
    key = "rmse" if report["task"] == "rating" else "ndcg@10"
    sign = -1.0 if key == "rmse" else 1.0  # a gain is a lower RMSE or a higher NDCG
    results = {result["model"]: result for result in report["results"]}
    base = results[reference]
    lines = [
        f"**Paired differences on {key}: gain of {reference} over each model** (per fold "
        "and mean ± std of the gain; 2σ: the mean exceeds twice the std)",
        "",
        "| against | users | per-fold gain | mean gain | std | 2σ |",
        "|---|---|---|---|---|---|",
    ]
    for name, result in results.items():
        if name == reference:
            continue
        for subset, rounds in (("all", "rounds"), ("cold", "rounds_cold")):
            gains = [
                sign * (mine[key] - theirs[key])
                for mine, theirs in zip(base[rounds], result[rounds], strict=True)
            ]
            mean = sum(gains) / len(gains)
            std = (sum((g - mean) ** 2 for g in gains) / max(len(gains) - 1, 1)) ** 0.5
            folds = ", ".join(f"{gain:+.4f}" for gain in gains)
            verdict = "yes" if mean > 2 * std else "no"
            lines.append(f"| {name} | {subset} | {folds} | {mean:+.4f} | {std:.4f} | {verdict} |")
    return "\n".join(lines)


def main() -> None:
    arguments = sys.argv[1:]
    reference = None
    if arguments[:1] == ["--paired"]:
        reference, arguments = arguments[1], arguments[2:]
    for path in arguments:
        report = json.loads(Path(path).read_text())
        print(render(report))
        print()
        if reference is not None:
            print(paired(report, reference))
            print()


if __name__ == "__main__":
    main()
