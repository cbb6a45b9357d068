"""``tuan bench``: benchmarks that drive a real server. Figures and commands: BENCHMARKS.md."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

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


@app.command("data-rights")
def data_rights(
    database_url: Annotated[
        str | None,
        typer.Option(
            help="A PostgreSQL server: a fresh database is made on it and dropped after; "
            "default: a fresh SQLite file"
        ),
    ] = None,
    redis_url: Annotated[
        str | None, typer.Option(help="Redis for the bus (unset: in-process)")
    ] = None,
    messages: Annotated[int, typer.Option(min=1, help="The heavy user's messages")] = 20_000,
    orders: Annotated[int, typer.Option(min=1, help="Their completed orders")] = 2_000,
    photos: Annotated[int, typer.Option(min=1, help="Their photos (avatar, reviews, cards)")] = 300,
    friends: Annotated[
        int, typer.Option(min=2, help="Friends and groups, half each (each a chat of theirs)")
    ] = 1_000,
    group_size: Annotated[
        int, typer.Option(min=4, max=100_000, help="Members of the group chat is measured in")
    ] = 500,
    listeners: Annotated[
        int, typer.Option(min=1, max=1000, help="Members of it on a WebSocket")
    ] = 50,
    rate: Annotated[
        float, typer.Option(min=0.5, max=1000, help="Messages a second sent into it")
    ] = 40.0,
    seconds: Annotated[
        float, typer.Option(min=1, max=600, help="The baseline window (and the one after)")
    ] = 10.0,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the figures here")] = None,
) -> None:
    """A heavy user's export and erasure, timed (and the export's peak memory), and the chat
    deliveries/s of a big group while each runs, against the same without them."""
    _require_bench("httpx", "websockets")
    from tuan.bench.data_rights import DataRightsOptions, run
    from tuan.bench.data_rights_seed import SeedSizes

    sizes = SeedSizes(
        messages=messages,
        orders=orders,
        photos=photos,
        friends=friends,
        group_size=group_size,
        listeners=min(listeners, group_size - 3),
    )
    options = DataRightsOptions(
        sizes=sizes, database_url=database_url, redis_url=redis_url, rate=rate, seconds=seconds
    )
    with _seed_progress() as (advance, status):
        figures = run(options, advance, status)
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    _print_data_rights(figures)
    if not figures["user_gone"]:
        console.print("[red]the heavy user is still there after the erasure[/red]")
        raise typer.Exit(1)


def _print_data_rights(figures: dict[str, Any]) -> None:
    from rich.table import Table

    chat = figures["chat"]
    windows = Table(title=f"chat: {chat['listeners']} listeners of {chat['group_members']} "
                    f"members, {chat['rate_msg_s']:g} msg/s")  # fmt: skip
    for column in ("window", "seconds", "deliveries/s", "p50 ms", "p99 ms"):
        windows.add_column(column, justify="right")
    for name in ("baseline", "export", "erase", "after"):
        w = chat[name]
        windows.add_row(name, f"{w['seconds']:.1f}", f"{w['deliveries_per_s']:,.0f}",
                        f"{w['p50_ms']:.0f}", f"{w['p99_ms']:.0f}")  # fmt: skip
    console.print(windows)
    steps = Table(title="slowest erasure steps")
    steps.add_column("step")
    steps.add_column("seconds", justify="right")
    for step in figures["erase_steps"][:8]:
        steps.add_row(step["step"], f"{step['seconds']:.2f}")
    console.print(steps)
    _print_bars(f"data rights on {figures['conditions']['engine']}", figures["bars"])


@app.command("push")
def push(
    database_url: Annotated[
        str | None,
        typer.Option(
            help="A PostgreSQL server: a fresh database is made on it for each run and dropped "
            "after; default: a fresh SQLite file"
        ),
    ] = None,
    redis_url: Annotated[
        str | None, typer.Option(help="Redis for the bus (unset: in-process)")
    ] = None,
    members: Annotated[
        int, typer.Option(min=4, max=100_000, help="Members of the group, a device each")
    ] = 500,
    awake: Annotated[
        int, typer.Option(min=1, help="Members who have not muted it (the rest have)")
    ] = 100,
    rate: Annotated[float, typer.Option(min=0.5, max=1000, help="Messages a second")] = 10.0,
    seconds: Annotated[float, typer.Option(min=1, max=600, help="Seconds of messages")] = 60.0,
    mention_every: Annotated[
        int, typer.Option(min=1, help="One message in this many @mentions a random member")
    ] = 10,
    listeners: Annotated[
        int, typer.Option(min=1, max=1000, help="Members on a WebSocket, counting deliveries")
    ] = 50,
    bundle_seconds: Annotated[
        int, typer.Option(min=1, max=3600, help="The server's push_bundle_seconds")
    ] = 60,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the figures here")] = None,
    plot_to: Annotated[
        Path | None, typer.Option("--plot", help="Draw the push latencies to this PNG")
    ] = None,
) -> None:
    """Web Push in a big group that talks: how soon the pushes that must go at once arrive at a
    local push service, how many go, and the chat's deliveries/s against the same run without
    push. Exits 1 if a push was lost or duplicated."""
    _require_bench("httpx", "websockets", *(["matplotlib"] if plot_to else []))
    from tuan.bench import push as bench

    if awake >= members:
        console.print("[red]error:[/red] --awake must leave some members who muted the group")
        raise typer.Exit(2)
    options = bench.PushBenchOptions(
        database_url=database_url, redis_url=redis_url, members=members, awake=awake,
        rate=rate, seconds=seconds, mention_every=mention_every, listeners=listeners,
        bundle_seconds=bundle_seconds,
    )  # fmt: skip
    with _seed_progress() as (advance, status):
        figures = bench.run(options, advance, status)
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    if plot_to is not None:
        bench.plot(figures, plot_to)
        console.print(f"plot written to {plot_to}")
    _print_push(figures)
    if figures["lost"] or figures["duplicated"]:
        console.print(f"[red]{figures['lost']} lost, {figures['duplicated']} duplicated[/red]")
        raise typer.Exit(1)


def _print_push(figures: dict[str, Any]) -> None:
    from rich.table import Table

    immediate = Table(
        title=f"pushes that must go at once ({figures['members']} members, "
        f"{figures['rate_msg_s']:g} msg/s, window {figures['bundle_seconds']} s)"
    )
    for column in ("kind", "pushes", "p50 ms", "p99 ms", "max ms"):
        immediate.add_column(column, justify="right")
    for name in ("mentions", "first_after_quiet", "all"):
        f = figures["immediate"][name]
        immediate.add_row(name, str(f["count"]), f"{f['p50_ms']:.0f}", f"{f['p99_ms']:.0f}",
                          f"{f['max_ms']:.0f}")  # fmt: skip
    console.print(immediate)
    chat = figures["chat"]
    windows = Table(title=f"chat: {chat['listeners']} listeners")
    for column in ("run", "deliveries/s", "p50 ms", "p99 ms"):
        windows.add_column(column, justify="right")
    for name in ("without_push", "with_push"):
        w = chat[name]
        windows.add_row(name, f"{w['deliveries_per_s']:,.0f}", f"{w['p50_ms']:.0f}",
                        f"{w['p99_ms']:.0f}")  # fmt: skip
    console.print(windows)
    summary = {key: figures[key] for key in (
        "database", "pushes", "pushes_per_s", "max_pushes_per_member_window",
        "max_bundled_per_member_window", "lost", "duplicated")}  # fmt: skip
    console.print_json(json.dumps(summary))
    _print_bars(f"push on {figures['conditions']['engine']}", figures["bars"])


def _print_bars(title: str, bars: dict[str, Any]) -> None:
    from rich.table import Table

    table = Table(title=title)
    for column in ("figure", "bar", "measured", ""):
        table.add_column(column, justify="right")
    for name, bar in bars.items():
        verdict = "[green]PASS[/green]" if bar["pass"] else "[red]FAIL[/red]"
        table.add_row(name, bar["limit"], f"{bar['value']:g}", verdict)
    console.print(table)


@contextlib.contextmanager
def _seed_progress() -> Iterator[tuple[Callable[[str, int, int], None], Callable[[str], None]]]:
    """A progress bar per table being seeded (rows written of rows to write), and a way to say
    what the run is doing meanwhile."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def advance(table: str, done: int, more: int) -> None:
            if table not in tasks:
                tasks[table] = progress.add_task(table, total=0)
            task = tasks[table]
            if more:
                progress.update(task, total=(progress.tasks[task].total or 0) + more)
            progress.advance(task, done)

        yield advance, lambda message: progress.console.print(f"[dim]{message}[/dim]")


@app.command("notes")
def notes(
    database_url: Annotated[
        str | None,
        typer.Option(
            help="A PostgreSQL server: a fresh database is made on it and dropped after; "
            "default: a fresh SQLite file"
        ),
    ] = None,
    redis_url: Annotated[
        str | None, typer.Option(help="Redis for the bus (unset: in-process)")
    ] = None,
    count: Annotated[
        int, typer.Option("--notes", min=100, max=10_000_000, help="Notes to seed")
    ] = 1_000_000,
    rounds: Annotated[int, typer.Option(min=5, max=10_000, help="Timed rounds of each")] = 100,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the figures here")] = None,
    plot_to: Annotated[
        Path | None, typer.Option("--plot", help="Draw the latencies to this PNG")
    ] = None,
) -> None:
    """Notes at a size: a synthetic community seeded in bulk (people = notes / 10, about ten
    likes, saves, comments and follows a note), then Discover, the Following feed and writing
    a note for random people, in-process against the real queries: p50 and p95."""
    _require_bench(*(["matplotlib"] if plot_to else []))
    from tuan.bench import notes as bench

    options = bench.NotesBenchOptions(
        database_url=database_url, redis_url=redis_url, notes=count, rounds=rounds
    )
    with _seed_progress() as (advance, status):
        figures = bench.run(options, advance, status)
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    if plot_to is not None:
        bench.plot(figures, plot_to)
        console.print(f"plot written to {plot_to}")
    summary = {k: v for k, v in figures.items() if k not in ("measured", "rows", "conditions")}
    console.print_json(json.dumps(summary, ensure_ascii=False))


@app.command("notes-report")
def notes_report(
    results: Annotated[list[Path], typer.Argument(help="JSON files written by `tuan bench notes`")],
    plot_to: Annotated[Path, typer.Option("--plot", help="Draw latency against size to this PNG")],
) -> None:
    """Latency against community size, from several `tuan bench notes` runs (10k, 100k, 1M)."""
    _require_bench("matplotlib")
    from tuan.bench import notes as bench

    runs = [json.loads(path.read_text()) for path in results]
    bench.plot_sizes(runs, plot_to)
    console.print(f"plot written to {plot_to}")


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
