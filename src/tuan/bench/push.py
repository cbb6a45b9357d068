"""``tuan bench push`` (issue 24): how fast the pushes that must go at once arrive, how many go,
and what push costs the chat, in a big group that talks.

Two runs, each on a fresh database (a SQLite file, or a new database on the PostgreSQL server
given, dropped after) seeded in bulk (:mod:`tuan.bench.push_seed`): ``members`` people in one
group, each with one device at the local push service (:mod:`tuan.bench.push_service`, on
127.0.0.1, which checks VAPID and decrypts every payload with the device's keys), ``awake`` of
them not having muted it. A real ``tuan serve`` runs on it (its outbox relay and scheduler as in
production); a few muted members post ``rate`` messages a second through the HTTP API, one in
``mention_every`` @mentioning a random other member, while ``listeners`` members hold a
WebSocket and count the chat's deliveries (:class:`tuan.bench.data_rights.ChatLoad`). The first
run has no VAPID keys (push off), the second has them; the chat's deliveries per second are
compared.

A push that must go at once: every @mention (to the member's device), and each awake member's
first message after a quiet spell (here the first message of the run they did not send and were
not @mentioned in: every window is fresh). Its latency runs from the message's ``created_at``
(the server's clock, taken in the posting transaction, so a little before its commit) to the
push's arrival at the push service, decrypted (the same machine's clock).
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

# chat's private helpers (start a server, wait for it), as tuan.bench.data_rights uses them
from tuan.bench.chat import _free_port, _process, _wait_http
from tuan.bench.data_rights import (
    ChatLoad,
    Window,
    conditions,
    database_version,
    fresh_database,
    judge,
    server_env,
)
from tuan.bench.data_rights_seed import Advance
from tuan.bench.push_seed import Member, PushGroup, seed_push_group
from tuan.bench.push_service import LocalPushService, Received
from tuan.core.scheduler import DueJob
from tuan.push.bundling import CHAT_JOB
from tuan.push.handlers import SEND_JOB
from tuan.push.vapid import generate_keys

BARS: dict[str, tuple[str, float]] = {  # figure: ("<" or ">=", limit)
    "push_p99_ms": ("<", 2000.0),
    "chat_ratio_with_push": (">=", 0.8),
}
SENDERS = 5
DRAIN_MARGIN_SECONDS = 5.0
COMMIT_TIME = "the message's created_at (server clock, in its posting transaction, before commit)"


@dataclass(frozen=True)
class PushBenchOptions:
    database_url: str | None = None  # a PostgreSQL server: a fresh database is made on it
    redis_url: str | None = None
    members: int = 500
    awake: int = 100  # members who have not muted the group
    rate: float = 10.0  # messages a second into the group
    seconds: float = 60.0
    mention_every: int = 10
    listeners: int = 50
    bundle_seconds: int = 60
    drain_seconds: float = 30.0  # at most this long after the sending for due pushes to arrive
    seed: int = 24


@dataclass(frozen=True)
class Posted:
    """A message the API accepted: its place, who sent it, whom it @mentioned, its commit."""

    seq: int
    sender_id: int
    mentioned: int | None
    created_at: float  # seconds since the epoch


class MentioningLoad(ChatLoad):
    """The chat load of ``tuan bench data-rights`` with its messages posted through the HTTP
    API instead (so each has its place and commit time), by the senders in turn, one in
    ``mention_every`` @mentioning a random member other than its sender. Posts are not awaited
    one by one: a slow answer does not lower the offered rate."""

    def __init__(
        self, base: str, group: PushGroup, senders: list[Member], listeners: list[Member],
        options: PushBenchOptions, http: httpx.AsyncClient,
    ) -> None:  # fmt: skip
        super().__init__(
            base, group.group_id, senders[0].token, [m.token for m in listeners], options.rate
        )
        self.senders = senders
        self.members = group.members
        self.mention_every = options.mention_every
        self.random = random.Random(options.seed)
        self.http = http
        self.posted: list[Posted] = []
        self.failed = 0
        self._in_flight: set[asyncio.Task[None]] = set()

    async def send_one(self, n: int, sent: float) -> None:
        task = asyncio.create_task(self._post(n, sent))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)

    async def _post(self, n: int, sent: float) -> None:
        sender = self.senders[n % len(self.senders)]
        text, mentions = f"bench {sent:.6f} {n}", []
        if n % self.mention_every == 0:
            target = self.random.choice([m for m in self.members if m != sender])
            text, mentions = f"{text} @{target.username}", [target.user_id]
        try:
            answer = await self.http.post(
                f"/api/v1/conversations/{self.group_id}/messages",
                headers={"Authorization": f"Bearer {sender.token}"},
                json={"text": text, "mentions": mentions},
            )
        except httpx.HTTPError:
            self.failed += 1
            return
        if answer.status_code != 201:
            self.failed += 1
            return
        body = answer.json()
        created = datetime.fromisoformat(body["created_at"]).timestamp()
        mentioned = mentions[0] if mentions else None
        self.posted.append(Posted(body["seq"], sender.user_id, mentioned, created))

    async def settle(self) -> None:
        """Wait for the posts still in flight."""
        await asyncio.gather(*list(self._in_flight), return_exceptions=True)


def roles(group: PushGroup, listeners: int) -> tuple[list[Member], list[Member]]:
    """The senders (muted members: every awake member hears the first message) and the
    listeners (muted ones first, then awake ones if the group is small)."""
    asleep = group.asleep()
    if not asleep:
        raise ValueError("the group needs at least one member who muted it, to send")
    senders = asleep[: min(SENDERS, max(1, len(asleep) // 2))]
    rest = [m for m in group.members if m not in senders]
    rest.sort(key=lambda m: m.awake)
    return senders, rest[:listeners]


# --- one run --------------------------------------------------------------------------------------


@dataclass
class RunResult:
    chat: Window
    posted: list[Posted]
    post_errors: int
    received: list[Received]
    rejected: list[str]
    group: PushGroup
    version: str
    first_sent_at: float  # wall clock


async def _undone_push_jobs(database_url: str, by: datetime) -> int:
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            found = await conn.scalar(
                sa.select(sa.func.count())
                .select_from(DueJob)
                .where(
                    DueJob.kind.in_((SEND_JOB, CHAT_JOB)),
                    DueJob.done_at.is_(None),
                    DueJob.run_at <= by,
                )
            )
            return int(found or 0)
    finally:
        await engine.dispose()


async def _drain(database_url: str, options: PushBenchOptions) -> None:
    """After the sending: wait (up to ``drain_seconds``) until every push due by a few seconds
    after it (5, or the window if shorter) has gone, so that the bundled pushes falling due just
    after the sending are counted."""
    by = datetime.now(UTC) + timedelta(seconds=min(DRAIN_MARGIN_SECONDS, options.bundle_seconds))
    deadline = time.monotonic() + options.drain_seconds
    while time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        if datetime.now(UTC) > by and await _undone_push_jobs(database_url, by) == 0:
            return


async def _measure(
    base: str, database_url: str, group: PushGroup, options: PushBenchOptions, push: bool,
) -> tuple[MentioningLoad, Window, float]:  # fmt: skip
    senders, listeners = roles(group, options.listeners)
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        load = MentioningLoad(base, group, senders, listeners, options, http)
        await load.start()
        started, first_sent_at = time.monotonic(), time.time()
        try:
            await asyncio.sleep(options.seconds)
            load.stop_sending()
            chat = load.window(started, time.monotonic())
            await load.settle()
            if push:
                await _drain(database_url, options)
        finally:
            await load.stop()
    return load, chat, first_sent_at


async def one_run(
    database_url: str, options: PushBenchOptions, *, push: bool, work: Path, advance: Advance
) -> RunResult:
    """Seed, serve (with or without VAPID keys), measure."""
    private, public = generate_keys()
    service = LocalPushService(public)
    await service.start()
    try:
        group = await seed_push_group(
            database_url, service, members=options.members, awake=options.awake, advance=advance
        )
        port = _free_port()
        env = server_env(database_url, options.redis_url, work, port)
        env["TUAN_PUSH_BUNDLE_SECONDS"] = str(options.bundle_seconds)
        if push:
            env.update(
                TUAN_VAPID_PRIVATE_KEY=private,
                TUAN_VAPID_PUBLIC_KEY=public,
                TUAN_VAPID_SUBJECT="mailto:bench@tuan.test",
                # The local push service is on 127.0.0.1 (refused in production; this server
                # is not one).
                TUAN_PUSH_ALLOW_LOOPBACK="true",
            )
        log = work / f"tuan-push-{'on' if push else 'off'}.log"
        with _process([sys.executable, "-m", "tuan", "serve"], env, log) as server:
            await asyncio.to_thread(_wait_http, f"http://127.0.0.1:{port}/readyz", server, log)
            load, chat, first_sent_at = await _measure(
                f"http://127.0.0.1:{port}", database_url, group, options, push
            )
        engine = create_async_engine(database_url)
        try:
            async with engine.connect() as conn:
                version = await database_version(conn)
        finally:
            await engine.dispose()
    finally:
        await service.stop()
    return RunResult(
        chat, sorted(load.posted, key=lambda p: p.seq), load.failed, list(service.received),
        list(service.rejected), group, version, first_sent_at,
    )  # fmt: skip


def run(
    options: PushBenchOptions, advance: Advance, status: Callable[[str], None]
) -> dict[str, Any]:
    """The run without push, then the run with it; the figures (see :func:`figures`)."""
    from tuan.core.migrate import upgrade

    load_before = os.getloadavg()
    results: dict[bool, RunResult] = {}
    for push in (False, True):
        with (
            tempfile.TemporaryDirectory(prefix="tuan-bench-push-") as scratch,
            fresh_database(options.database_url, Path(scratch)) as database_url,
        ):
            status(f"push {'on' if push else 'off'}: migrating and seeding")
            asyncio.run(upgrade(database_url))
            status(f"push {'on' if push else 'off'}: {options.seconds:g} s of messages")
            results[push] = asyncio.run(
                one_run(database_url, options, push=push, work=Path(scratch), advance=advance)
            )
    machine = conditions(results[True].version, options.redis_url, load_before)
    return figures(options, results[True], results[False], machine)


# --- the figures ---------------------------------------------------------------------------------


def expected_immediate(group: PushGroup, posted: list[Posted]) -> dict[tuple[str, str, int], float]:
    """The pushes that must go at once, each with its message's commit time: ("mention",
    device, seq) for every @mention, ("first", device, 0) for each awake member's first message
    after the quiet spell (the first they neither sent nor were @mentioned in)."""
    device = {m.user_id: m.device for m in group.members}
    expected: dict[tuple[str, str, int], float] = {}
    for p in posted:
        if p.mentioned is not None:
            expected[("mention", device[p.mentioned], p.seq)] = p.created_at
    for member in group.awake():
        first = next((p for p in posted if member.user_id not in (p.sender_id, p.mentioned)), None)
        if first is not None:
            expected[("first", member.device, 0)] = first.created_at
    return expected


def arrived_immediate(received: list[Received]) -> dict[tuple[str, str, int], float]:
    """The same keys for what arrived: a notification's push says its message's place
    (``order``); a device's first chat push is its "first after a quiet spell"."""
    arrived: dict[tuple[str, str, int], float] = {}
    for r in sorted(received, key=lambda r: r.at):
        if "notification_id" in r.payload:
            arrived.setdefault(("mention", r.token, int(r.payload["order"])), r.at)
        else:
            arrived.setdefault(("first", r.token, 0), r.at)
    return arrived


def duplicated(received: list[Received]) -> int:
    """Pushes that arrived again: the same device and notification, or the same device and
    chat summary (its newest message's place)."""
    counts = Counter(
        (r.token, "n", r.payload["notification_id"])
        if "notification_id" in r.payload
        else (r.token, "c", r.payload.get("order"))
        for r in received
    )
    return sum(n - 1 for n in counts.values())


def most_in_a_window(received: list[Received], window: float) -> int:
    """The most pushes one device got for one chat (tag) within any ``window`` seconds."""
    times: dict[tuple[str, str], list[float]] = defaultdict(list)
    for r in received:
        times[(r.token, str(r.payload.get("tag")))].append(r.at)
    most = 0
    for ats in times.values():
        ats.sort()
        low = 0
        for high, at in enumerate(ats):
            while at - ats[low] >= window:
                low += 1
            most = max(most, high - low + 1)
    return most


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"count": 0, "p50_ms": 0.0, "p99_ms": 0.0, "max_ms": 0.0}
    ordered = sorted(values)
    cuts = (
        statistics.quantiles(ordered, n=100, method="inclusive")
        if len(ordered) >= 2
        else [ordered[0]] * 99
    )
    return {"count": len(ordered), "p50_ms": round(cuts[49], 1),
            "p99_ms": round(cuts[98], 1), "max_ms": round(ordered[-1], 1)}  # fmt: skip


def figures(
    options: PushBenchOptions, on: RunResult, off: RunResult, conditions: dict[str, Any]
) -> dict[str, Any]:
    """The JSON the command writes: the issue's keys first, then the detail."""
    expected = expected_immediate(on.group, on.posted)
    arrived = arrived_immediate(on.received)
    latency = {
        kind: [
            (arrived[key] - at) * 1000
            for key, at in expected.items()
            if key[0] == kind and key in arrived
        ]
        for kind in ("mention", "first")
    }
    every = percentiles(latency["mention"] + latency["first"])
    bundled = [r for r in on.received if "notification_id" not in r.payload]
    span = max((r.at for r in on.received), default=on.first_sent_at) - on.first_sent_at
    base = off.chat.deliveries_per_s
    result: dict[str, Any] = {
        "database": "postgresql" if options.database_url else "sqlite",
        "members": options.members,
        "pushes": len(on.received),
        "push_p50_ms": every["p50_ms"],
        "push_p99_ms": every["p99_ms"],
        "pushes_per_s": round(len(on.received) / span, 2) if span > 0 else 0.0,
        "max_pushes_per_member_window": most_in_a_window(on.received, options.bundle_seconds),
        "chat_ratio_with_push": round(on.chat.deliveries_per_s / base, 3) if base else 0.0,
        "lost": sum(1 for key in expected if key not in arrived),
        "duplicated": duplicated(on.received),
        "awake_members": options.awake,
        "rate_msg_s": options.rate,
        "seconds": options.seconds,
        "mention_every": options.mention_every,
        "bundle_seconds": options.bundle_seconds,
        "commit_time": COMMIT_TIME,
        "messages_posted": len(on.posted),
        "post_errors": on.post_errors,
        "immediate": {
            "expected": len(expected),
            "all": every,
            "mentions": percentiles(latency["mention"]),
            "first_after_quiet": percentiles(latency["first"]),
            "latencies_ms": {k: [round(v, 1) for v in vs] for k, vs in latency.items()},
        },
        "bundled_pushes": len(bundled),
        "max_bundled_per_member_window": most_in_a_window(bundled, options.bundle_seconds),
        "pushes_span_s": round(span, 2),
        "rejected_by_push_service": len(on.rejected),
        "chat": {
            "listeners": len(roles(on.group, options.listeners)[1]),
            "with_push": asdict(on.chat),
            "without_push": asdict(off.chat),
            "messages_posted_without_push": len(off.posted),
            "pushes_without_push": len(off.received),
        },
        "conditions": conditions,
    }
    result["bars"] = judge(result, BARS)
    return result


def plot(result: dict[str, Any], out: Path) -> None:
    """The immediate pushes' latencies as a distribution (one line per kind), the bar drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axis = plt.subplots(figsize=(6, 4))
    names = {"mention": "@mentions", "first": "first message after a quiet spell"}
    for kind, values in result["immediate"]["latencies_ms"].items():
        if values:
            ordered = sorted(values)
            share = [(i + 1) / len(ordered) for i in range(len(ordered))]
            axis.step(ordered, share, where="post", label=f"{names[kind]} ({len(ordered)})")
    axis.axvline(BARS["push_p99_ms"][1], color="grey", linestyle="--", linewidth=0.8)
    axis.set_xlabel("message commit → encrypted push arrived (ms)")
    axis.set_ylabel("share of pushes")
    axis.set_title(
        f"{result['members']} members, {result['rate_msg_s']:g} msg/s, "
        f"{result['conditions']['engine']}"
    )
    axis.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(out, dpi=120)
