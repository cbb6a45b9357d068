"""Leaving Tuan (issue 23, ADR 0011): the password again, every session ended, a waiting period
in which signing in cancels it, refusals that name what is pending, then the erasure."""

from __future__ import annotations

from datetime import timedelta

import httpx

from tests.e2e.commerce.kit import buy, list_product, merchant, open_shop, settle
from tests.factories import PASSWORD, Person, log_in, people
from tests.fakes import ShiftableClock
from tuan.bootstrap import Container

WAIT = timedelta(days=7)


async def ask_to_leave(
    client: httpx.AsyncClient, who: Person, password: str = PASSWORD
) -> httpx.Response:
    return await client.post(
        "/api/v1/me/deletion", headers=who.headers, json={"password": password}
    )


async def test_a_wrong_password_is_refused_and_changes_nothing(client: httpx.AsyncClient) -> None:
    (mei,) = await people(client, "mei")
    refused = await ask_to_leave(client, mei, password="not my password at all")
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] == "WRONG_PASSWORD"
    assert (await client.get("/api/v1/me", headers=mei.headers)).status_code == 200


async def test_pending_orders_and_owned_groups_are_each_named_in_the_reader_language(
    client: httpx.AsyncClient, container: Container
) -> None:
    shop_owner = await merchant(client, container, "shopkeeper")
    shop = await open_shop(client, shop_owner)
    product = await list_product(client, shop_owner, shop["id"])
    (mei,) = await people(client, "mei")
    order = await buy(client, mei, product["skus"][0]["id"])
    group = await client.post("/api/v1/groups", headers=mei.headers, json={"name": "米粉团"})
    assert group.status_code == 201, group.text

    obligations = await client.get(
        "/api/v1/me/deletion/obligations", headers={**mei.headers, "Accept-Language": "zh-CN"}
    )
    assert obligations.status_code == 200, obligations.text
    said = [item["message"] for item in obligations.json()]
    assert any(f"#{order['id']}" in line and "送达" in line for line in said), said
    assert any("米粉团" in line and "群主" in line for line in said), said

    refused = await ask_to_leave(client, mei)
    assert refused.status_code == 409, refused.text
    body = refused.json()["error"]
    assert body["code"] == "DELETION_BLOCKED"
    assert "2 things" in body["message"]
    assert [item["link"] for item in body["items"]] == [
        f"/orders/{order['id']}",
        f"/groups/{group.json()['id']}/admin",
    ]
    assert (await client.get("/api/v1/me", headers=mei.headers)).status_code == 200


async def test_asking_ends_every_session_and_signing_in_within_the_wait_cancels_it(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    (mei,) = await people(client, "mei")
    asked = await ask_to_leave(client, mei)
    assert asked.status_code == 202, asked.text
    assert asked.json()["status"] == "waiting"
    assert (await client.get("/api/v1/me", headers=mei.headers)).status_code == 401

    clock.advance(hours=7 * 24 - 1)
    signed_in = await log_in(client, "mei")
    assert signed_in.status_code == 201, signed_in.text
    assert signed_in.json()["deletion_cancelled"] is True
    again = Person(id=mei.id, username="mei", token=signed_in.json()["token"])
    clock.advance(hours=2)
    await settle(container)
    assert (await client.get("/api/v1/me", headers=again.headers)).status_code == 200
