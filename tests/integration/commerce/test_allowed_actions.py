"""What an order page offers (``allowed_actions``) is exactly what the server accepts, at every
step and for each party; a completed order can still be refunded by its shop."""

from __future__ import annotations

import httpx

from tests.e2e.commerce.kit import buy, checkout, order_of, pay, settle, storefront
from tests.factories import Person, person
from tests.fakes import ShiftableClock
from tuan.bootstrap import Container

# The route each action is taken through.
PATHS = {
    "cancel": "cancel",
    "ship": "ship",
    "mark_delivered": "deliver",
    "complete": "complete",
    "refund": "refunds",
}


async def _offers(client: httpx.AsyncClient, who: Person, order_id: int) -> list[str]:
    return list((await order_of(client, who, order_id))["allowed_actions"])


async def _act(client: httpx.AsyncClient, who: Person, order_id: int, action: str) -> int:
    if action == "pay":
        return (await pay(client, who, order_id)).status_code
    answer = await client.post(
        f"/api/v1/orders/{order_id}/{PATHS[action]}", headers=who.headers, json={}
    )
    return answer.status_code


async def test_each_step_offers_the_buyer_and_the_shop_what_the_server_accepts(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container)
    buyer, shop = await person(client, "lin"), front.owner
    placed = await checkout(client, buyer, [{"sku_id": front.sku_id, "quantity": 1}])
    order_id = placed.json()["id"]
    assert placed.json()["allowed_actions"] == ["pay", "cancel"]  # the answer checkout gives
    steps = [
        # (who acts, the action, what the buyer is then offered, what the shop is offered)
        (buyer, "pay", [], ["ship", "refund"]),
        (shop, "ship", ["mark_delivered"], ["mark_delivered", "refund"]),
        (buyer, "mark_delivered", ["complete"], ["refund"]),
        (buyer, "complete", [], ["refund"]),
        (shop, "refund", [], []),
    ]
    for who, action, buyer_offers, shop_offers in steps:
        assert action in await _offers(client, who, order_id), action
        assert await _act(client, who, order_id, action) in (200, 201), action
        assert await _offers(client, buyer, order_id) == buyer_offers, action
        assert await _offers(client, shop, order_id) == shop_offers, action
    assert (await order_of(client, buyer, order_id))["status"] == "refunded"


async def test_what_is_not_offered_is_refused(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container)
    buyer, shop = await person(client, "lin"), front.owner
    order = await buy(client, buyer, front.sku_id)
    for who in (buyer, shop):
        offered = await _offers(client, who, order["id"])
        for action in ("pay", *PATHS):
            if action not in offered:
                assert await _act(client, who, order["id"], action) in (404, 409), action


async def test_a_completed_order_offers_its_shop_a_refund_and_the_refund_works(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, price=5000)
    buyer, shop = await person(client, "lin"), front.owner
    order_id = (await buy(client, buyer, front.sku_id))["id"]
    for who, path in ((shop, "ship"), (buyer, "deliver"), (buyer, "complete")):
        done = await client.post(f"/api/v1/orders/{order_id}/{path}", headers=who.headers)
        assert done.status_code == 200, done.text
    assert await _offers(client, shop, order_id) == ["refund"]
    refunded = await client.post(
        f"/api/v1/orders/{order_id}/refunds", headers=shop.headers, json={"amount": 2000}
    )
    assert refunded.status_code == 201, refunded.text
    assert refunded.json()["status"] == "completed" and refunded.json()["refunded_amount"] == 2000
    assert refunded.json()["allowed_actions"] == ["refund"]  # the rest can still go back
    await settle(container)
    page = await order_of(client, shop, order_id)
    assert [(r["amount"], r["status"]) for r in page["refunds"]] == [(2000, "succeeded")]


async def test_a_payment_in_flight_or_an_expired_reservation_offers_no_payment(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    front = await storefront(client, container)
    buyer = await person(client, "lin")
    late = (await checkout(client, buyer, [{"sku_id": front.sku_id, "quantity": 1}])).json()
    started = await pay(client, buyer, late["id"], "late", answer_after_seconds=600)
    assert started.json()["order"]["allowed_actions"] == ["cancel"]
    lapsing = (await checkout(client, buyer, [{"sku_id": front.sku_id, "quantity": 1}])).json()
    clock.advance(minutes=15, seconds=1)
    assert await _offers(client, buyer, lapsing["id"]) == ["cancel"]
    assert (await pay(client, buyer, lapsing["id"])).status_code == 410


async def test_an_unfilled_team_order_offers_its_shop_neither_shipping_nor_refunding(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, team_size=2, team_price=6000)
    opener = await person(client, "lin")
    opened = await client.post(
        "/api/v1/teams",
        headers={**opener.headers, "Idempotency-Key": "open-1"},
        json={"sku_id": front.sku_id},
    )
    order_id = opened.json()["order"]["id"]
    assert (await pay(client, opener, order_id)).json()["order"]["status"] == "paid"
    assert await _offers(client, front.owner, order_id) == []
    for action in ("ship", "refund"):
        assert await _act(client, front.owner, order_id, action) == 409
