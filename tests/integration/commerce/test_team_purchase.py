"""Team purchase (拼团): opening, joining, filling, expiring — and the races around the deadline."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from tests.conftest import TEST_PASSWORDS
from tests.e2e.commerce.kit import (
    Storefront,
    crowd,
    order_of,
    pay,
    settle,
    stock_of,
    storefront,
)
from tests.factories import Person, person
from tests.fakes import ShiftableClock
from tuan.bootstrap import Container, bootstrap
from tuan.orders.models import OrderTransition
from tuan.payments.models import Refund
from tuan.payments.provider import SandboxProvider
from tuan.settings import Settings

SECRET = "test-secret-key-0123456789"


async def team_front(
    client: httpx.AsyncClient, container: Container, stock: int = 20
) -> Storefront:
    return await storefront(
        client, container, stock=stock, price=9900, team_size=3, team_price=6600
    )


async def open_team(
    client: httpx.AsyncClient, opener: Person, sku_id: int, **fields: Any
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/teams",
        headers={**opener.headers, "Idempotency-Key": uuid.uuid4().hex},
        json={"sku_id": sku_id, **fields},
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def join(
    client: httpx.AsyncClient, who: Person, team_id: int, **fields: Any
) -> httpx.Response:
    return await client.post(
        f"/api/v1/teams/{team_id}/join",
        headers={**who.headers, "Idempotency-Key": uuid.uuid4().hex},
        json=fields,
    )


async def team_of(
    client: httpx.AsyncClient, who: Person, team_id: int, code: str
) -> dict[str, Any]:
    response = await client.get(
        f"/api/v1/teams/{team_id}", params={"code": code}, headers=who.headers
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def opened(
    client: httpx.AsyncClient, container: Container, **fields: Any
) -> tuple[Storefront, Person, dict[str, Any]]:
    front = await team_front(client, container)
    opener = await person(client, "opener")
    started = await open_team(client, opener, front.sku_id, **fields)
    assert started["team"]["status"] == "forming" and started["order"]["total"] == 6600
    paid = await pay(client, opener, started["order"]["id"])
    assert paid.json()["order"]["status"] == "paid", paid.text
    team = await team_of(client, opener, started["team"]["id"], started["team"]["code"])
    assert team["status"] == "open" and team["paid_count"] == 1
    assert 24 * 3600 - 60 < team["seconds_left"] <= 24 * 3600
    return front, opener, team


async def refunds_per_order(container: Container) -> dict[int, int]:
    async with container.db.read_sessions() as session:
        rows = (
            await session.execute(select(Refund.order_id, func.count()).group_by(Refund.order_id))
        ).all()
    return {order_id: count for order_id, count in rows}


async def test_when_the_last_member_pays_every_order_is_confirmed_at_the_team_price(
    client: httpx.AsyncClient, container: Container
) -> None:
    front, opener, team = await opened(client, container)
    members = [await person(client, name) for name in ("wei", "fang")]
    orders = []
    for member in members:
        joined = await join(client, member, team["id"], code=team["code"])
        assert joined.status_code == 201, joined.text
        orders.append(joined.json()["order"])
        assert (await pay(client, member, joined.json()["order"]["id"])).status_code == 201
    await settle(container)
    filled = await team_of(client, opener, team["id"], team["code"])
    assert filled["status"] == "filled" and filled["paid_count"] == 3
    for member, order in zip(members, orders, strict=True):
        page = await order_of(client, member, order["id"])
        assert page["total"] == 6600 and page["savings"] == 3300
        assert page["team"]["confirmed"] is True and page["status"] == "paid"
    shipped = await client.post(
        f"/api/v1/orders/{orders[0]['id']}/ship", headers=front.owner.headers
    )
    assert shipped.status_code == 200, shipped.text
    late = await join(client, await person(client, "late"), team["id"], code=team["code"])
    assert late.status_code == 410 and late.json()["error"]["code"] == "TEAM_CLOSED"


async def test_shipping_waits_until_the_team_fills(
    client: httpx.AsyncClient, container: Container
) -> None:
    front, opener, _team = await opened(client, container)
    orders = (await client.get("/api/v1/orders", headers=opener.headers)).json()
    refused = await client.post(
        f"/api/v1/orders/{orders[0]['id']}/ship", headers=front.owner.headers
    )
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "TEAM_NOT_CONFIRMED"


async def test_a_private_team_is_joined_only_through_its_link(
    client: httpx.AsyncClient, container: Container
) -> None:
    front, _opener, team = await opened(client, container)
    stranger = await person(client, "wei")
    assert (await join(client, stranger, team["id"])).status_code == 404
    assert (await join(client, stranger, team["id"], code="wrong-code-123")).status_code == 404
    listed = await client.get(
        f"/api/v1/products/{front.product['id']}/teams", headers=stranger.headers
    )
    assert listed.json() == []
    by_link = await client.get(f"/api/v1/teams/by-code/{team['code']}", headers=stranger.headers)
    assert by_link.status_code == 200 and by_link.json()["code"] is None  # not a member yet
    assert (await join(client, stranger, team["id"], code=team["code"])).status_code == 201


async def test_an_open_team_can_be_joined_from_the_product_page_if_the_opener_allows(
    client: httpx.AsyncClient, container: Container
) -> None:
    front, _opener, team = await opened(client, container, allow_public_join=True)
    stranger = await person(client, "wei")
    listed = await client.get(
        f"/api/v1/products/{front.product['id']}/teams", headers=stranger.headers
    )
    assert [t["id"] for t in listed.json()] == [team["id"]]
    assert listed.json()[0]["places_left"] == 2
    assert (await join(client, stranger, team["id"])).status_code == 201


async def test_a_join_that_would_overfill_the_team_is_refused(
    client: httpx.AsyncClient, container: Container
) -> None:
    _front, _opener, team = await opened(client, container)
    joiners = await crowd(container, 6)
    results = await asyncio.gather(
        *(join(client, j, team["id"], code=team["code"]) for j in joiners)
    )
    codes = sorted(r.json()["error"]["code"] if r.status_code != 201 else "joined" for r in results)
    assert codes == ["TEAM_FULL"] * 4 + ["joined"] * 2


async def test_a_place_held_by_someone_who_never_pays_frees_up(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    _front, opener, team = await opened(client, container)
    a, b, c = await crowd(container, 3)
    assert (await join(client, a, team["id"], code=team["code"])).status_code == 201
    assert (await join(client, b, team["id"], code=team["code"])).status_code == 201
    assert (await join(client, c, team["id"], code=team["code"])).status_code == 409
    clock.advance(minutes=16)  # a and b never pay
    await settle(container)
    assert (await team_of(client, opener, team["id"], team["code"]))["places_left"] == 2
    assert (await join(client, c, team["id"], code=team["code"])).status_code == 201


async def test_an_unfilled_team_is_refunded_automatically_and_exactly_once(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    front, opener, team = await opened(client, container)
    payer, dawdler = await person(client, "wei"), await person(client, "fang")
    paid_order = (await join(client, payer, team["id"], code=team["code"])).json()["order"]
    await pay(client, payer, paid_order["id"])
    unpaid_order = (await join(client, dawdler, team["id"], code=team["code"])).json()["order"]
    assert await stock_of(client, opener, front.product["id"]) == 17

    clock.advance(hours=24, seconds=1)
    await settle(container)
    # Deliver the expiry again, as an at-least-once relay may: nothing more happens.
    from tuan.payments.refunds import refund_expired_team

    await container.run(refund_expired_team, team_id=team["id"])
    await settle(container)

    assert (await team_of(client, opener, team["id"], team["code"]))["status"] == "expired"
    opener_order = (await client.get("/api/v1/orders", headers=opener.headers)).json()[0]
    for who, order_id, status in (
        (opener, opener_order["id"], "refunded"),
        (payer, paid_order["id"], "refunded"),
        (dawdler, unpaid_order["id"], "cancelled"),
    ):
        page = await order_of(client, who, order_id)
        assert page["status"] == status
        if status == "refunded":
            assert [(r["amount"], r["status"]) for r in page["refunds"]] == [(6600, "succeeded")]
    assert await refunds_per_order(container) == {opener_order["id"]: 1, paid_order["id"]: 1}
    assert await stock_of(client, opener, front.product["id"]) == 20


async def test_a_payment_webhook_after_expiry_is_refunded_and_joins_nothing(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    _front, opener, team = await opened(client, container)
    member = await person(client, "wei")
    order = (await join(client, member, team["id"], code=team["code"])).json()["order"]
    reference = (
        await pay(client, member, order["id"], "late", answer_after_seconds=172_800)
    ).json()["reference"]
    clock.advance(hours=24, seconds=1)
    await settle(container)  # the team expires; the member's unpaid order is cancelled

    body, signature = SandboxProvider(SECRET).webhook(
        reference=reference, outcome="succeeded", now=container.clock.now()
    )
    webhook = await client.post(
        "/api/v1/payments/webhooks/sandbox",
        content=body,
        headers={"X-Sandbox-Signature": signature, "content-type": "application/json"},
    )
    assert webhook.json()["outcome"] == "refunded"
    await settle(container)
    page = await order_of(client, member, order["id"])
    assert page["status"] == "cancelled" and page["payments"][0]["status"] == "refunded"
    assert [(r["reason"], r["status"]) for r in page["refunds"]] == [
        ("order_cancelled", "succeeded")
    ]
    assert (await team_of(client, opener, team["id"], team["code"]))["paid_count"] == 1


async def test_a_last_payment_after_the_deadline_but_before_the_sweep_is_refused(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    _front, opener, team = await opened(client, container)
    a, b = await person(client, "wei"), await person(client, "fang")
    first = (await join(client, a, team["id"], code=team["code"])).json()["order"]
    await pay(client, a, first["id"])
    last = (await join(client, b, team["id"], code=team["code"])).json()["order"]
    reference = (await pay(client, b, last["id"], "late", answer_after_seconds=172_800)).json()[
        "reference"
    ]
    clock.advance(hours=24, seconds=1)  # past the deadline; no sweep has run yet
    body, signature = SandboxProvider(SECRET).webhook(
        reference=reference, outcome="succeeded", now=container.clock.now()
    )
    webhook = await client.post(
        "/api/v1/payments/webhooks/sandbox",
        content=body,
        headers={"X-Sandbox-Signature": signature, "content-type": "application/json"},
    )
    assert webhook.json()["outcome"] == "refunded"
    await settle(container)
    assert (await team_of(client, opener, team["id"], team["code"]))["status"] == "expired"
    assert (await order_of(client, b, last["id"]))["status"] == "cancelled"
    assert (await order_of(client, a, first["id"]))["status"] == "refunded"


@pytest.fixture
async def second_process(settings: Settings) -> AsyncIterator[tuple[Container, ShiftableClock]]:
    """Another server process on the same database, with its own clock, engines and scheduler."""
    other_clock = ShiftableClock()
    other = bootstrap(settings, clock=other_clock, passwords=TEST_PASSWORDS)
    await other.start(background=False)
    try:
        yield other, other_clock
    finally:
        await other.close()


async def test_the_last_payment_and_the_deadline_race_and_exactly_one_wins(
    client: httpx.AsyncClient,
    container: Container,
    clock: ShiftableClock,
    second_process: tuple[Container, ShiftableClock],
) -> None:
    """Process A delivers the last payment a moment before the deadline by its clock while
    process B, whose clock is past the deadline, sweeps. Whichever reaches the team's row first
    decides; the team is either filled with everyone charged, or expired with everyone refunded."""
    sweeper, sweeper_clock = second_process
    outcomes = set()
    for round_ in range(4):
        _front, opener, team = (
            await opened(client, container)
            if round_ == 0
            else await _again(client, container, round_)
        )
        a, b = await crowd(container, 2, prefix=f"r{round_}")
        first = (await join(client, a, team["id"], code=team["code"])).json()["order"]
        await pay(client, a, first["id"])
        last = (await join(client, b, team["id"], code=team["code"])).json()["order"]
        reference = (await pay(client, b, last["id"], "late", answer_after_seconds=172_800)).json()[
            "reference"
        ]
        clock.advance(hours=24, seconds=-1)  # A: one second before the deadline
        sweeper_clock.offset = clock.offset
        sweeper_clock.advance(seconds=2)  # B: one second after it
        body, signature = SandboxProvider(SECRET).webhook(
            reference=reference, outcome="succeeded", now=clock.now()
        )
        webhook, _swept = await asyncio.gather(
            client.post(
                "/api/v1/payments/webhooks/sandbox",
                content=body,
                headers={"X-Sandbox-Signature": signature, "content-type": "application/json"},
            ),
            sweeper.scheduler.sweep(),
        )
        clock.advance(seconds=2)
        await settle(container)
        status = (await team_of(client, opener, team["id"], team["code"]))["status"]
        outcomes.add(status)
        statuses = {
            (await order_of(client, who, order_id))["status"]
            for who, order_id in ((a, first["id"]), (b, last["id"]))
        }
        if status == "filled":
            assert webhook.json()["outcome"] == "paid" and statuses == {"paid"}
        else:
            assert status == "expired" and webhook.json()["outcome"] == "refunded"
            assert statuses <= {"refunded", "cancelled"}
        assert all(count == 1 for count in (await refunds_per_order(container)).values())
    assert outcomes <= {"filled", "expired"}


async def _again(
    client: httpx.AsyncClient, container: Container, round_: int
) -> tuple[Storefront, Person, dict[str, Any]]:
    front = await storefront(
        client, container, owner_name=f"shop{round_}", team_size=3, team_price=6600
    )
    opener = await person(client, f"opener{round_}")
    started = await open_team(client, opener, front.sku_id)
    await pay(client, opener, started["order"]["id"])
    return (
        front,
        opener,
        await team_of(client, opener, started["team"]["id"], started["team"]["code"]),
    )


async def test_two_processes_sweeping_at_once_refund_an_expired_team_once(
    client: httpx.AsyncClient,
    container: Container,
    clock: ShiftableClock,
    second_process: tuple[Container, ShiftableClock],
) -> None:
    other, other_clock = second_process
    _front, _opener, team = await opened(client, container)
    member = await person(client, "wei")
    order = (await join(client, member, team["id"], code=team["code"])).json()["order"]
    await pay(client, member, order["id"])
    clock.advance(hours=25)
    other_clock.advance(hours=25)

    await asyncio.gather(
        container.scheduler.sweep(),
        other.scheduler.sweep(),
        other.relay.drain(),
        container.relay.drain(),
    )
    await settle(container)
    await settle(other)

    assert sorted((await refunds_per_order(container)).values()) == [1, 1]
    async with container.db.read_sessions() as session:
        refunded = await session.scalar(
            select(func.count())
            .select_from(OrderTransition)
            .where(OrderTransition.to_status == "refunded")
        )
    assert refunded == 2
