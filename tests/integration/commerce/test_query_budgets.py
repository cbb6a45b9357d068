"""Query budgets on the hot pages: a product page, a search page and checkout cost a fixed number
of SQL statements however many SKUs, images or results there are (no N+1 can slip in)."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from PIL import Image
from sqlalchemy import event

from tests.e2e.commerce.kit import checkout, list_product, merchant, open_shop, pay
from tests.factories import person
from tuan.bootstrap import Container


@contextmanager
def counting(container: Container) -> Iterator[list[str]]:
    """Statements run by this task (the request, through the in-process ASGI client); the
    outbox relay and the scheduler sweep in tasks of their own and are not counted."""
    statements: list[str] = []
    me = asyncio.current_task()

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        skip = statement.lstrip().upper().startswith(("PRAGMA", "BEGIN", "COMMIT", "ROLLBACK"))
        if not skip and asyncio.current_task() is me:
            statements.append(statement)

    engines = {container.db.write_engine.sync_engine, container.db.read_engine.sync_engine}
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (10, 120, 40)).save(out, format="PNG")
    return out.getvalue()


async def test_a_product_page_costs_the_same_with_one_sku_or_twenty(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await merchant(client, container, "mei_shop")
    shop = await open_shop(client, owner)
    small = await list_product(client, owner, shop["id"], skus=[{"label": "a", "price": 100}])
    big = await list_product(
        client,
        owner,
        shop["id"],
        skus=[{"label": f"v{n}", "price": 100 + n, "stock": n} for n in range(20)],
    )
    for _ in range(3):
        await client.post(
            f"/api/v1/products/{big['id']}/images",
            headers=owner.headers,
            files={"file": ("a.png", _png(), "image/png")},
        )
    costs = []
    for product in (small, big):
        with counting(container) as statements:
            page = await client.get(f"/api/v1/products/{product['id']}", headers=owner.headers)
        assert page.status_code == 200
        costs.append(len(statements))
    assert costs[0] == costs[1] <= 5


async def test_a_search_page_costs_the_same_for_two_results_or_twenty(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await merchant(client, container, "mei_shop")
    shop = await open_shop(client, owner)
    for n in range(20):
        await list_product(
            client,
            owner,
            shop["id"],
            name=f"坚果 {n}" if n < 2 else f"茶叶 {n}",
            description="每日一包 one a day",
        )
    costs = []
    for query in ("坚果", "茶叶"):
        with counting(container) as statements:
            found = await client.get("/api/v1/products", params={"q": query}, headers=owner.headers)
        assert len(found.json()) in (2, 18)
        costs.append(len(statements))
    assert costs[0] == costs[1] <= 5


async def test_checkout_and_its_order_page_stay_within_budget(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await merchant(client, container, "mei_shop")
    shop = await open_shop(client, owner)
    product = await list_product(
        client,
        owner,
        shop["id"],
        skus=[{"label": f"v{n}", "price": 100, "stock": 10} for n in range(5)],
    )
    buyer = await person(client, "lin")
    items = [{"sku_id": s["id"], "quantity": 1} for s in product["skus"]]
    with counting(container) as statements:
        placed = await checkout(client, buyer, items)
    assert placed.status_code == 201
    # 1 auth, 1 key, 2 prices, 6 order rows (order, job, lines, transition, key, outbox),
    # 1 conditional stock update per SKU (5); the answer shows the order as written, with no
    # read. On PostgreSQL the stock is held per SKU before the transaction and the holds are
    # consumed in one statement.
    budget = 15 if container.db.is_sqlite else 16
    assert len(statements) <= budget, "\n".join(" ".join(x.split())[:90] for x in statements)


async def test_a_sandbox_payment_is_one_short_transaction(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await merchant(client, container, "mei_shop")
    shop = await open_shop(client, owner)
    product = await list_product(client, owner, shop["id"])
    buyer = await person(client, "lin")
    placed = await checkout(client, buyer, [{"sku_id": product["skus"][0]["id"], "quantity": 1}])
    with counting(container) as statements:
        paid = await pay(client, buyer, placed.json()["id"])
    assert paid.json()["order"]["status"] == "paid"
    # 1 auth; the order paid, its payment, its transition and its outbox row (the flash sale's
    # hot path: no claim-then-settle round); 4 for the order page.
    assert len(statements) <= 9, "\n".join(" ".join(x.split())[:90] for x in statements)
