"""In a busy group (issue 15.3, ADR 0010): every "bought it" is a new message at the bottom, from
the buyer, with their words and the @mention of the recommender, with its own time; the API says
what was posted and where. Only the sharer's pings are digested: once per busy hour for the
wordless reports, per sharer; a report with words always reaches them."""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.commerce.kit import buy, list_product, merchant, open_shop
from tests.e2e.loop.loopkit import messages, share_card
from tests.e2e.test_web_session import web_log_in
from tests.factories import Person, join_open_group, people, person
from tests.fakes import ShiftableClock
from tuan.bootstrap import Container

WORDS = "米粉收到啦，谢谢美美推荐！"


async def report(
    client: httpx.AsyncClient, buyer: Person, sku_id: int, share_id: int, text: str = ""
) -> dict[str, Any]:
    order = await buy(client, buyer, sku_id, share_id=share_id)
    said = await client.post(
        f"/api/v1/orders/{order['id']}/bought-it", headers=buyer.headers, json={"text": text}
    )
    assert said.status_code == 201, said.text
    return {**said.json(), "order_id": order["id"]}


async def mentions_of(client: httpx.AsyncClient, who: Person) -> list[dict[str, Any]]:
    listed = (await client.get("/api/v1/notifications", headers=who.headers)).json()
    return [n for n in listed["notifications"] if n["kind"] == "mention"]


async def test_the_fourth_report_in_an_hour_is_a_new_message_with_the_buyers_words(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    owner = await merchant(client, container, "shopkeeper")
    shop = await open_shop(client, owner, commission_rate_bp=500)
    item = await list_product(
        client, owner, shop["id"], skus=[{"label": "one", "price": 500, "stock": 50}]
    )
    sku = item["skus"][0]["id"]
    mei = await person(client, "mei", display_name="林美")
    ann = await person(client, "ann", display_name="安")
    buyers = await people(client, *(f"buyer{n}" for n in range(1, 8)))
    group = await join_open_group(client, mei, ann, *buyers, name="邻居团购群")
    card = (await share_card(client, mei, group, item["id"])).json()

    for buyer in buyers[:3]:  # a busy hour: three reports already
        await report(client, buyer, sku, card["share_id"])
        clock.advance(minutes=2)
    chatter = (
        await client.post(
            f"/api/v1/conversations/{group}/messages",
            headers=mei.headers,
            json={"text": "谢谢大家"},
        )
    ).json()
    clock.advance(minutes=2)

    # The fourth, with words: a message of its own, at the bottom, with its own time.
    fourth = await report(client, buyers[3], sku, card["share_id"], WORDS)
    posted = fourth["posted"]
    assert posted["conversation_id"] == group == fourth["conversation_id"]
    assert posted["conversation_title"] == "邻居团购群"
    assert posted["text"] == WORDS
    assert posted["mentions"] == [{"user_id": mei.id, "display_name": "林美"}]
    assert posted["message_seq"] == fourth["message_seq"] > chatter["seq"]
    in_chat = await messages(client, mei, group)
    last = in_chat[-1]
    assert last["seq"] == fourth["message_seq"]
    assert (last["kind"], last["sender_id"], last["text"]) == (
        "purchase_report",
        buyers[3].id,
        WORDS,
    )
    assert last["mentions"] == [mei.id] and last["payload"]["sharer_id"] == mei.id
    assert last["created_at"] > chatter["created_at"] and last["edited_at"] is None

    # Two wordless ones after it: each a new message from its buyer, still mentioning Mei.
    clock.advance(minutes=2)
    fifth = await report(client, buyers[4], sku, card["share_id"])
    clock.advance(minutes=2)
    sixth = await report(client, buyers[5], sku, card["share_id"])
    assert fifth["posted"]["text"] == "" and fifth["posted"]["mentions"][0]["user_id"] == mei.id
    in_chat = await messages(client, mei, group)
    reports = [m for m in in_chat if m["kind"] == "purchase_report"]
    assert [m["sender_id"] for m in reports] == [b.id for b in buyers[:6]]
    assert [m["seq"] for m in in_chat[-2:]] == [fifth["message_seq"], sixth["message_seq"]]
    assert all(m["mentions"] == [mei.id] and m["edited_at"] is None for m in reports)
    times = [m["created_at"] for m in reports]
    assert times == sorted(times) and len(set(times)) == 6
    assert not [m for m in in_chat if m["kind"] == "purchase_digest"]

    # Pings: the three, the words, one digest ping for the wordless ones, not one per order.
    pings = await mentions_of(client, mei)
    said = sorted((n["data"]["message_kind"], n["data"]["text"]) for n in pings)
    assert said == [
        ("purchase_digest", ""),
        *[("purchase_report", "")] * 3,
        ("purchase_report", WORDS),
    ]
    # A second sharer in the same busy hour gets her own digest ping.
    anns = (await share_card(client, ann, group, item["id"])).json()
    await report(client, buyers[6], sku, anns["share_id"])
    assert [n["data"]["message_kind"] for n in await mentions_of(client, ann)] == [
        "purchase_digest"
    ]
    await web_log_in(client, "mei")
    page = (await client.get("/notifications", headers={"Accept-Language": "zh-CN"})).text
    assert page.count(f"<q>{WORDS}</q>") == 1
    assert page.count("<q>又有人通过这个聊天里的分享买了</q>") == 1
    client.cookies.clear()

    # Told later, the buyer's order says what was posted and where.
    mine = await client.get(
        f"/api/v1/orders/{fourth['order_id']}/my-reports", headers=buyers[3].headers
    )
    assert mine.status_code == 200, mine.text
    assert mine.json()["bought_it"] == posted

    clock.advance(hours=2)  # a quiet hour later, a wordless report pings on its own again
    await report(client, buyers[0], sku, card["share_id"])
    kinds = [n["data"]["message_kind"] for n in await mentions_of(client, mei)]
    assert kinds.count("purchase_report") == 5 and kinds.count("purchase_digest") == 1
