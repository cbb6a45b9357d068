"""Attribution and commission: the sharer earns what was promised when the order completes, held
through the return window (refunds inside it claw it back) and then available, never clawed back
after it could be paid out; never for buying through their own share; balances are sums of
entries."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlalchemy import func, select

from tests.e2e.commerce.kit import Storefront, buy, order_of, settle, storefront
from tests.factories import Person, join_open_group, person
from tests.fakes import ShiftableClock
from tuan.bootstrap import Container
from tuan.ledger.models import LedgerEntry, LedgerTransaction


async def share(client: httpx.AsyncClient, sharer: Person, product_id: int, **extra: Any) -> int:
    response = await client.post(
        "/api/v1/shares", headers=sharer.headers, json={"product_id": product_id, **extra}
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def balance(client: httpx.AsyncClient, who: Person) -> int:
    """What the person may pay out now."""
    wallet = (await client.get("/api/v1/wallet", headers=who.headers)).json()
    return sum(b["amount"] for b in wallet["balances"] if b["currency"] == "CNY")


async def held(client: httpx.AsyncClient, who: Person) -> int:
    """What the person earned on orders still inside the return window."""
    wallet = (await client.get("/api/v1/wallet", headers=who.headers)).json()
    return sum(b["held"] for b in wallet["balances"] if b["currency"] == "CNY")


async def close_return_window(container: Container, clock: ShiftableClock) -> None:
    clock.advance(days=7, seconds=1)
    await settle(container)


async def complete(
    client: httpx.AsyncClient, front: Storefront, buyer: Person, order_id: int
) -> None:
    for who, action in ((front.owner, "ship"), (buyer, "deliver"), (buyer, "complete")):
        response = await client.post(f"/api/v1/orders/{order_id}/{action}", headers=who.headers)
        assert response.status_code == 200, response.text


async def test_the_order_remembers_its_share_and_discloses_the_commission_to_the_buyer(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, commission_rate_bp=1000)  # 10 %
    mei, lin = await person(client, "mei", display_name="阿梅"), await person(client, "lin")
    group = await join_open_group(client, mei, lin)
    share_id = await share(client, mei, front.product["id"], conversation_id=group)
    order = await buy(client, lin, front.sku_id, share_id=share_id)
    assert order["share_id"] == share_id
    assert order["commission"] == {
        "sharer_id": mei.id,
        "sharer_username": "mei",
        "sharer_display_name": "阿梅",
        "rate_bp": 1000,
        "amount": 990,
        "note": "shared",
    }
    shared = (await client.get(f"/api/v1/shares/{share_id}", headers=lin.headers)).json()
    assert shared["conversation_id"] is None  # only the sharer sees where it was shared
    mine = (await client.get(f"/api/v1/shares/{share_id}", headers=mei.headers)).json()
    assert mine["conversation_id"] == group


async def test_commission_is_held_when_the_order_completes_and_available_after_the_return_window(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    front = await storefront(client, container, commission_rate_bp=1000)
    mei, lin = await person(client, "mei"), await person(client, "lin")
    order = await buy(
        client,
        lin,
        front.sku_id,
        quantity=2,
        share_id=await share(client, mei, front.product["id"]),
    )
    await settle(container)
    assert (await balance(client, mei), await held(client, mei)) == (0, 0)
    await complete(client, front, lin, order["id"])
    await settle(container)
    assert (await balance(client, mei), await held(client, mei)) == (0, 1980)
    clock.advance(days=6)
    await settle(container)
    assert (await balance(client, mei), await held(client, mei)) == (0, 1980)
    await close_return_window(container, clock)
    assert (await balance(client, mei), await held(client, mei)) == (1980, 0)
    entries = (await client.get("/api/v1/wallet", headers=mei.headers)).json()["entries"]
    assert [(e["kind"], e["amount"], e["order_id"]) for e in entries] == [
        ("release", 1980, order["id"]),
        ("commission", 1980, order["id"]),
    ]


async def test_a_refund_inside_the_return_window_claws_the_held_commission_back(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    front = await storefront(client, container, commission_rate_bp=1000)
    mei, lin = await person(client, "mei"), await person(client, "lin")
    order = await buy(
        client,
        lin,
        front.sku_id,
        quantity=2,
        share_id=await share(client, mei, front.product["id"]),
    )
    await complete(client, front, lin, order["id"])
    await settle(container)
    partial = await client.post(
        f"/api/v1/orders/{order['id']}/refunds", headers=front.owner.headers, json={"amount": 9900}
    )
    assert partial.status_code == 201
    await settle(container)
    assert await held(client, mei) == 990
    assert (await order_of(client, lin, order["id"]))["commission"]["amount"] == 990
    await client.post(f"/api/v1/orders/{order['id']}/refunds", headers=front.owner.headers)
    await settle(container)
    assert (await balance(client, mei), await held(client, mei)) == (0, 0)
    kinds = [
        e["kind"]
        for e in (await client.get("/api/v1/wallet", headers=mei.headers)).json()["entries"]
    ]
    assert kinds == ["clawback", "clawback", "commission"]
    await close_return_window(container, clock)  # nothing left to release
    assert (await balance(client, mei), await held(client, mei)) == (0, 0)


async def test_a_refund_after_a_payout_is_the_shops_cost_and_never_puts_the_wallet_in_debt(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    front = await storefront(client, container, commission_rate_bp=1000)
    mei = await person(client, "mei")
    buyers = [await person(client, "lin"), await person(client, "fay")]
    share_id = await share(client, mei, front.product["id"])
    orders = []
    for buyer in buyers:
        order = await buy(client, buyer, front.sku_id, quantity=2, share_id=share_id)
        await complete(client, front, buyer, order["id"])
        orders.append(order)
    await close_return_window(container, clock)
    assert await balance(client, mei) == 2 * 1980
    payout = await client.post(
        "/api/v1/wallet/payouts", headers=mei.headers, json={"amount": 3960, "currency": "CNY"}
    )
    assert payout.status_code == 201, payout.text
    for order in orders:  # goodwill refunds, long after the window
        refunded = await client.post(
            f"/api/v1/orders/{order['id']}/refunds", headers=front.owner.headers
        )
        assert refunded.status_code == 201, refunded.text
    await settle(container)
    wallet = (await client.get("/api/v1/wallet", headers=mei.headers)).json()
    assert wallet["balances"] == [{"currency": "CNY", "amount": 0, "held": 0}]
    assert "clawback" not in [e["kind"] for e in wallet["entries"]]


async def test_a_refund_before_completion_means_no_commission_at_all(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, commission_rate_bp=1000)
    mei, lin = await person(client, "mei"), await person(client, "lin")
    order = await buy(
        client, lin, front.sku_id, share_id=await share(client, mei, front.product["id"])
    )
    await client.post(f"/api/v1/orders/{order['id']}/refunds", headers=front.owner.headers)
    await settle(container)
    assert await balance(client, mei) == 0
    assert (await client.get("/api/v1/wallet", headers=mei.headers)).json()["entries"] == []


async def test_buying_through_ones_own_share_earns_no_commission(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, commission_rate_bp=1000)
    mei = await person(client, "mei")
    order = await buy(
        client, mei, front.sku_id, share_id=await share(client, mei, front.product["id"])
    )
    assert order["commission"]["note"] == "self_referral" and order["commission"]["amount"] == 0
    await complete(client, front, mei, order["id"])
    await settle(container)
    assert await balance(client, mei) == 0


async def test_every_ledger_transaction_balances_and_balances_are_sums(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    front = await storefront(client, container, commission_rate_bp=500)
    mei = await person(client, "mei")
    buyers = [await person(client, f"buyer{n}") for n in range(3)]
    share_id = await share(client, mei, front.product["id"])
    for buyer in buyers:
        order = await buy(client, buyer, front.sku_id, share_id=share_id)
        await complete(client, front, buyer, order["id"])
    await close_return_window(container, clock)
    async with container.db.read_sessions() as session:
        sums = (
            await session.execute(
                select(LedgerTransaction.id, func.sum(LedgerEntry.amount))
                .join(LedgerEntry, LedgerEntry.transaction_id == LedgerTransaction.id)
                .group_by(LedgerTransaction.id)
            )
        ).all()
    assert len(sums) == 6 and all(total == 0 for _, total in sums)  # 3 credits, 3 releases
    assert await balance(client, mei) == 3 * 495


async def test_a_payout_moves_the_balance_and_can_never_overdraw_it(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    front = await storefront(client, container, commission_rate_bp=1000)
    mei, lin = await person(client, "mei"), await person(client, "lin")
    order = await buy(
        client,
        lin,
        front.sku_id,
        quantity=2,
        share_id=await share(client, mei, front.product["id"]),
    )
    await complete(client, front, lin, order["id"])
    held_payout = await client.post(
        "/api/v1/wallet/payouts", headers=mei.headers, json={"amount": 1, "currency": "CNY"}
    )
    assert held_payout.status_code == 409  # held commission cannot be paid out yet
    await close_return_window(container, clock)
    attempts = await asyncio.gather(
        *(
            client.post(
                "/api/v1/wallet/payouts",
                headers=mei.headers,
                json={"amount": 1000, "currency": "CNY"},
            )
            for _ in range(5)
        )
    )
    assert sorted(a.status_code for a in attempts) == [201, 409, 409, 409, 409]
    assert {a.json()["error"]["code"] for a in attempts if a.status_code == 409} == {
        "INSUFFICIENT_BALANCE"
    }
    await settle(container)
    assert await balance(client, mei) == 980
    too_much = await client.post(
        "/api/v1/wallet/payouts", headers=mei.headers, json={"amount": 981, "currency": "CNY"}
    )
    assert too_much.status_code == 409
    other_currency = await client.post(
        "/api/v1/wallet/payouts", headers=mei.headers, json={"amount": 1, "currency": "HKD"}
    )
    assert other_currency.status_code == 409
