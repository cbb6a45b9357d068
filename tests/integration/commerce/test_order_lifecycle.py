"""Every order state transition, who may make it, and that each one is recorded."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.commerce.kit import buy, checkout, order_of, pay, settle, stock_of, storefront
from tests.factories import person
from tests.fakes import ShiftableClock
from tuan.bootstrap import Container


async def _post(
    client: httpx.AsyncClient, who: object, order_id: int, action: str, **body: object
) -> httpx.Response:
    return await client.post(
        f"/api/v1/orders/{order_id}/{action}",
        headers=who.headers,
        json=body or None,  # type: ignore[attr-defined]
    )


def _path(order: dict[str, object]) -> list[tuple[object, object, object]]:
    return [(h["from_status"], h["to_status"], h["reason"]) for h in order["history"]]  # type: ignore[index, union-attr]


async def test_the_happy_path_pending_paid_shipped_delivered_completed(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container)
    buyer = await person(client, "lin")
    order = await buy(client, buyer, front.sku_id)
    shipped = await _post(client, front.owner, order["id"], "ship", tracking="SF123456")
    assert shipped.json()["status"] == "shipped" and shipped.json()["tracking"] == "SF123456"
    assert (await _post(client, buyer, order["id"], "deliver")).json()["status"] == "delivered"
    assert (await _post(client, buyer, order["id"], "complete")).json()["status"] == "completed"
    assert _path(await order_of(client, buyer, order["id"])) == [
        (None, "pending", "placed"),
        ("pending", "paid", "payment_succeeded"),
        ("paid", "shipped", "shipped"),
        ("shipped", "delivered", "delivered_confirmed_by_buyer"),
        ("delivered", "completed", "completed"),
    ]


async def test_a_buyer_cancels_an_unpaid_order_and_the_stock_comes_back(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, stock=3)
    buyer = await person(client, "lin")
    placed = (await checkout(client, buyer, [{"sku_id": front.sku_id, "quantity": 2}])).json()
    assert await stock_of(client, buyer, front.product["id"]) == 1
    cancelled = await _post(client, buyer, placed["id"], "cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert await stock_of(client, buyer, front.product["id"]) == 3
    again = await _post(client, buyer, placed["id"], "cancel")
    assert again.status_code == 409 and again.json()["error"]["code"] == "INVALID_TRANSITION"
    assert (await pay(client, buyer, placed["id"])).status_code == 409


async def test_an_unpaid_reservation_expires_and_returns_its_stock(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    front = await storefront(client, container, stock=2)
    buyer = await person(client, "lin")
    placed = (await checkout(client, buyer, [{"sku_id": front.sku_id, "quantity": 2}])).json()
    assert (
        await checkout(client, buyer, [{"sku_id": front.sku_id, "quantity": 1}])
    ).status_code == 409

    clock.advance(minutes=14)
    await settle(container)
    assert (await order_of(client, buyer, placed["id"]))["status"] == "pending"

    clock.advance(minutes=2)
    await settle(container)
    expired = await order_of(client, buyer, placed["id"])
    assert expired["status"] == "cancelled"
    assert _path(expired)[-1] == ("pending", "cancelled", "reservation_expired")
    assert await stock_of(client, buyer, front.product["id"]) == 2
    late = await pay(client, buyer, placed["id"])
    assert late.status_code == 409 and late.json()["error"]["code"] == "INVALID_TRANSITION"


async def test_paying_after_the_reservation_ran_out_but_before_the_sweep_is_refused(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    front = await storefront(client, container)
    buyer = await person(client, "lin")
    placed = (await checkout(client, buyer, [{"sku_id": front.sku_id, "quantity": 1}])).json()
    clock.advance(minutes=16)
    refused = await pay(client, buyer, placed["id"])
    assert refused.status_code == 410 and refused.json()["error"]["code"] == "RESERVATION_EXPIRED"


@pytest.mark.parametrize(
    ("actor", "action", "status"),
    [
        ("buyer", "ship", 409),
        ("owner", "complete", 409),
        ("owner", "cancel", 409),
        ("stranger", "ship", 404),
        ("stranger", "cancel", 404),
        ("stranger", "refunds", 404),
    ],
)
async def test_only_the_right_party_moves_an_order(
    client: httpx.AsyncClient, container: Container, actor: str, action: str, status: int
) -> None:
    front = await storefront(client, container)
    buyer = await person(client, "lin")
    stranger = await person(client, "nosy")
    order = await buy(client, buyer, front.sku_id)
    who = {"buyer": buyer, "owner": front.owner, "stranger": stranger}[actor]
    response = await _post(client, who, order["id"], action)
    assert response.status_code == status
    assert (await order_of(client, buyer, order["id"]))["status"] == "paid"


async def test_orders_are_private_to_their_buyer_and_their_shop(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container)
    buyer = await person(client, "lin")
    stranger = await person(client, "nosy")
    order = await buy(client, buyer, front.sku_id)
    assert (
        await client.get(f"/api/v1/orders/{order['id']}", headers=stranger.headers)
    ).status_code == 404
    assert (
        await client.get(f"/api/v1/orders/{order['id'] + 999}", headers=stranger.headers)
    ).status_code == 404
    seen_by_shop = await client.get(f"/api/v1/orders/{order['id']}", headers=front.owner.headers)
    assert seen_by_shop.json()["role"] == "shop_owner"
    assert (await client.get("/api/v1/orders", headers=stranger.headers)).json() == []
    listed = await client.get(f"/api/v1/shops/{front.shop['id']}/orders", headers=stranger.headers)
    assert listed.status_code == 403


async def test_a_full_refund_before_shipping_restocks_and_closes_the_order(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, stock=5)
    buyer = await person(client, "lin")
    order = await buy(client, buyer, front.sku_id, quantity=2)
    refunded = await _post(client, front.owner, order["id"], "refunds")
    assert refunded.status_code == 201, refunded.text
    assert refunded.json()["status"] == "refunded" and refunded.json()["refunded_amount"] == 19800
    assert await stock_of(client, buyer, front.product["id"]) == 5
    await settle(container)
    page = await order_of(client, buyer, order["id"])
    assert page["refunds"][0]["status"] == "succeeded"  # the provider confirmed it
    assert _path(page)[-1] == ("paid", "refunded", "shop_refund")


async def test_partial_refunds_add_up_and_the_last_one_closes_the_order(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, stock=5)
    buyer = await person(client, "lin")
    order = await buy(client, buyer, front.sku_id, quantity=2)  # 19800
    for action in ("ship", "deliver"):
        await _post(client, front.owner, order["id"], action)
    first = await _post(
        client, front.owner, order["id"], "refunds", amount=9900, reason="one_broken"
    )
    assert first.json()["status"] == "delivered" and first.json()["refunded_amount"] == 9900
    too_much = await _post(client, front.owner, order["id"], "refunds", amount=9901)
    assert too_much.status_code == 422 and too_much.json()["error"]["field"] == "amount"
    last = await _post(client, front.owner, order["id"], "refunds", amount=9900)
    assert last.json()["status"] == "refunded" and last.json()["refunded_amount"] == 19800
    assert (
        await stock_of(client, buyer, front.product["id"]) == 3
    )  # shipped goods are not restocked
    assert [(h[1], h[2]) for h in _path(last.json())[-2:]] == [
        ("delivered", "partial_one_broken"),
        ("refunded", "shop_refund"),
    ]
    nothing_left = await _post(client, front.owner, order["id"], "refunds")
    assert nothing_left.status_code == 409


@pytest.mark.parametrize(
    ("steps", "restocked"),
    [
        ([], True),
        ([("owner", "ship")], False),
        ([("owner", "ship"), ("buyer", "deliver")], False),
        ([("owner", "ship"), ("buyer", "deliver"), ("buyer", "complete")], False),
    ],
)
async def test_a_full_refund_is_possible_from_every_state_after_payment(
    client: httpx.AsyncClient,
    container: Container,
    steps: list[tuple[str, str]],
    restocked: bool,
) -> None:
    front = await storefront(client, container, stock=5)
    buyer = await person(client, "lin")
    order = await buy(client, buyer, front.sku_id)
    for actor, action in steps:
        who = front.owner if actor == "owner" else buyer
        assert (await _post(client, who, order["id"], action)).status_code == 200
    before = (await order_of(client, buyer, order["id"]))["status"]
    refunded = await _post(client, front.owner, order["id"], "refunds")
    assert refunded.status_code == 201
    assert _path(refunded.json())[-1] == (before, "refunded", "shop_refund")
    assert await stock_of(client, buyer, front.product["id"]) == (5 if restocked else 4)
