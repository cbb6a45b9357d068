"""The moments that must reach a person's phone make an in-app notification (and so a push): a
team purchase someone joined, one short of filling, or failed; an order delivered or refunded;
an answer to one's ask; a reply to one's message. Each test reads the notification list as its
receiver does (``GET /api/v1/notifications``) and the notifications page's sentence and link,
and checks that whoever must not be told is not: the actor, a blocked person, a member who may
not know who joined."""

from __future__ import annotations

import html
import json
import uuid
from typing import Any

import httpx

from tests.e2e.commerce.kit import Storefront, buy, pay, settle, storefront
from tests.e2e.loop.loopkit import open_team
from tests.e2e.test_web_session import web_log_in
from tests.factories import Person, join_open_group, people, say
from tests.fakes import ShiftableClock
from tuan.bootstrap import Container


async def notified(client: httpx.AsyncClient, who: Person, kind: str) -> list[dict[str, Any]]:
    found = await client.get("/api/v1/notifications", headers=who.headers)
    assert found.status_code == 200, found.text
    return [n for n in found.json()["notifications"] if n["kind"] == kind]


async def page_of(client: httpx.AsyncClient, who: Person) -> str:
    """The notifications page as ``who`` reads it in a browser (English), unescaped."""
    await web_log_in(client, who.username)
    page = await client.get("/notifications")
    client.cookies.clear()
    assert page.status_code == 200, page.text
    return html.unescape(page.text)


def says(page: str, href: str, sentence: str) -> bool:
    return f'<a href="{href}">{sentence}</a>' in page


async def join_and_pay(client: httpx.AsyncClient, who: Person, team_id: int) -> int:
    """Take a place in a public team and pay for it; the member's order id."""
    joined = await client.post(
        f"/api/v1/teams/{team_id}/join",
        headers={**who.headers, "Idempotency-Key": uuid.uuid4().hex},
        json={},
    )
    assert joined.status_code == 201, joined.text
    order_id = int(joined.json()["order"]["id"])
    assert (await pay(client, who, order_id)).status_code == 201
    return order_id


async def team_of_four(
    client: httpx.AsyncClient, container: Container, opener: Person, size: int = 4
) -> tuple[Storefront, dict[str, Any]]:
    store = await storefront(client, container, team_size=size, team_price=6900)
    return store, await open_team(client, opener, store.sku_id, public=True)


# --- team purchase --------------------------------------------------------------------------


async def test_members_hear_someone_joined_and_then_that_one_more_is_needed(
    client: httpx.AsyncClient, container: Container
) -> None:
    mei, ben, cat = await people(client, "mei", "zhou_ben", "qiao_cat")
    store, team = await team_of_four(client, container, mei)
    product = store.product["name"]
    ben_order = await join_and_pay(client, ben, team["id"])
    await settle(container)

    # Ben hides his purchases (the default): the news does not say who joined.
    (joined,) = await notified(client, mei, "team_joined")
    assert joined["actor_id"] is None and "zhou" not in json.dumps(joined)
    data = joined["data"]
    assert (data["team_id"], data["count"], data["size"], data["product"]) == (
        team["id"],
        2,
        4,
        product,
    )
    mei_order = data["order_id"]
    assert mei_order != ben_order  # her own order, whose page follows the team
    assert await notified(client, ben, "team_joined") == []  # the one who joined knows

    await join_and_pay(client, cat, team["id"])
    await settle(container)
    for member, order_id in ((mei, mei_order), (ben, ben_order)):
        (short,) = await notified(client, member, "team_one_short")
        assert (short["data"]["count"], short["data"]["order_id"]) == (3, order_id)
        assert short["actor_id"] is None
    assert len(await notified(client, mei, "team_joined")) == 1  # one notice per moment
    assert await notified(client, cat, "team_one_short") == []
    assert await notified(client, cat, "team_joined") == []

    page = await page_of(client, mei)
    assert says(
        page, f"/orders/{mei_order}", f"Someone joined your team for {product}: 2 of 4 paid"
    )
    assert says(
        page,
        f"/orders/{mei_order}",
        f"Your team for {product} needs just one more person: 3 of 4 paid. "
        "Invite someone before the deadline.",
    )
    assert "zhou" not in page and "qiao" not in page


async def test_members_of_a_team_that_did_not_fill_hear_it_and_that_they_are_refunded(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    mei, ben = await people(client, "mei", "ben")
    store, team = await team_of_four(client, container, mei, size=3)
    ben_order = await join_and_pay(client, ben, team["id"])
    await settle(container)
    clock.advance(hours=24, seconds=1)
    await settle(container)  # the deadline passes; payments refunds every member

    product = store.product["name"]
    for member in (mei, ben):
        (failed,) = await notified(client, member, "team_failed")
        assert (failed["data"]["count"], failed["data"]["size"]) == (2, 3)
        order = await client.get(
            f"/api/v1/orders/{failed['data']['order_id']}", headers=member.headers
        )
        assert order.json()["status"] == "refunded"
        # The team's notice says the money goes back: no second notice for the same moment.
        assert await notified(client, member, "order_refunded") == []
    (failed,) = await notified(client, ben, "team_failed")
    assert failed["data"]["order_id"] == ben_order
    assert says(
        await page_of(client, ben),
        f"/orders/{ben_order}",
        f"Your team for {product} did not fill in time (2 of 3 paid). Every payment is "
        "refunded in full; unpaid orders are cancelled.",
    )


# --- orders ---------------------------------------------------------------------------------


async def test_the_buyer_hears_the_shop_marked_the_order_delivered_but_not_their_own_mark(
    client: httpx.AsyncClient, container: Container
) -> None:
    store = await storefront(client, container)
    (mei,) = await people(client, "mei")
    shop = store.shop["name"]
    by_shop, by_mei = [await buy(client, mei, store.sku_id) for _ in range(2)]
    for order, marker in ((by_shop, store.owner), (by_mei, mei)):
        shipped = await client.post(
            f"/api/v1/orders/{order['id']}/ship", headers=store.owner.headers
        )
        assert shipped.status_code == 200, shipped.text
        done = await client.post(f"/api/v1/orders/{order['id']}/deliver", headers=marker.headers)
        assert done.status_code == 200, done.text
    await settle(container)

    (delivered,) = await notified(client, mei, "order_delivered")
    assert delivered["data"] == {"order_id": by_shop["id"], "shop": shop}
    assert await notified(client, store.owner, "order_delivered") == []
    assert says(
        await page_of(client, mei),
        f"/orders/{by_shop['id']}",
        f"Your order #{by_shop['id']} from {shop} was delivered",
    )


async def test_the_buyer_hears_of_each_refund_the_shop_sends(
    client: httpx.AsyncClient, container: Container
) -> None:
    store = await storefront(client, container, price=9900)
    (mei,) = await people(client, "mei")
    order = await buy(client, mei, store.sku_id)
    refunds = f"/api/v1/orders/{order['id']}/refunds"
    for amount in (900, None):  # a part, then the rest
        body = {} if amount is None else {"amount": amount}
        sent = await client.post(refunds, headers=store.owner.headers, json=body)
        assert sent.status_code == 201, sent.text
    await settle(container)

    told = await notified(client, mei, "order_refunded")
    assert [n["data"]["full"] for n in told] == [False, True]
    assert {n["data"]["order_id"] for n in told} == {order["id"]}
    assert await notified(client, store.owner, "order_refunded") == []
    assert says(
        await page_of(client, mei),
        f"/orders/{order['id']}",
        f"{store.shop['name']} sent you a refund for your order #{order['id']}",
    )


# --- asks and replies -----------------------------------------------------------------------


async def mute(client: httpx.AsyncClient, who: Person, conversation_id: int) -> None:
    muted = await client.put(
        f"/api/v1/conversations/{conversation_id}/mute", headers=who.headers, json={"forever": True}
    )
    assert muted.status_code in (200, 204), muted.text


async def block(client: httpx.AsyncClient, who: Person, whom: Person) -> None:
    blocked = await client.put(f"/api/v1/blocks/{whom.id}", headers=who.headers)
    assert blocked.status_code == 204, blocked.text


async def test_the_asker_hears_of_an_answer_even_in_a_muted_group_but_not_from_someone_blocked(
    client: httpx.AsyncClient, container: Container
) -> None:
    store = await storefront(client, container)
    mei, ben, cat, dan = await people(client, "mei", "ben", "cat", "dan")
    group = await join_open_group(client, mei, ben, cat, dan)
    await mute(client, mei, group)
    await block(client, mei, dan)
    asked = await client.post(
        "/api/v1/asks",
        headers=mei.headers,
        json={"text": "求推荐：坚果礼盒", "conversation_ids": [group]},
    )
    assert asked.status_code == 201, asked.text
    ask_id = asked.json()["id"]
    answers = f"/api/v1/asks/{ask_id}/answers"
    for answerer in (ben, dan):
        answer = await client.post(
            answers,
            headers=answerer.headers,
            json={"conversation_id": group, "product_id": store.product["id"]},
        )
        assert answer.status_code == 201, answer.text
    await settle(container)

    (told,) = await notified(client, mei, "ask_answered")
    assert told["actor_id"] == ben.id and told["conversation_id"] == group
    assert told["data"] == {"ask_id": ask_id}
    cards = await client.get(f"/api/v1/conversations/{group}/messages", headers=mei.headers)
    (ben_card,) = [m for m in cards.json()["messages"] if m.get("sender_id") == ben.id]
    assert told["message_seq"] == ben_card["seq"]
    for other in (ben, cat, dan):
        assert await notified(client, other, "ask_answered") == []
    assert says(
        await page_of(client, mei),
        f"/chats/{group}#m{ben_card['seq']}",
        "ben answered your request for a recommendation",
    )


async def test_a_reply_tells_its_author_even_muted_once_and_never_from_someone_blocked(
    client: httpx.AsyncClient, container: Container
) -> None:
    mei, ben, cat, dan = await people(client, "mei", "ben", "cat", "dan")
    group = await join_open_group(client, mei, ben, cat, dan)
    await mute(client, ben, group)
    await block(client, ben, dan)
    asked = await say(client, ben, group, "草莓还有吗？")
    seq = asked.json()["seq"]

    replied = await say(client, mei, group, "还有两箱", reply_to_seq=seq)
    assert replied.status_code == 201, replied.text
    own = await say(client, ben, group, "要一箱", reply_to_seq=seq)  # to himself
    both = await say(client, cat, group, "@ben 我也要", reply_to_seq=seq, mentions=[ben.id])
    from_dan = await say(client, dan, group, "我这有", reply_to_seq=seq)
    for sent in (own, both, from_dan):
        assert sent.status_code == 201, sent.text
    await settle(container)

    (reply,) = await notified(client, ben, "reply")
    assert (reply["actor_id"], reply["conversation_id"], reply["message_seq"]) == (
        mei.id,
        group,
        replied.json()["seq"],
    )
    assert reply["data"]["text"] == "还有两箱"
    # Cat's reply that also @mentions him is told once, as the mention.
    assert [n["actor_id"] for n in await notified(client, ben, "mention")] == [cat.id]
    for other in (mei, cat, dan):
        assert await notified(client, other, "reply") == []
    page = await page_of(client, ben)
    assert says(page, f"/chats/{group}#m{replied.json()['seq']}", "mei replied to you")
    assert "<q>还有两箱</q>" in page and "我这有" not in page


async def test_in_a_direct_chat_a_reply_is_the_direct_message(
    client: httpx.AsyncClient, container: Container
) -> None:
    mei, ben = await people(client, "mei", "ben")
    await client.post("/api/v1/friends/requests", headers=mei.headers, json={"user_id": ben.id})
    await client.post("/api/v1/friends/requests", headers=ben.headers, json={"user_id": mei.id})
    made = await client.post(
        "/api/v1/conversations/direct", headers=mei.headers, json={"user_id": ben.id}
    )
    dm = made.json()["id"]
    seq = (await say(client, ben, dm, "在吗")).json()["seq"]
    assert (await say(client, mei, dm, "在", reply_to_seq=seq)).status_code == 201
    await settle(container)
    assert await notified(client, ben, "reply") == []
    assert len(await notified(client, ben, "direct_message")) == 1
