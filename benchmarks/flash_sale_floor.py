"""The ceiling under `tuan bench flash-sale`: the least an HTTP flash sale can do, measured here.

Issue 4 asks for paid orders at half the rate of raw conditional ``UPDATE`` commits. This script
asks what that ratio is for a server that does *nothing but* the database work an order cannot
do without, on the same stack (uvicorn + FastAPI + SQLAlchemy + asyncpg) and with the same
buyers (64 in flight, checkout then pay, through aiohttp):

* ``client``: both endpoints answer without touching the database — what the client and the
  framework alone allow;
* ``two statements``: checkout is one transaction (conditional stock ``UPDATE``, ``INSERT`` of
  an order row), payment one conditional ``UPDATE`` of that row;
* ``one statement``: checkout is a single autocommitted CTE doing both, so the hot row's lock is
  held for no client round trip.

No authentication, no lines, no idempotency key, no reservation expiry, no events: a real order
needs all of them, so a real server can only be slower than these figures. Each shape runs
against its own tables in the given (PostgreSQL) database, which are dropped afterwards, and the
raw loop is run in the same way as the real benchmark's. Figures go in ``BENCHMARKS.md``.

    .venv/bin/python benchmarks/flash_sale_floor.py \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/tuan_bench
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from tuan.bench.flash_sale import cpu_seconds, free_port

SHAPES = ("client", "two statements", "one statement")
CHECKOUT_TWO = "UPDATE floor_skus SET stock = stock - 1 WHERE id = 1 AND stock > 0"
INSERT_ORDER = "INSERT INTO floor_orders (status) VALUES ('pending') RETURNING id"
CHECKOUT_ONE = (
    "WITH sold AS (UPDATE floor_skus SET stock = stock - 1 WHERE id = 1 AND stock > 0 "
    "RETURNING id) INSERT INTO floor_orders (status) SELECT 'pending' FROM sold RETURNING id"
)
PAY = "UPDATE floor_orders SET status = 'paid' WHERE id = :id AND status = 'pending'"
RAW = "UPDATE floor_skus SET stock = stock - 1 WHERE id = 2 AND stock > 0"
DROP = ("DROP TABLE IF EXISTS floor_skus", "DROP TABLE IF EXISTS floor_orders")


def _app(url: str, shape: str) -> Any:
    from fastapi import FastAPI

    engine = create_async_engine(url, pool_size=20, max_overflow=20)
    autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
    app = FastAPI()

    @app.post("/checkout", status_code=201)
    async def checkout() -> dict[str, Any]:
        if shape == "client":
            return {"id": 1}
        if shape == "one statement":
            async with autocommit.connect() as connection:
                order_id = (await connection.execute(text(CHECKOUT_ONE))).scalar()
        else:
            async with engine.begin() as connection:
                sold = await connection.execute(text(CHECKOUT_TWO))
                order_id = (
                    (await connection.execute(text(INSERT_ORDER))).scalar()
                    if sold.rowcount == 1
                    else None
                )
        return {"id": order_id} if order_id is not None else {"error": "SOLD_OUT"}

    @app.post("/orders/{order_id}/pay")
    async def pay(order_id: int) -> dict[str, str]:
        if shape != "client":
            async with engine.begin() as connection:
                await connection.execute(text(PAY), {"id": order_id})
        return {"status": "paid"}

    return app


async def _reset(url: str, stock: int) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        for statement in (
            *DROP,
            "CREATE TABLE floor_skus (id integer PRIMARY KEY, stock integer NOT NULL)",
            "CREATE TABLE floor_orders (id serial PRIMARY KEY, status text NOT NULL)",
        ):
            await connection.execute(text(statement))
        await connection.execute(
            text("INSERT INTO floor_skus VALUES (1, :stock), (2, :stock)"), {"stock": stock}
        )
    await engine.dispose()


async def _drop(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        for statement in DROP:
            await connection.execute(text(statement))
    await engine.dispose()


async def _buyers(base: str, buyers: int, concurrency: int) -> float:
    """Paid orders per second until the last paid order, like ``tuan bench flash-sale``."""
    gate = asyncio.Semaphore(concurrency)
    last = 0.0
    paid = 0
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(base, connector=connector) as http:
        started = time.perf_counter()

        async def buyer() -> None:
            nonlocal last, paid
            async with gate:
                async with http.post("/checkout") as answer:
                    placed = await answer.json()
                if "id" in placed:
                    async with http.post(f"/orders/{placed['id']}/pay") as answer:
                        await answer.read()
                    paid += 1
                    last = time.perf_counter() - started

        await asyncio.gather(*(buyer() for _ in range(buyers)))
    return paid / last if last else 0.0


async def _raw(engine: AsyncEngine, concurrency: int) -> float:
    done = 0
    last = 0.0
    started = time.perf_counter()

    async def worker() -> None:
        nonlocal done, last
        while True:
            async with engine.begin() as connection:
                result = await connection.execute(text(RAW))
            if result.rowcount != 1:
                return
            done += 1
            last = time.perf_counter() - started

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done / last if last else 0.0


async def _wait_ready(base: str) -> None:
    async with aiohttp.ClientSession(base) as http:
        for _ in range(200):
            try:
                async with http.post("/orders/0/pay") as answer:
                    if answer.status == 200:
                        return
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)
    raise RuntimeError("the floor server did not start")


def _measure(url: str, shape: str, buyers: int, stock: int, concurrency: int) -> dict[str, Any]:
    asyncio.run(_reset(url, stock))
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 (this very script, with our own arguments)
        [sys.executable, __file__, "--serve", shape, "--port", str(port), "--database-url", url]
    )
    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(_wait_ready(base))
        cpu_before = cpu_seconds(server.pid)
        rate = asyncio.run(_buyers(base, buyers, concurrency))
        cpu_after = cpu_seconds(server.pid)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=20)

    async def raw() -> float:
        engine = create_async_engine(url, pool_size=20, max_overflow=60)
        try:
            return await _raw(engine, concurrency)
        finally:
            await engine.dispose()

    raw_rate = asyncio.run(raw())
    return {
        "shape": shape,
        "orders_per_s": round(rate, 1),
        "raw_updates_per_s": round(raw_rate, 1),
        "ratio": round(rate / raw_rate, 3) if raw_rate else 0.0,
        "server_cpu_ms_per_buyer": round(1000 * (cpu_after - cpu_before) / buyers, 2)
        if cpu_before is not None and cpu_after is not None
        else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database to use")
    parser.add_argument("--buyers", type=int, default=2000)
    parser.add_argument("--stock", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--serve", choices=SHAPES, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        import uvicorn

        app = _app(args.database_url, args.serve)
        uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")
        return
    rows = []
    try:
        for shape in SHAPES:
            row = _measure(args.database_url, shape, args.buyers, args.stock, args.concurrency)
            print(
                f"{shape:>15}: {row['orders_per_s']:7.1f} paid orders/s, raw "
                f"{row['raw_updates_per_s']:6.1f}/s, ratio {row['ratio']:.3f}, server CPU "
                f"{row['server_cpu_ms_per_buyer']} ms per buyer",
                flush=True,
            )
            rows.append(row)
    finally:
        asyncio.run(_drop(args.database_url))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
