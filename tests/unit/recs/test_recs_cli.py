from __future__ import annotations

import json
from pathlib import Path

from recs_synthetic import write_dataset
from typer.testing import CliRunner

from tuan.recs.cli import app

runner = CliRunner()


def _tiny_dataset(folder: Path) -> Path:
    ratings = [
        (f"u{user}", f"i{(user * 3 + step) % 17}", 1.0 + (user + step) % 4)
        for user in range(30)
        for step in range(7)
    ]
    links = [(f"u{user}", f"u{(user + 1) % 30}") for user in range(30)]
    return write_dataset(folder, ratings, links)


def test_eval_writes_the_documented_json_and_plot_draws_it(tmp_path: Path) -> None:
    folder = _tiny_dataset(tmp_path / "tiny")
    out = tmp_path / "out" / "results.json"
    result = runner.invoke(
        app,
        [
            "eval",
            str(folder),
            "--task",
            "rating",
            "--protocol",
            "cv5",
            "--models",
            "user_avg,item_avg",
            "--seed",
            "3",
            "--json",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "user_avg" in result.output and "cold-start users" in result.output
    report = json.loads(out.read_text())
    assert (report["dataset"], report["task"], report["protocol"]) == ("tiny", "rating", "cv5")
    assert [r["model"] for r in report["results"]] == ["user_avg", "item_avg"]
    for entry in report["results"]:
        assert {
            "model",
            "social",
            "metrics",
            "std",
            "metrics_cold",
            "train_seconds",
            "score_seconds",
        } <= set(entry)
        assert set(entry["metrics"]) == {"mae", "rmse"}
        assert entry["social"] is False

    png = tmp_path / "plot.png"
    plotted = runner.invoke(app, ["plot", str(out), "--out", str(png)])
    assert plotted.exit_code == 0, plotted.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_eval_ranking_metric_names(tmp_path: Path) -> None:
    folder = _tiny_dataset(tmp_path / "tiny")
    out = tmp_path / "ranking.json"
    result = runner.invoke(
        app,
        [
            "eval",
            str(folder),
            "--task",
            "ranking",
            "--protocol",
            "split",
            "--models",
            "popularity",
            "--json",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    metrics = json.loads(out.read_text())["results"][0]["metrics"]
    assert {"precision@10", "recall@10", "ndcg@10", "hr@10"} <= set(metrics)


def test_eval_rejects_bad_options(tmp_path: Path) -> None:
    folder = _tiny_dataset(tmp_path / "tiny")
    unknown = runner.invoke(app, ["eval", str(folder), "--task", "rating", "--models", "nope"])
    assert unknown.exit_code != 0 and "unknown rating model" in unknown.output
    sampled = runner.invoke(app, ["eval", str(folder), "--task", "rating", "--protocol", "sampled"])
    assert sampled.exit_code != 0
    missing = runner.invoke(app, ["eval", str(tmp_path / "nowhere"), "--models", "popularity"])
    assert missing.exit_code == 2 and "cannot load" in missing.output
