"""No overselling: many buyers at once on a hot SKU never drive stock below zero, never sell more
than a deal's cap, on SQLite and on PostgreSQL (the same test runs in both passes)."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import httpx
from sqlalchemy import func, select

from tests.e2e.commerce.kit import checkout, crowd, pay, stock_of, storefront
from tests.factories import Person
from tuan.bootstrap import Container
from tuan.orders.models import Order


async def _buy_once(
    client: httpx.AsyncClient, buyer: Person, item: dict[str, int]
) -> tuple[int, str]:
    placed = await checkout(client, buyer, [item])
    if placed.status_code != 201:
        return placed.status_code, placed.json()["error"]["code"]
    paid = await pay(client, buyer, placed.json()["id"])
    return paid.status_code, paid.json()["order"]["status"]


async def test_200_concurrent_checkouts_for_10_units_give_10_paid_orders_and_190_sold_out(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, stock=10)
    buyers = await crowd(container, 200)

    results = await asyncio.gather(
        *(_buy_once(client, b, {"sku_id": front.sku_id, "quantity": 1}) for b in buyers)
    )

    assert Counter(results) == {(201, "paid"): 10, (409, "SOLD_OUT"): 190}
    assert await stock_of(client, front.owner, front.product["id"]) == 0
    async with container.db.read_sessions() as session:
        paid = await session.scalar(
            select(func.count()).select_from(Order).where(Order.status == "paid")
        )
    assert paid == 10


async def test_concurrent_multi_unit_orders_never_take_more_than_is_left(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, stock=10)
    buyers = await crowd(container, 40)

    results = await asyncio.gather(
        *(
            checkout(client, b, [{"sku_id": front.sku_id, "quantity": 1 + n % 3}])
            for n, b in enumerate(buyers)
        )
    )

    taken = sum(r.json()["total"] // 9900 for r in results if r.status_code == 201)
    assert taken + await stock_of(client, front.owner, front.product["id"]) == 10
    assert {r.json()["error"]["code"] for r in results if r.status_code != 201} == {"SOLD_OUT"}


async def test_a_deal_never_sells_more_than_its_cap(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, stock=100, price=9900)
    now = container.clock.now()
    deal = await client.post(
        f"/api/v1/skus/{front.sku_id}/deals",
        headers=front.owner.headers,
        json={
            "price": 1980,
            "starts_at": (now - timedelta(minutes=1)).isoformat(),
            "ends_at": (now + timedelta(hours=1)).isoformat(),
            "stock_cap": 5,
            "per_customer_limit": 1,
        },
    )
    assert deal.status_code == 201, deal.text
    buyers = await crowd(container, 60)

    results = await asyncio.gather(
        *(
            _buy_once(
                client, b, {"sku_id": front.sku_id, "quantity": 1, "deal_id": deal.json()["id"]}
            )
            for b in buyers
        )
    )

    assert Counter(results) == {(201, "paid"): 5, (409, "DEAL_SOLD_OUT"): 55}
    after = (
        await client.get(f"/api/v1/deals/{deal.json()['id']}", headers=front.owner.headers)
    ).json()
    assert after["remaining"] == 0 and after["state"] == "sold_out"
    assert await stock_of(client, front.owner, front.product["id"]) == 95
