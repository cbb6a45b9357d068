"""Render ``tuan recs eval --json`` results as Markdown tables (for docs/recommendations.md).

Usage::

    python benchmarks/recs_report.py results/filmtrust.json [more.json ...]
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


def main() -> None:
    for path in sys.argv[1:]:
        print(render(json.loads(Path(path).read_text())))
        print()


if __name__ == "__main__":
    main()
