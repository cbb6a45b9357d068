"""Bar charts of evaluation results (matplotlib, headless)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

PLOTTED = {"rating": ("mae", "rmse"), "ranking": ("precision@10", "recall@10", "ndcg@10", "hr@10")}


def plot_results(report: dict[str, Any], target: Path) -> None:
    """One panel per metric (all users and cold-start users), one bar per model."""
    metrics = PLOTTED[report["task"]]
    results = report["results"]
    names = [r["model"] + (" *" if r["social"] else "") for r in results]
    figure, axes = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 4.5), squeeze=False)
    positions = np.arange(len(results))
    width = 0.4
    for axis, metric in zip(axes[0], metrics, strict=True):
        for offset, (key, spread, label) in enumerate(
            (("metrics", "std", "all users"), ("metrics_cold", "std_cold", "cold-start"))
        ):
            values = [r[key].get(metric, np.nan) for r in results]
            errors = [r[spread].get(metric, 0.0) for r in results]
            axis.bar(
                positions + (offset - 0.5) * width,
                values,
                width,
                yerr=errors,
                capsize=3,
                label=label,
            )
        axis.set_title(metric)
        axis.set_xticks(positions, names, rotation=45, ha="right")
        axis.grid(axis="y", alpha=0.3)
    axes[0][0].legend()
    figure.suptitle(
        f"{report['dataset']} · {report['task']} · {report['protocol']} (* = uses social links)"
    )
    figure.tight_layout()
    target.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(target, dpi=120)
    plt.close(figure)
