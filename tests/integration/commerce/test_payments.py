"""Payments through the sandbox: success, failure, late answers by signed webhook, never twice."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import func, select

from tests.e2e.commerce.kit import checkout, order_of, pay, settle, stock_of, storefront
from tests.factories import Person, person
from tests.fakes import ShiftableClock
from tuan.bootstrap import Container
from tuan.payments.models import Payment, Refund
from tuan.payments.provider import SandboxProvider

SECRET = "test-secret-key-0123456789"  # the settings fixture's TUAN_SECRET_KEY


async def _placed(client: httpx.AsyncClient, container: Container) -> tuple[Person, int, int]:
    front = await storefront(client, container, stock=3)
    buyer = await person(client, "lin")
    placed = await checkout(client, buyer, [{"sku_id": front.sku_id, "quantity": 1}])
    return buyer, int(placed.json()["id"]), int(front.product["id"])


async def _awaiting_webhook(
    client: httpx.AsyncClient, container: Container
) -> tuple[Person, int, str]:
    """An order whose payment waits for the provider's webhook: (buyer, order id, reference)."""
    buyer, order_id, _ = await _placed(client, container)
    started = await pay(client, buyer, order_id, "late", answer_after_seconds=3600)
    return buyer, order_id, str(started.json()["reference"])


async def _webhook(
    client: httpx.AsyncClient, container: Container, reference: str, outcome: str = "succeeded"
) -> httpx.Response:
    body, signature = SandboxProvider(SECRET).webhook(
        reference=reference,
        outcome=outcome,  # type: ignore[arg-type]
        now=container.clock.now(),
    )
    return await client.post(
        "/api/v1/payments/webhooks/sandbox",
        content=body,
        headers={"X-Sandbox-Signature": signature, "content-type": "application/json"},
    )


async def test_a_declined_payment_leaves_the_order_unpaid_and_a_retry_succeeds(
    client: httpx.AsyncClient, container: Container
) -> None:
    buyer, order_id, _ = await _placed(client, container)
    declined = await pay(client, buyer, order_id, "fail")
    assert declined.json()["status"] == "failed" and declined.json()["order"]["status"] == "pending"
    retried = await pay(client, buyer, order_id, "succeed")
    assert retried.json()["order"]["status"] == "paid"
    page = await order_of(client, buyer, order_id)
    assert [p["status"] for p in page["payments"]] == ["failed", "succeeded"]


async def test_a_late_answer_arrives_by_signed_webhook_from_the_durable_scheduler(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    buyer, order_id, _ = await _placed(client, container)
    started = await pay(client, buyer, order_id, "late", answer_after_seconds=30)
    assert started.json()["status"] == "pending" and started.json()["order"]["status"] == "pending"
    second = await pay(client, buyer, order_id, "succeed")
    assert second.status_code == 409 and second.json()["error"]["code"] == "PAYMENT_IN_PROGRESS"
    clock.advance(seconds=31)
    await settle(container)
    assert (await order_of(client, buyer, order_id))["status"] == "paid"


async def test_a_late_decline_frees_the_order_for_another_attempt(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    buyer, order_id, _ = await _placed(client, container)
    await pay(client, buyer, order_id, "late_fail", answer_after_seconds=5)
    clock.advance(seconds=6)
    await settle(container)
    assert (await pay(client, buyer, order_id, "succeed")).json()["order"]["status"] == "paid"


async def test_a_webhook_delivered_twice_pays_once(
    client: httpx.AsyncClient, container: Container
) -> None:
    buyer, order_id, reference = await _awaiting_webhook(client, container)
    first, second = await asyncio.gather(
        _webhook(client, container, reference), _webhook(client, container, reference)
    )
    assert sorted([first.json()["outcome"], second.json()["outcome"]]) == ["duplicate", "paid"]
    page = await order_of(client, buyer, order_id)
    assert page["status"] == "paid" and [h["to_status"] for h in page["history"]] == [
        "pending",
        "paid",
    ]


async def test_a_payment_arriving_after_the_reservation_expired_is_refunded_exactly_once(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    buyer, order_id, product_id = await _placed(client, container)
    reference = (await pay(client, buyer, order_id, "late", answer_after_seconds=3600)).json()[
        "reference"
    ]
    clock.advance(minutes=16)
    await settle(container)  # the reservation expires, the unit goes back on sale
    assert (await order_of(client, buyer, order_id))["status"] == "cancelled"

    arrived = await _webhook(client, container, reference)
    again = await _webhook(client, container, reference)
    assert arrived.json()["outcome"] == "refunded" and again.json()["outcome"] == "duplicate"
    await settle(container)
    page = await order_of(client, buyer, order_id)
    assert page["status"] == "cancelled"
    assert [(p["status"]) for p in page["payments"]] == ["refunded"]
    assert [(r["amount"], r["status"]) for r in page["refunds"]] == [(9900, "succeeded")]
    assert await stock_of(client, buyer, product_id) == 3


async def test_a_forged_webhook_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, container: Container
) -> None:
    buyer, order_id, reference = await _awaiting_webhook(client, container)
    body, _signature = SandboxProvider("someone-elses-key-000").webhook(
        reference=reference, outcome="succeeded", now=container.clock.now()
    )
    for signature in (_signature, None, "t=1,v1=deadbeef"):
        headers = {"content-type": "application/json"}
        if signature:
            headers["X-Sandbox-Signature"] = signature
        forged = await client.post(
            "/api/v1/payments/webhooks/sandbox", content=body, headers=headers
        )
        assert forged.status_code == 401
        assert forged.json()["error"]["code"] == "INVALID_WEBHOOK_SIGNATURE"
    async with container.db.read_sessions() as session:
        assert await session.scalar(select(Payment.status)) == "pending"
    assert (await order_of(client, buyer, order_id))["status"] == "pending"


async def test_a_webhook_for_an_unknown_payment_is_a_404(
    client: httpx.AsyncClient, container: Container
) -> None:
    response = await _webhook(client, container, "pay_nobody")
    assert response.status_code == 404 and response.json()["error"]["code"] == "PAYMENT_NOT_FOUND"


async def test_concurrent_payment_attempts_charge_the_order_once(
    client: httpx.AsyncClient, container: Container
) -> None:
    buyer, order_id, _ = await _placed(client, container)
    attempts = await asyncio.gather(*(pay(client, buyer, order_id) for _ in range(8)))
    assert sorted(a.status_code for a in attempts).count(201) == 1
    assert {a.json()["error"]["code"] for a in attempts if a.status_code != 201} <= {
        "PAYMENT_IN_PROGRESS",
        "INVALID_TRANSITION",
    }
    async with container.db.read_sessions() as session:
        charged = await session.scalar(
            select(func.count()).select_from(Payment).where(Payment.status == "succeeded")
        )
        refunds = await session.scalar(select(func.count()).select_from(Refund))
    assert charged == 1 and refunds == 0


async def test_a_signed_webhook_with_a_nul_in_its_reference_is_refused_not_crashed_on(
    client: httpx.AsyncClient, container: Container
) -> None:
    buyer, order_id, reference = await _awaiting_webhook(client, container)
    for forged_reference in (reference + "\x00", "\x00"):
        response = await _webhook(client, container, forged_reference)
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["field"] == "reference"
        assert error["message"] == (
            "Reference contains a character no database can store (NUL or a lone surrogate)."
        )
    async with container.db.read_sessions() as session:
        assert await session.scalar(select(Payment.status)) == "pending"
    assert (await order_of(client, buyer, order_id))["status"] == "pending"
