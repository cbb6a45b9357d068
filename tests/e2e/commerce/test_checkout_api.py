"""Shop → product → checkout → sandbox payment → paid order, through the HTTP API."""

from __future__ import annotations

import httpx

from tests.e2e.commerce.kit import buy, checkout, order_of, pay, settle, stock_of, storefront
from tests.factories import person
from tuan.bootstrap import Container


async def test_a_buyer_checks_out_and_pays_and_the_stock_goes_down(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, stock=5, price=9900)
    buyer = await person(client, "lin")

    placed = await checkout(client, buyer, [{"sku_id": front.sku_id, "quantity": 2}])
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert order["status"] == "pending" and order["total"] == 19800 and order["currency"] == "CNY"
    assert 0 < order["seconds_to_pay"] <= 15 * 60
    assert await stock_of(client, buyer, front.product["id"]) == 3  # reserved

    paid = await pay(client, buyer, order["id"])
    assert paid.status_code == 201, paid.text
    assert paid.json()["status"] == "succeeded"
    assert paid.json()["order"]["status"] == "paid"
    await settle(container)
    page = await order_of(client, buyer, order["id"])
    assert [h["to_status"] for h in page["history"]] == ["pending", "paid"]
    assert page["payments"][0]["status"] == "succeeded"


async def test_the_shop_sees_and_ships_the_order_the_buyer_completes(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container)
    buyer = await person(client, "lin")
    order = await buy(client, buyer, front.sku_id)
    listed = await client.get(
        f"/api/v1/shops/{front.shop['id']}/orders", headers=front.owner.headers
    )
    assert [o["id"] for o in listed.json()] == [order["id"]]
    for actor, action in ((front.owner, "ship"), (buyer, "deliver"), (buyer, "complete")):
        response = await client.post(
            f"/api/v1/orders/{order['id']}/{action}", headers=actor.headers
        )
        assert response.status_code == 200, (action, response.text)
    page = await order_of(client, buyer, order["id"])
    assert [h["to_status"] for h in page["history"]] == [
        "pending",
        "paid",
        "shipped",
        "delivered",
        "completed",
    ]


async def test_checkout_and_payment_answers_are_the_order_page_itself(
    client: httpx.AsyncClient, container: Container
) -> None:
    """Checkout answers with the order as it wrote it (no read back) and the sandbox pays in one
    transaction; both answers must still be exactly what the order page says."""
    front = await storefront(client, container, stock=5)
    buyer = await person(client, "lin")
    placed = await checkout(client, buyer, [{"sku_id": front.sku_id, "quantity": 2}])
    assert placed.status_code == 201, placed.text
    page = await order_of(client, buyer, placed.json()["id"])
    answer = placed.json()
    assert abs(answer.pop("seconds_to_pay") - page.pop("seconds_to_pay")) <= 1
    assert answer == page
    paid = await pay(client, buyer, page["id"])
    assert paid.status_code == 201, paid.text
    assert paid.json()["status"] == "succeeded"
    assert paid.json()["order"] == await order_of(client, buyer, page["id"])
    assert [h["to_status"] for h in paid.json()["order"]["history"]] == ["pending", "paid"]
    assert [p["status"] for p in paid.json()["order"]["payments"]] == ["succeeded"]
    # a second payment of a paid order is refused, as before
    again = await pay(client, buyer, page["id"])
    assert again.status_code == 409
