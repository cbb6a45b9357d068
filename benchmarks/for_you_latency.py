"""How long one "For you" read takes on a community of a given size.

Seeds the demo community (people, friendships, groups, shops) on a fresh SQLite file (or the
database given), adds paid orders spread over its people and products with privacy audiences
mixed (half open to shared groups, a quarter to friends, a quarter hidden), then times
``tuan.foryou.queries.for_you`` for a sample of viewers and prints the median and p95 with the
feed sizes.

    .venv/bin/python benchmarks/for_you_latency.py --people 300 --orders-per-person 8
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from tuan.accounts.models import User
from tuan.bootstrap import bootstrap
from tuan.catalog.models import Product, Sku
from tuan.core.migrate import upgrade
from tuan.demo.commerce import seed_demo_shops
from tuan.demo.community import seed_demo
from tuan.foryou.queries import for_you
from tuan.orders.models import Order, OrderLine
from tuan.privacy.models import PrivacySetting
from tuan.settings import Settings

AUDIENCES = ["shared_groups", "shared_groups", "friends", "nobody"]


async def _purchases(settings: Settings, orders_per_person: int, seed: int) -> tuple[int, int]:
    """Paid orders and privacy settings written straight to the tables (the checkout path has
    its own benchmark); returns (people, orders)."""
    rng = random.Random(seed)
    container = bootstrap(settings)
    try:
        async with container.uow() as uow:
            session = uow.session
            people = list(await session.scalars(select(User.id).order_by(User.id)))
            skus = (
                await session.execute(
                    select(Sku.id, Sku.product_id, Sku.price, Product.shop_id, Product.name)
                    .join(Product, Product.id == Sku.product_id)
                    .where(Product.status == "active")
                )
            ).all()
            now = uow.now
            orders = 0
            for person in people:
                audience = rng.choice(AUDIENCES)
                session.add(
                    PrivacySetting(
                        user_id=person, kind="purchases", audience=audience, updated_at=now
                    )
                )
                for sku_id, product_id, price, shop_id, name in rng.sample(
                    skus, min(len(skus), rng.randint(0, 2 * orders_per_person))
                ):
                    order = Order(
                        buyer_id=person,
                        shop_id=shop_id,
                        status="paid",
                        currency="CNY",
                        subtotal=price,
                        total=price,
                        reserved_until=now + timedelta(minutes=15),
                        placed_at=now,
                        paid_at=now,
                        updated_at=now,
                    )
                    session.add(order)
                    await session.flush()
                    session.add(
                        OrderLine(
                            order_id=order.id,
                            product_id=product_id,
                            sku_id=sku_id,
                            product_name=name,
                            sku_label="-",
                            regular_unit_price=price,
                            unit_price=price,
                            quantity=1,
                            line_total=price,
                        )
                    )
                    orders += 1
            await uow.commit()
        return len(people), orders
    finally:
        await container.close()


async def _time_reads(settings: Settings, viewers: int, seed: int) -> tuple[list[float], list[int]]:
    container = bootstrap(settings)
    try:
        async with container.db.read_sessions() as session:
            people = list(await session.scalars(select(User.id).order_by(User.id)))
        sample = random.Random(seed).sample(people, min(viewers, len(people)))
        timings, sizes = [], []
        for viewer in sample:
            async with container.db.read_sessions() as session:
                started = time.perf_counter()
                feed = await for_you(session, viewer, container.clock.now())
                timings.append(1000 * (time.perf_counter() - started))
                sizes.append(len(feed))
        return timings, sizes
    finally:
        await container.close()


async def main(args: argparse.Namespace) -> None:
    console = Console()
    folder = Path(tempfile.mkdtemp(prefix="tuan-for-you-"))
    url = args.database_url or f"sqlite+aiosqlite:///{folder / 'for-you.db'}"
    settings = Settings(database_url=url, media_dir=folder / "media", log_level="WARNING")
    with console.status("migrating and seeding the demo community"):
        await upgrade(url)
        container = bootstrap(settings)
        try:
            community = await seed_demo(container, size=args.people, seed=args.seed)
            await seed_demo_shops(container, [p.username for p in community.people[2:12]])
        finally:
            await container.close()
        people, orders = await _purchases(settings, args.orders_per_person, args.seed)
    with console.status(f"timing For you for {args.viewers} viewers"):
        await _time_reads(settings, 5, args.seed + 1)  # warm the connection pool and caches
        timings, sizes = await _time_reads(settings, args.viewers, args.seed)
    table = Table(title=f"For you on {url.split(':', 1)[0]}: {people} people, {orders} orders")
    for column in ("viewers", "median ms", "p95 ms", "max ms", "median items"):
        table.add_column(column, justify="right")
    ordered = sorted(timings)
    table.add_row(
        str(len(timings)),
        f"{statistics.median(timings):.1f}",
        f"{ordered[int(0.95 * (len(ordered) - 1))]:.1f}",
        f"{ordered[-1]:.1f}",
        f"{statistics.median(sizes):.0f}",
    )
    console.print(table)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--orders-per-person", type=int, default=8)
    parser.add_argument("--viewers", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default=None)
    asyncio.run(main(parser.parse_args()))
