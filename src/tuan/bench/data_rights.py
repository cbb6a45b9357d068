"""``tuan bench data-rights`` (issue 23): the export and the erasure of a heavy user, and what
they cost the chat of everyone else while they run.

A fresh database (a SQLite file, or a new database on the PostgreSQL server given, dropped
after) is migrated and seeded in bulk (:mod:`tuan.bench.data_rights_seed`). A real
``tuan serve`` runs on it; ``listeners`` members of a ``group_size``-member group hold a
WebSocket each and one more member sends into the group at a fixed rate. Deliveries per second
are counted over three windows: nothing else running (the baseline), while ``tuan admin export``
runs, while ``tuan admin erase`` runs (each a process of its own, timed, its peak memory read
from the kernel when it ends). A fourth window after both shows the server settled back.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from websockets.asyncio.client import ClientConnection, connect

from tuan.bench.chat import _free_port, _process, _wait_http
from tuan.bench.data_rights_seed import Advance, Seeded, SeedSizes, seed

REQUEST = "BENCH-DATA-RIGHTS"
BARS: dict[str, tuple[str, float]] = {  # figure: ("<" or ">=", limit)
    "export_s": ("<", 60.0),
    "export_peak_rss_mb": ("<", 300.0),
    "erase_s": ("<", 60.0),
    "chat_ratio": (">=", 0.8),
}


@dataclass(frozen=True)
class DataRightsOptions:
    sizes: SeedSizes
    database_url: str | None = None  # a PostgreSQL server: a fresh database is made on it
    redis_url: str | None = None
    rate: float = 40.0  # messages a second into the group
    seconds: float = 10.0  # the baseline window (and the one after)


# --- the database --------------------------------------------------------------------------------


@contextlib.contextmanager
def fresh_database(server_url: str | None, work: Path) -> Iterator[str]:
    """A new empty database: a SQLite file in ``work``, or one made on the PostgreSQL server
    (as the test suite's fixtures do) and dropped afterwards."""
    if server_url is None:
        yield f"sqlite+aiosqlite:///{work / 'bench.db'}"
        return
    name = f"tuan_bench_rights_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin_sql(server_url, f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _admin_sql(server_url: str, statement: str) -> None:
    admin = create_async_engine(
        make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    try:
        async with admin.connect() as conn:
            await conn.execute(sa.text(statement))
    finally:
        await admin.dispose()


async def _after(database_url: str, username: str) -> tuple[bool, str]:
    """Whether the user is gone, and the database's version (for the conditions)."""
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            found = await conn.scalar(
                sa.text("SELECT count(*) FROM users WHERE username = :name"), {"name": username}
            )
            version = await database_version(conn)
        return found == 0, version
    finally:
        await engine.dispose()


async def database_version(conn: AsyncConnection) -> str:
    """The engine and its version ("SQLite 3.45.1"), for a benchmark's conditions."""
    if conn.dialect.name == "sqlite":
        return "SQLite " + str(await conn.scalar(sa.text("SELECT sqlite_version()")))
    version = str(await conn.scalar(sa.text("SHOW server_version")))
    return f"PostgreSQL {version.split()[0]}"


# --- the chat load -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    seconds: float
    sent: int
    deliveries: int
    deliveries_per_s: float
    p50_ms: float
    p99_ms: float


class ChatLoad:
    """Listeners on WebSockets and one sender at a fixed rate, all in the group; each delivery
    is kept as (when it came, how long after it was sent)."""

    def __init__(
        self, base: str, group_id: int, sender: str, listeners: list[str], rate: float
    ) -> None:
        self.ws_url = base.replace("http://", "ws://") + "/api/v1/ws"
        self.group_id = group_id
        self.tokens = [sender, *listeners]
        self.rate = rate
        self.sockets: list[ClientConnection] = []
        self.tasks: list[asyncio.Task[None]] = []
        self.delivered: list[tuple[float, float]] = []
        self.sent: list[float] = []
        self.errors = 0

    async def _open(self, token: str) -> ClientConnection:
        ws = await connect(
            self.ws_url,
            compression=None,
            ping_interval=None,
            max_queue=None,
            max_size=2**24,
            open_timeout=60,
            additional_headers={"Authorization": f"Bearer {token}"},
        )
        while orjson.loads(await asyncio.wait_for(ws.recv(), 60))["type"] != "ready":
            pass
        return ws

    async def start(self) -> None:
        gate = asyncio.Semaphore(20)

        async def opened(token: str) -> ClientConnection:
            async with gate:
                return await self._open(token)

        self.sockets = list(await asyncio.gather(*(opened(t) for t in self.tokens)))
        self.tasks = [asyncio.create_task(self._read(ws)) for ws in self.sockets[1:]]
        self.tasks.append(asyncio.create_task(self._drain_acks(self.sockets[0])))
        self.tasks.append(asyncio.create_task(self._send()))

    async def _read(self, ws: ClientConnection) -> None:
        with contextlib.suppress(Exception):
            async for raw in ws:
                frame: dict[str, Any] = orjson.loads(raw)
                if frame["type"] != "message":
                    continue
                message = frame["message"]
                text = message.get("text") or ""
                if message["conversation_id"] == self.group_id and text.startswith("bench "):
                    now = time.monotonic()
                    self.delivered.append((now, now - float(text.split()[1])))

    async def _drain_acks(self, ws: ClientConnection) -> None:
        with contextlib.suppress(Exception):
            async for raw in ws:
                if orjson.loads(raw)["type"] == "error":
                    self.errors += 1

    async def _send(self) -> None:
        """One message every 1/rate seconds on a fixed clock (late ticks are not made up in a
        burst: a stalled server sees the same offered rate after it)."""
        interval, n = 1.0 / self.rate, 0
        due = time.monotonic()
        while True:
            due = max(due + interval, time.monotonic() - interval)
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            n += 1
            sent = time.monotonic()
            await self.send_one(n, sent)
            self.sent.append(sent)

    async def send_one(self, n: int, sent: float) -> None:
        """Send the ``n``-th message; its text must start ``bench <sent> <n>`` (the listeners time
        it by that). Here a WebSocket frame from the sender; ``tuan bench push`` posts instead."""
        frame = {"type": "send", "conversation_id": self.group_id,
                 "client_id": f"bench-{n}", "text": f"bench {sent:.6f} {n}"}  # fmt: skip
        await self.sockets[0].send(orjson.dumps(frame).decode())

    def stop_sending(self) -> None:
        """Stop the sender; the listeners go on reading."""
        self.tasks[-1].cancel()

    def window(self, start: float, end: float) -> Window:
        seconds = max(end - start, 1e-9)
        latencies = sorted(lat for at, lat in self.delivered if start <= at < end)
        sent = sum(1 for at in self.sent if start <= at < end)
        if len(latencies) >= 2:
            cuts = statistics.quantiles(latencies, n=100, method="inclusive")
            p50, p99 = cuts[49] * 1000, cuts[98] * 1000
        else:
            p50 = p99 = latencies[0] * 1000 if latencies else 0.0
        return Window(
            seconds=round(seconds, 3),
            sent=sent,
            deliveries=len(latencies),
            deliveries_per_s=round(len(latencies) / seconds, 1),
            p50_ms=round(p50, 1),
            p99_ms=round(p99, 1),
        )

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)
        await asyncio.gather(*self.tasks, return_exceptions=True)


# --- the operator's processes ------------------------------------------------------------------


@dataclass(frozen=True)
class ChildRun:
    seconds: float
    peak_rss_mb: float
    returncode: int


def run_child(command: list[str], env: dict[str, str], log: Path) -> ChildRun:
    """Run ``command`` to its end: wall seconds, and its peak resident memory as the kernel
    counted it (``ru_maxrss`` of the waited-for child, in KiB on Linux)."""
    started = time.monotonic()
    with log.open("wb") as sink:
        child = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)  # noqa: S603
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return ChildRun(
        seconds=round(time.monotonic() - started, 3),
        peak_rss_mb=round(usage.ru_maxrss / 1024, 1),
        returncode=child.returncode,
    )


# --- the run -------------------------------------------------------------------------------------


@dataclass
class Measured:
    export: ChildRun
    erase: ChildRun
    windows: dict[str, Window] = field(default_factory=dict)
    errors: int = 0


def server_env(database_url: str, redis_url: str | None, work: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TUAN_")}
    env.update(
        TUAN_DATABASE_URL=database_url,
        TUAN_HOST="127.0.0.1",
        TUAN_PORT=str(port),
        TUAN_LOG_LEVEL="WARNING",
        TUAN_MEDIA_DIR=str(work / "media"),
        TUAN_SECRET_KEY=uuid.uuid4().hex,
        TUAN_GROUP_MEMBER_CAP="100000",
        # One sender at a fixed rate, far above what one person may send: the limit is off.
        TUAN_LIMIT_MESSAGES_ACCOUNT="",
    )
    if redis_url:
        env["TUAN_REDIS_URL"] = redis_url
        env["TUAN_REDIS_CHANNEL"] = f"tuan:bench:{uuid.uuid4().hex[:8]}"
    return env


async def _measure(
    base: str, seeded: Seeded, options: DataRightsOptions, env: dict[str, str], work: Path,
    status: Callable[[str], None],
) -> Measured:  # fmt: skip
    tuan = [sys.executable, "-m", "tuan", "admin"]
    load = ChatLoad(
        base, seeded.group_id, seeded.sender_token, seeded.listener_tokens, options.rate
    )
    await load.start()
    try:
        status(f"{len(seeded.listener_tokens)} listeners connected; warming up")
        await asyncio.sleep(2)
        windows: dict[str, Window] = {}
        start = time.monotonic()
        await asyncio.sleep(options.seconds)
        windows["baseline"] = load.window(start, time.monotonic())
        status("the export runs")
        start = time.monotonic()
        export = await asyncio.to_thread(
            run_child,
            [
                *tuan,
                "export",
                seeded.heavy,
                "--request",
                REQUEST,
                "--out",
                str(work / "export.zip"),
            ],
            env,
            work / "export.log",
        )
        windows["export"] = load.window(start, time.monotonic())
        await asyncio.sleep(1)
        status("the erasure runs")
        start = time.monotonic()
        erase = await asyncio.to_thread(
            run_child,
            [*tuan, "erase", seeded.heavy, "--request", REQUEST,
             "--step-times", str(work / "erase-steps.json")],
            env,
            work / "erase.log",
        )  # fmt: skip
        windows["erase"] = load.window(start, time.monotonic())
        await asyncio.sleep(1)
        status("after both")
        start = time.monotonic()
        await asyncio.sleep(options.seconds)
        windows["after"] = load.window(start, time.monotonic())
    finally:
        await load.stop()
    return Measured(export, erase, windows, load.errors)


def run(
    options: DataRightsOptions, advance: Advance, status: Callable[[str], None]
) -> dict[str, Any]:
    """Seed, serve, measure, check the user is gone; the figures (see ``figures``)."""
    from tuan.core.migrate import upgrade

    load_before = os.getloadavg()
    with (
        tempfile.TemporaryDirectory(prefix="tuan-bench-rights-") as scratch,
        fresh_database(options.database_url, Path(scratch)) as database_url,
    ):
        work = Path(scratch)
        status("migrating")
        asyncio.run(upgrade(database_url))
        started = time.monotonic()
        seeded = asyncio.run(seed(database_url, work / "media", options.sizes, advance))
        seed_s = time.monotonic() - started
        port = _free_port()
        env = server_env(database_url, options.redis_url, work, port)
        with _process([sys.executable, "-m", "tuan", "serve"], env, work / "tuan.log") as server:
            _wait_http(f"http://127.0.0.1:{port}/readyz", server, work / "tuan.log")
            measured = asyncio.run(
                _measure(f"http://127.0.0.1:{port}", seeded, options, env, work, status)
            )
        gone, version = asyncio.run(_after(database_url, seeded.heavy))
        for name, child in (("export", measured.export), ("erase", measured.erase)):
            if child.returncode != 0:
                log = (work / f"{name}.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"tuan admin {name} failed ({child.returncode}):\n{log}")
        steps_file = work / "erase-steps.json"
        steps = orjson.loads(steps_file.read_bytes()) if steps_file.is_file() else []
        export_bytes = (work / "export.zip").stat().st_size
        with zipfile.ZipFile(work / "export.zip") as archive:
            export_photos = sum(name.startswith("photos/") for name in archive.namelist())
        photos_left = sum((work / "media" / key).is_file() for key in seeded.photo_keys)
    return figures(
        options,
        seeded,
        measured,
        seed_s=seed_s,
        steps=steps,
        export_bytes=export_bytes,
        export_photos=export_photos,
        gone=gone,
        photos_left=photos_left,
        conditions=conditions(version, options.redis_url, load_before),
    )


def conditions(
    engine: str, redis_url: str | None, load_before: tuple[float, float, float]
) -> dict[str, Any]:
    """The machine's conditions for a run: the engine, the load average before and after."""
    return {
        "engine": engine,
        "redis": bool(redis_url),
        "cpus": os.cpu_count(),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


def figures(
    options: DataRightsOptions, seeded: Seeded, measured: Measured, *, seed_s: float,
    steps: list[dict[str, Any]], export_bytes: int, export_photos: int, gone: bool,
    photos_left: int,
    conditions: dict[str, Any],
) -> dict[str, Any]:  # fmt: skip
    """The JSON the command writes: the issue's keys first, then the detail."""
    sizes, windows = options.sizes, measured.windows
    baseline = windows["baseline"].deliveries_per_s
    during = min(windows["export"].deliveries_per_s, windows["erase"].deliveries_per_s)
    result: dict[str, Any] = {
        "database": "postgresql" if options.database_url else "sqlite",
        "messages": sizes.messages,
        "orders": sizes.orders,
        "photos": sizes.photos,
        "friends": sizes.direct_chats,
        "groups": sizes.groups,
        "export_s": measured.export.seconds,
        "export_peak_rss_mb": measured.export.peak_rss_mb,
        "erase_s": measured.erase.seconds,
        "chat_ratio": round(during / baseline, 3) if baseline else 0.0,
        "erase_peak_rss_mb": measured.erase.peak_rss_mb,
        "export_bytes": export_bytes,
        "export_photos": export_photos,
        "erase_steps": sorted(steps, key=lambda s: -float(s["seconds"])),
        "user_gone": gone,
        "photos_left": photos_left,
        "seed_s": round(seed_s, 1),
        "rows": seeded.rows,
        "chat": {
            "group_members": sizes.group_size,
            "listeners": len(seeded.listener_tokens),
            "rate_msg_s": options.rate,
            "offered_deliveries_s": options.rate * len(seeded.listener_tokens),
            "send_errors": measured.errors,
            **{name: asdict(window) for name, window in windows.items()},
        },
        "conditions": conditions,
    }
    result["bars"] = judge(result, BARS)
    return result


def judge(result: dict[str, Any], bars: dict[str, tuple[str, float]]) -> dict[str, Any]:
    """Each bar's limit, the figure measured and whether it meets it."""
    return {
        name: {"limit": f"{op} {limit:g}", "value": value, "pass": _meets(value, op, limit)}
        for name, (op, limit) in bars.items()
        for value in (result[name],)
    }


def _meets(value: float, op: str, limit: float) -> bool:
    return value < limit if op == "<" else value >= limit
