"""``tuan bench chat``: the shared fan-out harness against a real Tuan server (and, in the same
run, the bare WebSocket relay baseline and optionally Synapse), then a summary and a plot.

The harness and the references live in ``../shared/bench/chat`` (never copied here). Tuan is
driven through ``benchmarks/chat_adapter.py`` over its public API.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_HARNESS = REPO_ROOT.parent / "shared" / "bench" / "chat"
P99_LIMIT_MS = 1000.0


class BenchSetupError(Exception):
    """Something the benchmark needs is missing; the message says what to do."""


@dataclass(frozen=True)
class ChatBenchOptions:
    harness_dir: Path
    database_url: str | None
    redis_url: str | None
    sizes: str
    ladder: str
    repeats: int
    duration: float
    baseline: bool
    synapse: str | None
    out: Path
    extra: tuple[str, ...] = ()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def check_ready(options: ChatBenchOptions) -> None:
    harness = options.harness_dir / "harness.py"
    if not harness.is_file():
        raise BenchSetupError(
            f"the shared chat harness is not at {harness} (it lives in ../shared/bench/chat; "
            "pass --harness-dir)"
        )
    if not (REPO_ROOT / "benchmarks" / "chat_adapter.py").is_file():
        raise BenchSetupError(
            "benchmarks/chat_adapter.py not found: run from a checkout installed with pip -e"
        )


@contextlib.contextmanager
def _process(
    command: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_http(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchSetupError(f"the server exited: {log.read_text(errors='replace')[-2000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    raise BenchSetupError(f"the server did not become ready: see {log}")


def _wait_port(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise BenchSetupError(f"the baseline relay did not listen on {port}")


def run(options: ChatBenchOptions) -> int:
    """Start the servers, run the harness (streaming its output), stop everything."""
    from tuan.core.migrate import upgrade

    check_ready(options)
    with tempfile.TemporaryDirectory(prefix="tuan-bench-chat-") as scratch:
        work = Path(scratch)
        database_url = options.database_url or f"sqlite+aiosqlite:///{work / 'bench.db'}"
        asyncio.run(upgrade(database_url))
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("TUAN_")}
        env.update(
            TUAN_DATABASE_URL=database_url,
            TUAN_HOST="127.0.0.1",
            TUAN_PORT=str(port),
            TUAN_LOG_LEVEL="WARNING",
            TUAN_MEDIA_DIR=str(work / "media"),
            TUAN_GROUP_MEMBER_CAP="100000",
            # The harness signs hundreds of members up from one address and sends as fast as it
            # is told: the rate limits (which a real crowd would not meet) are off here.
            TUAN_LIMIT_SIGNUP_ADDRESS="",
            TUAN_LIMIT_MESSAGES_ACCOUNT="",
        )
        if options.redis_url:
            env["TUAN_REDIS_URL"] = options.redis_url
        with contextlib.ExitStack() as stack:
            server = stack.enter_context(
                _process([sys.executable, "-m", "tuan", "serve"], env, work / "tuan.log")
            )
            _wait_http(f"http://127.0.0.1:{port}/readyz", server, work / "tuan.log")
            targets = [
                f"benchmarks.chat_adapter:TuanAdapter,url=http://127.0.0.1:{port},"
                f"pids={server.pid},label=tuan"
            ]
            if options.baseline:
                ws_port = _free_port()
                relay = stack.enter_context(
                    _process(
                        [
                            sys.executable,
                            str(options.harness_dir / "servers" / "ws_broadcast_server.py"),
                            "--port",
                            str(ws_port),
                        ],
                        env,
                        work / "relay.log",
                    )
                )
                _wait_port(ws_port)
                targets.append(
                    f"ws,url=ws://127.0.0.1:{ws_port},pids={relay.pid},label=ws-baseline"
                )
            if options.synapse:
                targets.append(f"synapse,{options.synapse},label=synapse")
            command = [sys.executable, str(options.harness_dir / "harness.py")]
            for target in targets:
                command += ["--target", target]
            command += [
                "--sizes", options.sizes,
                "--ladder", options.ladder,
                "--repeats", str(options.repeats),
                "--duration", str(options.duration),
                "--out", str(options.out.resolve()),
                *options.extra,
            ]  # fmt: skip
            harness_env = dict(env, PYTHONPATH=str(REPO_ROOT))
            return subprocess.call(command, cwd=options.harness_dir, env=harness_env)  # noqa: S603


# --- reading results ----------------------------------------------------------------------------


def load_points(path: Path) -> list[dict[str, Any]]:
    points = []
    for line in path.read_text().splitlines():
        record = json.loads(line)
        if "target" in record and "rate" in record:
            points.append(record)
    return points


def medians(points: list[dict[str, Any]]) -> dict[tuple[str, int, float], dict[str, float]]:
    """Median over repeats of each (target, members, rate) point."""
    grouped: dict[tuple[str, int, float], list[dict[str, Any]]] = defaultdict(list)
    for p in points:
        grouped[(p["target"], p["members"], p["rate"])].append(p)
    out = {}
    for key, reps in grouped.items():
        out[key] = {
            metric: statistics.median(float("inf") if r["lost"] else float(r[metric]) for r in reps)
            if metric.endswith("_ms")
            else statistics.median(float(r[metric]) for r in reps)
            for metric in (
                "p50_ms",
                "p99_ms",
                "offered_dps",
                "delivered_dps",
                "server_cpu",
                "client_cpu",
            )
        }
        out[key]["lost"] = float(sum(r["lost"] for r in reps))
    return out


def sustained(
    table: dict[tuple[str, int, float], dict[str, float]],
) -> dict[tuple[str, int], float]:
    """Highest offered deliveries/s with median p99 within the limit and nothing lost."""
    best: dict[tuple[str, int], float] = {}
    for (target, members, _rate), m in table.items():
        if m["p99_ms"] <= P99_LIMIT_MS and not m["lost"]:
            best[(target, members)] = max(best.get((target, members), 0.0), m["offered_dps"])
    return best


def plot(path: Path, out: Path) -> None:
    """p99 latency against offered deliveries/s, one panel per group size, one line per server."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = medians(load_points(path))
    sizes = sorted({members for _, members, _ in table})
    targets = sorted({target for target, _, _ in table})
    # One colour per server in every panel, even where a server has no point (Synapse at N=500).
    colours = {target: f"C{i}" for i, target in enumerate(targets)}
    fig, axes = plt.subplots(1, len(sizes), figsize=(5 * len(sizes), 4), squeeze=False)
    for axis, members in zip(axes[0], sizes, strict=True):
        for target in targets:
            rows = sorted(
                (m["offered_dps"], m["p99_ms"])
                for (t, n, _), m in table.items()
                if t == target and n == members and m["p99_ms"] != float("inf")
            )
            if rows:
                axis.plot(
                    [r[0] for r in rows],
                    [r[1] for r in rows],
                    marker="o",
                    label=target,
                    color=colours[target],
                )
        axis.axhline(P99_LIMIT_MS, color="grey", linestyle="--", linewidth=0.8)
        axis.axhline(100, color="grey", linestyle=":", linewidth=0.8)
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_title(f"{members}-member group")
        axis.set_xlabel("offered deliveries / s")
        axis.set_ylabel("p99 delivery latency (ms)")
        axis.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=120)
