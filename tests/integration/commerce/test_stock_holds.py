"""Stock holds (the PostgreSQL hot path): a hold whose request died goes back on sale."""

from __future__ import annotations

import httpx
import pytest

from tests.e2e.commerce.kit import checkout, stock_of, storefront
from tests.factories import person
from tests.fakes import ShiftableClock
from tuan.bootstrap import Container
from tuan.catalog.stock import StockHolds


def _holds_or_skip(container: Container) -> StockHolds:
    holds = container.adapter(StockHolds)
    if not holds.enabled:
        pytest.skip("holds are PostgreSQL's hot path; on SQLite writers queue in the process")
    return holds


async def test_a_hold_whose_request_died_is_given_back_when_it_expires(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    holds = _holds_or_skip(container)
    front = await storefront(client, container, stock=5)
    taken = await holds.take([(front.sku_id, 3)])  # ... and then the process dies
    assert list(taken) == [front.sku_id]
    assert await stock_of(client, front.owner, front.product["id"]) == 2
    assert await holds.take([(front.sku_id, 3)]) == {}  # not enough left to hold
    assert await holds.release_expired() == 0
    clock.advance(minutes=3)
    assert await holds.release_expired() == 1
    assert await stock_of(client, front.owner, front.product["id"]) == 5
    assert await holds.release_expired() == 0  # given back once


async def test_a_checkout_refused_after_its_hold_gives_the_units_back_at_once(
    client: httpx.AsyncClient, container: Container
) -> None:
    _holds_or_skip(container)
    front = await storefront(client, container, stock=5)
    buyer = await person(client, "lin")
    refused = await checkout(
        client, buyer, [{"sku_id": front.sku_id, "quantity": 2}], currency="USD"
    )
    assert refused.status_code == 422
    assert await stock_of(client, buyer, front.product["id"]) == 5


async def test_an_order_whose_hold_expired_meanwhile_takes_the_units_itself(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    holds = _holds_or_skip(container)
    front = await storefront(client, container, stock=5)
    taken = await holds.take([(front.sku_id, 2)])
    clock.advance(minutes=3)
    await holds.release_expired()  # the sweep gave the units back before the order committed

    from tuan.orders.domain import LineRequest
    from tuan.orders.service import place_order

    buyer = await person(client, "lin")
    await container.run(
        place_order, buyer_id=buyer.id, lines=[LineRequest(front.sku_id, 2)], holds=taken
    )
    assert await stock_of(client, buyer, front.product["id"]) == 3
