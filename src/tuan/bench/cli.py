"""``tuan bench``: benchmarks that drive a real server. Figures and commands: BENCHMARKS.md."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

app = typer.Typer(help="Benchmarks against a real server process.", no_args_is_help=True)
console = Console(soft_wrap=True)


@app.command("flash-sale")
def flash_sale(
    database_url: Annotated[
        str | None,
        typer.Option(help="Database to run on (migrated first); default: a fresh SQLite file"),
    ] = None,
    buyers: Annotated[int, typer.Option(min=1, max=100_000, help="Buyers in the crowd")] = 2000,
    stock: Annotated[int, typer.Option(min=1, max=1_000_000, help="Units of the hot SKU")] = 1000,
    concurrency: Annotated[
        int, typer.Option(min=1, max=1000, help="Buyers in flight at once (and raw workers)")
    ] = 64,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the figures here")] = None,
) -> None:
    """Many concurrent buyers at one hot SKU through the HTTP API, against the database's raw
    conditional-UPDATE rate at the same concurrency. Oversold must be 0."""
    _require_bench("aiohttp")
    from tuan.bench.flash_sale import default_database_url, run_flash_sale

    url = database_url or default_database_url()
    with Progress(
        TextColumn("[bold]buyers"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("buyers", total=buyers)
        result = asyncio.run(
            run_flash_sale(
                database_url=url,
                buyers=buyers,
                stock=stock,
                concurrency=concurrency,
                progress=lambda n: progress.advance(task, n),
                status=lambda message: progress.console.print(f"[dim]{message}[/dim]"),
            )
        )
    figures = result.as_json()
    console.print_json(json.dumps(figures))
    if json_out is not None:
        json_out.write_text(json.dumps(figures, indent=2) + "\n")
    if result.oversold:
        console.print(f"[red]OVERSOLD by {result.oversold}[/red]")
        raise typer.Exit(1)


@app.command("chat")
def chat(
    database_url: Annotated[
        str | None, typer.Option(help="Database for the server; default: a fresh SQLite file")
    ] = None,
    redis_url: Annotated[
        str | None, typer.Option(help="Redis for the bus (unset: in-process)")
    ] = None,
    sizes: Annotated[str, typer.Option(help="Group sizes")] = "50,200,500",
    ladder: Annotated[
        str, typer.Option(help="Offered message rates (msg/s)")
    ] = "5,20,50,100,200,500,1000",
    repeats: Annotated[int, typer.Option(min=1, max=10)] = 3,
    duration: Annotated[
        float, typer.Option(min=1, max=60, help="Seconds of sending per point")
    ] = 6,
    baseline: Annotated[bool, typer.Option(help="Also measure the bare WebSocket relay")] = True,
    synapse: Annotated[
        str | None,
        typer.Option(
            help="Also measure a running Synapse: 'secret_file=...,pids=...' (harness README)"
        ),
    ] = None,
    harness_dir: Annotated[Path, typer.Option(help="The shared harness")] = Path(
        "../shared/bench/chat"
    ),
    out: Annotated[Path, typer.Option(help="Per-point JSON lines")] = Path("var/bench/chat.jsonl"),
    plot_to: Annotated[
        Path | None, typer.Option("--plot", help="Draw the curves to this PNG")
    ] = None,
) -> None:
    """Chat fan-out: the shared harness against a real `tuan serve` (and the baseline relay, and
    optionally Synapse) in one run; prints the harness's tables and the ratios."""
    _require_bench("httpx", "aiohttp", "psutil", "websockets", *(["matplotlib"] if plot_to else []))
    from tuan.bench import chat as bench

    out.parent.mkdir(parents=True, exist_ok=True)
    options = bench.ChatBenchOptions(
        harness_dir=harness_dir.resolve(),
        database_url=database_url,
        redis_url=redis_url,
        sizes=sizes,
        ladder=ladder,
        repeats=repeats,
        duration=duration,
        baseline=baseline,
        synapse=synapse,
        out=out,
    )
    try:
        code = bench.run(options)
    except bench.BenchSetupError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    _print_ratios(out)
    if plot_to is not None:
        bench.plot(out, plot_to)
        console.print(f"plot written to {plot_to}")
    raise typer.Exit(code)


@app.command("chat-report")
def chat_report(
    results: Annotated[Path, typer.Argument(help="JSON lines written by `tuan bench chat`")],
    plot_to: Annotated[
        Path | None, typer.Option("--plot", help="Draw the curves to this PNG")
    ] = None,
) -> None:
    """Summarise (and plot) an earlier chat benchmark run."""
    _require_bench("httpx", *(["matplotlib"] if plot_to else []))
    from tuan.bench import chat as bench

    _print_ratios(results)
    if plot_to is not None:
        bench.plot(results, plot_to)
        console.print(f"plot written to {plot_to}")


def _print_ratios(results: Path) -> None:
    from rich.table import Table

    from tuan.bench import chat as bench

    if not results.is_file():
        return
    best = bench.sustained(bench.medians(bench.load_points(results)))
    table = Table(title="max sustained deliveries/s (median p99 <= 1 s, nothing lost)")
    targets = sorted({t for t, _ in best} | {"tuan"})
    sizes = sorted({n for _, n in best})
    table.add_column("N", justify="right")
    for target in targets:
        table.add_column(target, justify="right")
    for other in targets:
        if other != "tuan":
            table.add_column(f"tuan / {other}", justify="right")
    for n in sizes:
        row = [str(n)] + [f"{best.get((t, n), 0):,.0f}" for t in targets]
        for other in targets:
            if other != "tuan":
                theirs = best.get((other, n), 0)
                row.append(f"{best.get(('tuan', n), 0) / theirs:.2f}x" if theirs else "-")
        table.add_row(*row)
    console.print(table)


def _require_bench(*modules: str) -> None:
    from tuan.core.extras import MissingExtra, require_extra

    try:
        require_extra("bench", *modules)
    except MissingExtra as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
