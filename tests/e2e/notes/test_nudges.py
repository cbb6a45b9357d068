"""Nudges that support sharing (issue 16, ADR 0013): "write a note?" after delivery, and the
author's daily digest of what their notes did, which counts a purchase only where its buyer
lets the author see their purchases. At most three nudges a day; a person can switch them off.

(The unanswered-question nudge is tested with comments, in test_comments.py.)
"""

from __future__ import annotations

import html
from typing import Any

import httpx

from tests.e2e.commerce.kit import buy, settle
from tests.e2e.loop.loopkit import show
from tests.e2e.notes.test_notes_api import publish, world
from tests.e2e.test_web_session import web_log_in
from tests.factories import Person
from tests.fakes import ShiftableClock
from tuan.bootstrap import Container
from tuan.core.uow import UnitOfWork
from tuan.notes.models import NoteSettings

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


async def page_of(client: httpx.AsyncClient, who: Person) -> str:
    """The notifications page as ``who`` reads it in a browser, in Chinese, unescaped."""
    await web_log_in(client, who.username)
    page = await client.get("/notifications", headers=ZH)
    client.cookies.clear()
    assert page.status_code == 200, page.text
    return html.unescape(page.text)


async def no_nudges(uow: UnitOfWork, *, user_id: int) -> None:
    uow.session.add(NoteSettings(user_id=user_id, default_audience="friends", nudges=False))


async def nudges(client: httpx.AsyncClient, who: Person) -> list[dict[str, Any]]:
    response = await client.get("/api/v1/notifications", headers=who.headers)
    assert response.status_code == 200, response.text
    return [n for n in response.json()["notifications"] if n["kind"].startswith("note_")]


async def carry(
    client: httpx.AsyncClient,
    container: Container,
    order: dict[str, Any],
    owner: Person,
    buyer: Person,
) -> None:
    for who, action in ((owner, "ship"), (buyer, "deliver")):
        done = await client.post(f"/api/v1/orders/{order['id']}/{action}", headers=who.headers)
        assert done.status_code == 200, done.text
    await settle(container)


async def test_a_delivered_order_asks_for_a_note_unless_one_was_written(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    order = await buy(client, w.fay, w.front.sku_id)
    await carry(client, container, order, w.front.owner, w.fay)
    (prompt,) = await nudges(client, w.fay)
    assert prompt["kind"] == "note_prompt"
    assert (prompt["data"]["product_id"], prompt["data"]["order_id"]) == (w.nuts, order["id"])
    page = await page_of(client, w.fay)
    assert f"/notes/new?product={w.nuts}" in page and "写篇笔记" in page

    # Amy already wrote about the nuts: her delivery asks for nothing.
    await publish(client, w.amy, product_ids=[w.nuts], audience="me")
    mine = await buy(client, w.amy, w.front.sku_id)
    await carry(client, container, mine, w.front.owner, w.amy)
    assert await nudges(client, w.amy) == []


async def test_nudges_can_be_switched_off_and_come_at_most_three_a_day(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    w = await world(client, container)
    for _ in range(4):
        await carry(
            client, container, await buy(client, w.fay, w.front.sku_id), w.front.owner, w.fay
        )
    assert len(await nudges(client, w.fay)) == 3  # the fourth delivery, the same day: quiet
    clock.advance(days=1, minutes=1)
    await carry(client, container, await buy(client, w.fay, w.front.sku_id), w.front.owner, w.fay)
    assert len(await nudges(client, w.fay)) == 4

    await container.run(no_nudges, user_id=w.sam.id)  # Sam says no to nudges
    await carry(client, container, await buy(client, w.sam, w.front.sku_id), w.front.owner, w.sam)
    assert await nudges(client, w.sam) == []


async def test_the_digest_counts_only_purchases_the_author_may_see(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    w = await world(client, container)
    note = (await publish(client, w.amy, product_ids=[w.nuts], audience="everyone")).json()
    share_id = note["products"][0]["share_id"]
    await show(client, w.fay, "purchases", "friends")  # Fay lets friends see; Amy is one
    await buy(client, w.fay, w.front.sku_id, share_id=share_id)
    await buy(client, w.sam, w.front.sku_id, share_id=share_id)  # Sam's purchases: nobody's
    await buy(client, w.amy, w.front.sku_id, share_id=share_id)  # her own: not "helped"
    await settle(container)
    assert await nudges(client, w.amy) == []  # batched: nothing until the day is over

    clock.advance(days=1, minutes=1)
    await settle(container)
    (digest,) = await nudges(client, w.amy)
    assert digest["kind"] == "note_digest"
    assert (digest["data"]["decided"], digest["data"]["saves"], digest["data"]["helpful"]) == (
        1,
        0,
        0,
    )
    assert "你的笔记帮 1 人做了决定" in await page_of(client, w.amy)

    # The next day's digest counts only what came after this one.
    await buy(client, w.fay, w.front.sku_id, share_id=share_id)
    await settle(container)
    clock.advance(days=1, minutes=1)
    await settle(container)
    latest = (await nudges(client, w.amy))[-1]
    assert latest["data"]["decided"] == 1 and latest["id"] != digest["id"]


async def test_a_hidden_purchase_moves_no_digest(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    w = await world(client, container)
    note = (await publish(client, w.amy, product_ids=[w.nuts], audience="everyone")).json()
    await buy(client, w.sam, w.front.sku_id, share_id=note["products"][0]["share_id"])
    await settle(container)
    clock.advance(days=1, minutes=1)
    await settle(container)
    assert await nudges(client, w.amy) == []
