"""Checkout idempotency: a retry gets the same order; a key reused for another body is refused."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import func, select

from tests.e2e.commerce.kit import checkout, crowd, stock_of, storefront
from tests.factories import person
from tuan.bootstrap import Container
from tuan.orders.models import Order


async def _orders(container: Container) -> int:
    async with container.db.read_sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Order)) or 0)


async def test_the_same_key_and_body_return_the_same_order_once(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, stock=5)
    buyer = await person(client, "lin")
    items = [{"sku_id": front.sku_id, "quantity": 2}]
    first = await checkout(client, buyer, items, key="order-2026-11-22-a")
    retry = await checkout(client, buyer, items, key="order-2026-11-22-a")
    assert first.status_code == 201 and retry.status_code == 200
    assert retry.json()["id"] == first.json()["id"]
    assert await _orders(container) == 1 and await stock_of(client, buyer, front.product["id"]) == 3


async def test_the_same_key_with_a_different_body_is_a_409_and_changes_nothing(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, stock=5)
    buyer = await person(client, "lin")
    await checkout(client, buyer, [{"sku_id": front.sku_id, "quantity": 1}], key="k1")
    reused = await checkout(client, buyer, [{"sku_id": front.sku_id, "quantity": 3}], key="k1")
    assert reused.status_code == 409
    assert reused.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert await _orders(container) == 1 and await stock_of(client, buyer, front.product["id"]) == 4


async def test_keys_belong_to_one_buyer(client: httpx.AsyncClient, container: Container) -> None:
    front = await storefront(client, container, stock=5)
    one, two = await person(client, "lin"), await person(client, "wei")
    items = [{"sku_id": front.sku_id, "quantity": 1}]
    a = await checkout(client, one, items, key="same-key")
    b = await checkout(client, two, items, key="same-key")
    assert a.status_code == b.status_code == 201 and a.json()["id"] != b.json()["id"]


async def test_concurrent_retries_with_one_key_make_one_order(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, stock=50)
    (buyer,) = await crowd(container, 1)
    items = [{"sku_id": front.sku_id, "quantity": 1}]
    responses = await asyncio.gather(
        *(checkout(client, buyer, items, key="tap-tap") for _ in range(12))
    )
    assert {r.status_code for r in responses} <= {200, 201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert (
        await _orders(container) == 1 and await stock_of(client, buyer, front.product["id"]) == 49
    )


async def test_a_key_whose_checkout_failed_can_be_used_again(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, stock=1)
    buyer = await person(client, "lin")
    items = [{"sku_id": front.sku_id, "quantity": 2}]
    assert (await checkout(client, buyer, items, key="retry-me")).status_code == 409
    restock = await client.patch(
        f"/api/v1/skus/{front.sku_id}", headers=front.owner.headers, json={"add_stock": 1}
    )
    assert restock.status_code == 200
    assert (await checkout(client, buyer, items, key="retry-me")).status_code == 201


async def test_checkout_from_the_cart_takes_one_shops_items_out_of_it(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, stock=5)
    buyer = await person(client, "lin")
    put = await client.put(
        f"/api/v1/cart/items/{front.sku_id}", headers=buyer.headers, json={"quantity": 3}
    )
    assert put.json()["lines"][0]["unit_price"] == 9900
    placed = await client.post(
        "/api/v1/orders",
        headers={**buyer.headers, "Idempotency-Key": "cart-1"},
        json={"shop_id": front.shop["id"]},
    )
    assert placed.status_code == 201, placed.text
    assert placed.json()["total"] == 3 * 9900
    assert (await client.get("/api/v1/cart", headers=buyer.headers)).json()["lines"] == []
    empty = await client.post(
        "/api/v1/orders",
        headers={**buyer.headers, "Idempotency-Key": "cart-2"},
        json={"shop_id": front.shop["id"]},
    )
    assert empty.status_code == 422 and empty.json()["error"]["code"] == "EMPTY_ORDER"


async def test_putting_the_same_item_in_the_cart_from_two_tabs_at_once_keeps_one_line(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, stock=5)
    (buyer,) = await crowd(container, 1)
    puts = await asyncio.gather(
        *(
            client.put(
                f"/api/v1/cart/items/{front.sku_id}", headers=buyer.headers, json={"quantity": n}
            )
            for n in (1, 2, 3, 4)
        )
    )
    assert {p.status_code for p in puts} == {200}
    lines = (await client.get("/api/v1/cart", headers=buyer.headers)).json()["lines"]
    assert len(lines) == 1 and lines[0]["quantity"] in (1, 2, 3, 4)
