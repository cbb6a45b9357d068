"""The flash-sale benchmark: many buyers at one hot SKU through the real HTTP API.

It starts ``tuan serve`` on the database, sends ``buyers`` concurrent buyers (checkout, then pay
through the sandbox) at one SKU with ``stock`` units, and compares the rate at which paid orders
sold the stock with the raw limit of the same database: a loop of single-row conditional
``UPDATE skus SET stock = stock - 1 WHERE id = :id AND stock > 0`` commits, run by as many
concurrent workers through the same engine settings, measured in the same run.

Both rates are "units sold per second until the stock ran out", so buyers who arrive after the
sell-out (and get a quick "sold out") do not flatter or penalise either side.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from tuan.accounts import domain as accounts_domain
from tuan.accounts.models import Session, User
from tuan.catalog.models import Product, Shop, Sku
from tuan.core.db import changed_one, create_database, write_session
from tuan.core.migrate import upgrade
from tuan.orders.models import Order, OrderLine

Progress = Callable[[int], None]
RESENDS = 3  # how often a buyer resends a request whose connection dropped
NO_LOGIN = "!"  # not a password hash: nothing verifies against it, so nobody can log in


@dataclass(frozen=True)
class FlashSaleResult:
    database: str
    buyers: int
    stock: int
    paid_orders: int
    oversold: int
    orders_per_s: float
    raw_updates_per_s: float
    ratio: float
    concurrency: int
    sold_out_answers: int
    other_answers: int
    sell_out_seconds: float
    raw_sell_out_seconds: float
    server_cpu_ms_per_order: float | None  # where the time goes (Linux only)
    resent_requests: int = 0  # dropped connections the buyers' client resent (idempotently)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Seeded:
    sku_id: int
    raw_sku_id: int
    tokens: list[str]


def default_database_url() -> str:
    folder = Path(tempfile.mkdtemp(prefix="tuan-flash-sale-"))
    return f"sqlite+aiosqlite:///{folder / 'flash-sale.db'}"


async def _seed(url: str, buyers: int, stock: int) -> _Seeded:
    """A merchant, a shop, the hot SKU, a twin SKU for the raw baseline, buyers with sessions."""
    from datetime import UTC, datetime

    from tuan.core.search import search_text

    db = create_database(url)
    now = datetime.now(UTC)
    tokens: list[str] = []
    tag = uuid.uuid4().hex[:6]
    try:
        async with write_session(db) as session:
            merchant = User(
                username=f"flash_{tag}",
                username_key=f"flash_{tag}",
                display_name="秒杀商家 Flash-sale shop",
                password_hash=NO_LOGIN,
                verified=True,
                created_at=now,
                updated_at=now,
            )
            session.add(merchant)
            await session.flush()
            shop = Shop(
                owner_id=merchant.id,
                name="秒杀 Flash sale",
                currency="CNY",
                commission_rate_bp=0,
                created_at=now,
                updated_at=now,
            )
            session.add(shop)
            await session.flush()
            skus = []
            for name in ("限量口罩 Masks at midnight", "raw baseline twin"):
                product = Product(
                    shop_id=shop.id,
                    name=name,
                    currency="CNY",
                    search_text=search_text(name),
                    created_at=now,
                    updated_at=now,
                )
                session.add(product)
                await session.flush()
                sku = Sku(
                    product_id=product.id, label="50 pcs", price=1980, stock=stock, created_at=now
                )
                session.add(sku)
                await session.flush()
                skus.append(sku.id)
            for n in range(buyers):
                name = f"fb{tag}_{n}"
                user = User(
                    username=name,
                    username_key=name,
                    display_name=name,
                    password_hash=NO_LOGIN,
                    created_at=now,
                    updated_at=now,
                )
                session.add(user)
                await session.flush()
                token = accounts_domain.new_session_token()
                session.add(
                    Session(
                        user_id=user.id,
                        token_hash=accounts_domain.hash_token(token),
                        created_at=now,
                        expires_at=now + timedelta(days=1),
                    )
                )
                tokens.append(token)
            await session.commit()
    finally:
        await db.dispose()
    return _Seeded(sku_id=skus[0], raw_sku_id=skus[1], tokens=tokens)


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far, from /proc (None where there is no /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TUAN_")}
    env.update(
        TUAN_DATABASE_URL=url,
        TUAN_HOST="127.0.0.1",
        TUAN_PORT=str(port),
        TUAN_LOG_LEVEL="WARNING",
        TUAN_MEDIA_DIR=str(log.parent / "media"),
        TUAN_SECRET_KEY=uuid.uuid4().hex,
    )
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "tuan", "serve"], env=env, stdout=out, stderr=subprocess.STDOUT
        )


async def _wait_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    async with aiohttp.ClientSession(base) as http:
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError(f"the server exited; its log is {log}")
            try:
                async with http.get("/readyz", timeout=aiohttp.ClientTimeout(total=1)) as ready:
                    if ready.status == 200:
                        return
            except (aiohttp.ClientError, TimeoutError):
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the server did not become ready within 60 s")


async def _run_buyers(
    base: str, seeded: _Seeded, concurrency: int, progress: Progress | None
) -> tuple[Counter[str], float, int]:
    """Every buyer checks out one unit and pays; returns the answers, the sell-out time and how
    many requests were resent after a dropped connection.

    The buyers speak through aiohttp, not httpx: on this 2-core machine httpx's client tops out
    near 260 requests/s at 64 connections against an endpoint that does nothing, aiohttp near
    5,000, and the load generator shares the cores with the server it measures."""
    answers: Counter[str] = Counter()
    gate = asyncio.Semaphore(concurrency)
    last_paid = 0.0
    resends = 0
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(base, connector=connector, timeout=timeout) as http:
        started = time.perf_counter()

        async def send(
            method: str, path: str, headers: dict[str, str], body: Any = None
        ) -> tuple[int, Any]:
            async with http.request(method, path, headers=headers, json=body) as response:
                return response.status, await response.json(content_type=None)

        async def resend_on_drop(
            method: str, path: str, headers: dict[str, str], body: Any = None
        ) -> tuple[int, Any]:
            """What a real client does when a keep-alive connection drops under load: send again.
            Checkout carries an idempotency key, so a resend returns the same order."""
            nonlocal resends
            for attempt in range(RESENDS + 1):
                try:
                    return await send(method, path, headers, body)
                except aiohttp.ClientConnectionError:
                    if attempt == RESENDS:
                        raise
                    resends += 1
            raise AssertionError("unreachable")

        async def buyer(token: str) -> None:
            nonlocal last_paid
            headers = {"Authorization": f"Bearer {token}"}
            checkout = {**headers, "Idempotency-Key": uuid.uuid4().hex}
            body = {"items": [{"sku_id": seeded.sku_id, "quantity": 1}]}
            async with gate:
                status, placed = await resend_on_drop("POST", "/api/v1/orders", checkout, body)
                if status != 201:
                    answers[placed.get("error", {}).get("code", str(status))] += 1
                else:
                    order_id = placed["id"]
                    try:
                        status, paid = await send(
                            "POST", f"/api/v1/orders/{order_id}/payments", headers, {}
                        )
                        ok = 200 <= status < 300
                        outcome = paid.get("order", {}).get("status") if ok else None
                        answer = f"payment_{status}"
                    except aiohttp.ClientConnectionError:
                        # The answer was lost, not necessarily the payment: read the order.
                        page = f"/api/v1/orders/{order_id}"
                        _, order = await resend_on_drop("GET", page, headers)
                        outcome, answer = order.get("status"), "payment_lost"
                    answers["paid" if outcome == "paid" else answer] += 1
                    if outcome == "paid":
                        last_paid = time.perf_counter() - started
            if progress:
                progress(1)

        await asyncio.gather(*(buyer(t) for t in seeded.tokens))
    return answers, last_paid, resends


async def _raw_updates(url: str, sku_id: int, concurrency: int) -> tuple[int, float]:
    """The database's own limit: conditional single-row updates, one commit each, through engines
    configured as the server configures them."""
    db = create_database(url, background_checkpoints=True)
    statement = text("UPDATE skus SET stock = stock - 1 WHERE id = :id AND stock > 0")
    done = 0
    last = 0.0
    try:
        started = time.perf_counter()

        async def worker() -> None:
            nonlocal done, last
            while True:
                async with write_session(db) as session:
                    result = await session.execute(statement, {"id": sku_id})
                    await session.commit()
                if not changed_one(result):
                    return
                done += 1
                last = time.perf_counter() - started

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    finally:
        await db.dispose()
    return done, last


async def _sold_units(url: str, sku_id: int) -> tuple[int, int]:
    """(units in paid orders, stock left) read back from the database."""
    db = create_database(url)
    try:
        async with db.read_sessions() as session:
            sold = await session.scalar(
                select(func.coalesce(func.sum(OrderLine.quantity), 0))
                .join(Order, Order.id == OrderLine.order_id)
                .where(OrderLine.sku_id == sku_id, Order.status == "paid")
            )
            left = await session.scalar(select(Sku.stock).where(Sku.id == sku_id))
    finally:
        await db.dispose()
    return int(sold or 0), int(left or 0)


async def run_flash_sale(
    *,
    database_url: str,
    buyers: int,
    stock: int,
    concurrency: int,
    progress: Progress | None = None,
    status: Callable[[str], None] | None = None,
) -> FlashSaleResult:
    say = status or (lambda _message: None)
    say("migrating the database")
    await upgrade(database_url)
    say(f"seeding a shop, one hot SKU with {stock} units and {buyers} buyers")
    seeded = await _seed(database_url, buyers, stock)
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="tuan-flash-sale-server-")) / "server.log"
    server = _start_server(database_url, port, log)
    base = f"http://127.0.0.1:{port}"
    try:
        await _wait_ready(base, server, log)
        say(f"{buyers} buyers, {concurrency} at a time, through {base}")
        cpu_before = cpu_seconds(server.pid)
        answers, sell_out, resends = await _run_buyers(base, seeded, concurrency, progress)
        cpu_after = cpu_seconds(server.pid)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    say(f"raw baseline: {concurrency} workers of conditional single-row UPDATE commits")
    raw_done, raw_time = await _raw_updates(database_url, seeded.raw_sku_id, concurrency)
    sold, left = await _sold_units(database_url, seeded.sku_id)
    paid = answers["paid"]
    orders_per_s = paid / sell_out if sell_out > 0 else 0.0
    raw_per_s = raw_done / raw_time if raw_time > 0 else 0.0
    return FlashSaleResult(
        database=make_url(database_url).get_backend_name(),
        buyers=buyers,
        stock=stock,
        paid_orders=paid,
        oversold=max(0, sold - stock) + (1 if left < 0 else 0),
        orders_per_s=round(orders_per_s, 1),
        raw_updates_per_s=round(raw_per_s, 1),
        ratio=round(orders_per_s / raw_per_s, 3) if raw_per_s else 0.0,
        concurrency=concurrency,
        sold_out_answers=answers["SOLD_OUT"],
        other_answers=sum(n for k, n in answers.items() if k not in ("paid", "SOLD_OUT")),
        sell_out_seconds=round(sell_out, 3),
        raw_sell_out_seconds=round(raw_time, 3),
        resent_requests=resends,
        server_cpu_ms_per_order=round(1000 * (cpu_after - cpu_before) / max(1, paid), 1)
        if cpu_before is not None and cpu_after is not None
        else None,
    )
