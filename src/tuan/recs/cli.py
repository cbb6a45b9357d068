"""``tuan recs``: evaluate recommenders on a dataset folder and plot the results."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from tuan.recs.data import load_dataset
from tuan.recs.evaluation import ProtocolName, Task, evaluate
from tuan.recs.registry import select

app = typer.Typer(help="Trust-aware recommendations: offline evaluation.", no_args_is_help=True)
# Logs and pipes get a wide console: the ranking table would be truncated at 80 columns.
console = Console() if sys.stdout.isatty() else Console(width=160)

RATING_COLUMNS = ("mae", "rmse")
RANKING_COLUMNS = ("precision@10", "recall@10", "ndcg@10", "hr@10", "coverage@10", "long_tail@10")
HEADERS = {
    "precision@10": "P@10",
    "recall@10": "R@10",
    "ndcg@10": "NDCG@10",
    "hr@10": "HR@10",
    "coverage@10": "cov@10",
    "long_tail@10": "tail@10",
}


def _cell(metrics: dict[str, float], spread: dict[str, float], key: str) -> str:
    value = metrics.get(key, float("nan"))
    if value != value:  # NaN: no user in this subset
        return "-"
    return f"{value:.4f}±{spread.get(key, 0.0):.4f}"


def _results_table(report: dict[str, Any], cold: bool) -> Table:
    columns: tuple[str, ...] = RATING_COLUMNS if report["task"] == "rating" else RANKING_COLUMNS
    if cold:
        columns = tuple(c for c in columns if not c.startswith(("coverage", "long_tail")))
    subset = "cold-start users" if cold else "all users"
    table = Table(
        title=f"{report['dataset']} · {report['task']} · {report['protocol']} · {subset} "
        f"(mean ± std over {report['n_rounds']} rounds)"
    )
    table.add_column("model")
    table.add_column("social")
    for column in columns:
        table.add_column(HEADERS.get(column, column), justify="right", no_wrap=True)
    if not cold:
        table.add_column("train s", justify="right")
        table.add_column("score s", justify="right")
    for result in report["results"]:
        metrics = result["metrics_cold"] if cold else result["metrics"]
        spread = result["std_cold"] if cold else result["std"]
        row = [result["model"], "yes" if result["social"] else "no"]
        row += [_cell(metrics, spread, column) for column in columns]
        if not cold:
            row += [f"{result['train_seconds']:.1f}", f"{result['score_seconds']:.2f}"]
        table.add_row(*row)
    return table


@app.command("eval")
def eval_command(
    dataset_dir: Annotated[Path, typer.Argument(help="folder with ratings.tsv and social.tsv")],
    task: Annotated[str, typer.Option(help="rating or ranking")] = "ranking",
    protocol: Annotated[str, typer.Option(help="cv5, split or sampled")] = "cv5",
    models: Annotated[str | None, typer.Option(help="comma-separated model names")] = None,
    seed: Annotated[int, typer.Option(help="seed for folds, tuning and negatives")] = 0,
    json_out: Annotated[Path | None, typer.Option("--json", help="write results here")] = None,
) -> None:
    """Evaluate models on DATASET_DIR under a published protocol."""
    if task not in ("rating", "ranking"):
        raise typer.BadParameter("task must be rating or ranking", param_hint="--task")
    if protocol not in ("cv5", "split", "sampled"):
        raise typer.BadParameter("protocol must be cv5, split or sampled", param_hint="--protocol")
    chosen_task: Task = "rating" if task == "rating" else "ranking"
    chosen_protocol: ProtocolName = (
        "cv5" if protocol == "cv5" else "split" if protocol == "split" else "sampled"
    )
    if chosen_task == "rating" and chosen_protocol == "sampled":
        raise typer.BadParameter("the sampled protocol needs --task ranking")
    names = [name.strip() for name in models.split(",") if name.strip()] if models else None
    try:
        specs = select(chosen_task, chosen_protocol, names)
    except KeyError as error:
        raise typer.BadParameter(str(error.args[0]), param_hint="--models") from error
    try:
        dataset = load_dataset(dataset_dir)
    except (FileNotFoundError, ValueError) as error:
        console.print(f"[red]cannot load {dataset_dir}: {error}[/red]")
        raise typer.Exit(code=2) from error
    n_folds = 5 if chosen_protocol == "cv5" else 1
    started = time.perf_counter()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        bar = progress.add_task("evaluating", total=len(specs) * n_folds)

        def advance(message: str) -> None:
            progress.update(bar, advance=1, description=message)
            if not console.is_terminal:  # logs and pipes get one line per finished round
                done = int(progress.tasks[0].completed)
                elapsed = time.perf_counter() - started
                console.print(f"[{done}/{len(specs) * n_folds}] {message} ({elapsed:.0f} s)")

        report = evaluate(dataset, chosen_task, chosen_protocol, specs, seed, advance)
    report["wall_seconds"] = time.perf_counter() - started
    console.print(_results_table(report, cold=False))
    console.print(_results_table(report, cold=True))
    for comparison in report["cold_start_comparison"]:
        verdict = (
            "[green]passes[/green]" if comparison["passes"] else "[yellow]does not pass[/yellow]"
        )
        console.print(
            f"cold start: {comparison['model']} vs {comparison['against']} on "
            f"{comparison['metric']}: gain {comparison['mean_gain']:+.4f} "
            f"(std {comparison['std_gain']:.4f}) {verdict}"
        )
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(report, indent=2, allow_nan=True))
        console.print(f"results written to {json_out}")


@app.command("plot")
def plot_command(
    results: Annotated[Path, typer.Argument(help="JSON written by `eval --json`")],
    out: Annotated[Path | None, typer.Option(help="PNG path (default: next to the JSON)")] = None,
) -> None:
    """Bar chart with error bars comparing the models of RESULTS.json."""
    from tuan.core.extras import MissingExtra, require_extra

    try:
        require_extra("recs", "matplotlib")
    except MissingExtra as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    from tuan.recs.plot import plot_results

    report = json.loads(results.read_text())
    target = out if out is not None else results.with_suffix(".png")
    plot_results(report, target)
    console.print(f"plot written to {target}")
