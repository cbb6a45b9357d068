"""Bad input at checkout gets a clear error naming what is wrong, and changes nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from tests.e2e.commerce.kit import checkout, list_product, open_shop, stock_of, storefront
from tests.factories import person
from tests.fakes import ShiftableClock
from tuan.bootstrap import Container
from tuan.catalog.models import DealPurchase
from tuan.orders.models import IdempotencyKey, Order


async def _nothing_changed(
    client: httpx.AsyncClient, container: Container, product_id: int, stock: int
) -> None:
    async with container.db.read_sessions() as session:
        for model in (Order, IdempotencyKey, DealPurchase):
            assert await session.scalar(select(func.count()).select_from(model)) == 0, model
    owner_view = await stock_of(
        client, await person(client, f"check{uuid.uuid4().hex[:6]}"), product_id
    )
    assert owner_view == stock


@pytest.mark.parametrize(
    ("items", "extra", "status", "code", "field"),
    [
        ([{"sku_id": 999999, "quantity": 1}], {}, 404, "SKU_NOT_FOUND", "items.0.sku_id"),
        ([{"sku_id": "SKU", "quantity": 0}], {}, 422, "INVALID_INPUT", "items.0.quantity"),
        ([{"sku_id": "SKU", "quantity": -2}], {}, 422, "INVALID_INPUT", "items.0.quantity"),
        ([{"sku_id": "SKU", "quantity": 1.5}], {}, 422, "INVALID_INPUT", "items.0.quantity"),
        ([{"sku_id": "SKU", "quantity": 11}], {}, 409, "SOLD_OUT", "items.0.quantity"),
        (
            [{"sku_id": "SKU", "quantity": 1}],
            {"currency": "USD"},
            422,
            "CURRENCY_MISMATCH",
            "currency",
        ),
        (
            [{"sku_id": "SKU", "quantity": 1}],
            {"currency": "XYZ"},
            422,
            "UNSUPPORTED_CURRENCY",
            "currency",
        ),
        ([{"sku_id": "SKU", "quantity": 1, "price": 1}], {}, 422, "INVALID_INPUT", "items.0.price"),
        (
            [{"sku_id": "SKU", "quantity": 1}],
            {"share_id": 424242},
            404,
            "SHARE_NOT_FOUND",
            "share_id",
        ),
        ([], {}, 422, "INVALID_INPUT", "items"),
    ],
)
async def test_a_refused_checkout_names_the_problem_and_changes_nothing(
    client: httpx.AsyncClient,
    container: Container,
    items: list[dict[str, Any]],
    extra: dict[str, Any],
    status: int,
    code: str,
    field: str,
) -> None:
    front = await storefront(client, container, stock=10)
    buyer = await person(client, "lin")
    items = [{**i, "sku_id": front.sku_id if i["sku_id"] == "SKU" else i["sku_id"]} for i in items]
    response = await checkout(client, buyer, items, **extra)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert (error["code"], error["field"]) == (code, field) and error["message"]
    await _nothing_changed(client, container, front.product["id"], 10)


async def _deal(
    client: httpx.AsyncClient, front: Any, container: Container, **window: Any
) -> dict[str, Any]:
    now = container.clock.now()
    response = await client.post(
        f"/api/v1/skus/{front.sku_id}/deals",
        headers=front.owner.headers,
        json={
            "price": 1980,
            "starts_at": (now + window.get("starts", timedelta(minutes=-1))).isoformat(),
            "ends_at": (now + window.get("ends", timedelta(hours=1))).isoformat(),
            "stock_cap": 5,
            "per_customer_limit": 2,
        },
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_a_quantity_over_the_per_customer_limit_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, stock=10)
    deal = await _deal(client, front, container)
    buyer = await person(client, "lin")
    response = await checkout(client, buyer, [{"sku_id": front.sku_id, "quantity": 3}])
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "OVER_CUSTOMER_LIMIT"
    assert response.json()["error"]["field"] == "items.0.quantity"
    await _nothing_changed(client, container, front.product["id"], 10)
    # The limit counts what the customer already holds, not only this request.
    assert (
        await checkout(client, buyer, [{"sku_id": front.sku_id, "quantity": 2}])
    ).status_code == 201
    again = await checkout(
        client, buyer, [{"sku_id": front.sku_id, "quantity": 1, "deal_id": deal["id"]}]
    )
    assert again.status_code == 422 and again.json()["error"]["code"] == "OVER_CUSTOMER_LIMIT"


async def test_an_expired_deal_is_refused_and_the_normal_price_holds_again(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    front = await storefront(client, container, stock=10)
    deal = await _deal(client, front, container, ends=timedelta(minutes=30))
    buyer = await person(client, "lin")
    page = (
        await client.get(f"/api/v1/products/{front.product['id']}", headers=buyer.headers)
    ).json()
    assert (
        page["skus"][0]["price"] == 1980 and 1700 < page["skus"][0]["deal"]["seconds_left"] <= 1800
    )
    clock.advance(minutes=31)
    response = await checkout(
        client, buyer, [{"sku_id": front.sku_id, "quantity": 1, "deal_id": deal["id"]}]
    )
    assert response.status_code == 410 and response.json()["error"]["code"] == "DEAL_ENDED"
    assert response.json()["error"]["field"] == "items.0.deal_id"
    await _nothing_changed(client, container, front.product["id"], 10)
    regular = await checkout(client, buyer, [{"sku_id": front.sku_id, "quantity": 1}])
    assert regular.json()["total"] == 9900


async def test_a_deal_that_has_not_started_shows_when_it_will_and_is_refused_until_then(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, stock=10)
    deal = await _deal(client, front, container, starts=timedelta(hours=2), ends=timedelta(hours=3))
    buyer = await person(client, "lin")
    sku = (
        await client.get(f"/api/v1/products/{front.product['id']}", headers=buyer.headers)
    ).json()["skus"][0]
    assert sku["price"] == 9900 and sku["deal"]["state"] == "upcoming"
    assert 7100 < sku["deal"]["seconds_left"] <= 7200
    early = await checkout(
        client, buyer, [{"sku_id": front.sku_id, "quantity": 1, "deal_id": deal["id"]}]
    )
    assert early.status_code == 409 and early.json()["error"]["code"] == "DEAL_NOT_STARTED"


async def test_items_from_two_shops_or_two_currencies_are_refused(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, stock=10)
    hk_shop = await open_shop(client, front.owner, name="香港店", currency="HKD")
    hk = await list_product(
        client, front.owner, hk_shop["id"], skus=[{"label": "1", "price": 100, "stock": 5}]
    )
    buyer = await person(client, "lin")
    response = await checkout(
        client,
        buyer,
        [{"sku_id": front.sku_id, "quantity": 1}, {"sku_id": hk["skus"][0]["id"], "quantity": 1}],
    )
    assert response.status_code == 422 and response.json()["error"]["code"] == "MIXED_SHOPS"
    await _nothing_changed(client, container, front.product["id"], 10)


async def test_idempotency_key_is_required_and_checked(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, stock=10)
    buyer = await person(client, "lin")
    missing = await client.post(
        "/api/v1/orders",
        headers=buyer.headers,
        json={"items": [{"sku_id": front.sku_id, "quantity": 1}]},
    )
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "Idempotency-Key"
    await _nothing_changed(client, container, front.product["id"], 10)
