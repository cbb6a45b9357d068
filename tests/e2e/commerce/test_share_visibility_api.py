"""Attribution only through a share its buyer could see (issue 14.4, ADR 0008).

A share made into a chat belongs to that chat: only a member who may post there makes one, only
someone who could see it passes it on, and only its members buy through it (the sharer then
earns commission, and "bought it" goes into that chat naming them). A share made outside any
chat is a link, usable by whoever is given it. Someone who cannot see a share is refused when
they name it, and can always buy without it; a cart line whose share its buyer can no longer see
quietly loses it.

The world: Mei and Ben are in a group (joined through its invite link); Sam is not in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from tests.e2e.commerce.kit import Storefront, buy, checkout, settle, storefront
from tests.e2e.loop.loopkit import messages, share_card
from tests.e2e.test_web_session import web_log_in
from tests.factories import Person, invite_link, join_open_group, people
from tuan.bootstrap import Container

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


@dataclass
class World:
    front: Storefront
    mei: Person  # shares into the group
    ben: Person  # in the group
    sam: Person  # not in it
    group: int
    card: int  # Mei's share, made into the group as a card

    @property
    def product_id(self) -> int:
        return int(self.front.product["id"])


async def world(client: httpx.AsyncClient, container: Container, **store: Any) -> World:
    front = await storefront(client, container, commission_rate_bp=1000, **store)
    mei, ben, sam = await people(client, "mei", "ben", "sam")
    group = await join_open_group(client, mei, ben)
    card = await share_card(client, mei, group, front.product["id"])
    assert card.status_code == 201, card.text
    return World(front, mei, ben, sam, group, int(card.json()["share_id"]))


def refusal(response: httpx.Response) -> tuple[int, str, str | None]:
    assert "error" in response.json(), response.text
    error = response.json()["error"]
    return response.status_code, error["code"], error.get("field")


async def share(
    client: httpx.AsyncClient, who: Person, *, headers: dict[str, str] | None = None, **body: Any
) -> httpx.Response:
    return await client.post(
        "/api/v1/shares", headers={**who.headers, **(headers or {})}, json=body
    )


async def complete(client: httpx.AsyncClient, w: World, buyer: Person, order_id: int) -> None:
    for who, action in ((w.front.owner, "ship"), (buyer, "deliver"), (buyer, "complete")):
        done = await client.post(f"/api/v1/orders/{order_id}/{action}", headers=who.headers)
        assert done.status_code == 200, done.text


async def earned(client: httpx.AsyncClient, who: Person) -> int:
    """Commission earned, held through the return window or already available."""
    wallet = (await client.get("/api/v1/wallet", headers=who.headers)).json()
    return sum(b["amount"] + b["held"] for b in wallet["balances"] if b["currency"] == "CNY")


async def test_nobody_shares_into_a_chat_they_are_not_in(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container, team_size=3, team_price=6900)
    into_group = {"product_id": w.product_id, "conversation_id": w.group}
    refused = await share(client, w.sam, headers=ZH, **into_group)
    assert refusal(refused) == (404, "CONVERSATION_NOT_FOUND", "conversation_id")
    assert refused.json()["error"]["message"] == "该聊天不存在，或你不在其中。"

    # Nor a team (a public one, which Sam may see and share elsewhere).
    opened = await client.post(
        "/api/v1/teams",
        headers={**w.mei.headers, "Idempotency-Key": "mei-opens"},
        json={"sku_id": w.front.sku_id, "allow_public_join": True},
    )
    assert opened.status_code == 201, opened.text
    paid = await client.post(
        f"/api/v1/orders/{opened.json()['order']['id']}/payments", headers=w.mei.headers, json={}
    )
    assert paid.status_code == 201, paid.text
    team = {"team_id": opened.json()["team"]["id"], "conversation_id": w.group}
    assert refusal(await share(client, w.sam, **team))[:2] == (404, "CONVERSATION_NOT_FOUND")
    assert (await share(client, w.sam, team_id=team["team_id"])).status_code == 201  # a link

    # Someone who left the group cannot share into it any more; its members can.
    (lea,) = await people(client, "lea")
    code = await invite_link(client, w.mei, w.group)
    joined = await client.post(f"/api/v1/invites/{code}/join", headers=lea.headers, json={})
    assert joined.json()["status"] == "joined", joined.text
    assert (await share(client, lea, **into_group)).status_code == 201
    left = await client.delete(f"/api/v1/groups/{w.group}/members/{lea.id}", headers=lea.headers)
    assert left.status_code == 204, left.text
    assert refusal(await share(client, lea, **into_group))[:2] == (404, "CONVERSATION_NOT_FOUND")
    assert (await share(client, w.ben, **into_group)).status_code == 201

    # So Ben, buying, can credit only the members' shares, and the group hears of no Sam.
    sam_in_group = [m for m in await messages(client, w.ben, w.group) if m["sender_id"] == w.sam.id]
    assert sam_in_group == []
    await settle(container)


async def test_a_share_is_read_and_passed_on_only_by_someone_who_could_see_it(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    passed_on = await share(
        client, w.sam, headers=ZH, product_id=w.product_id, parent_share_id=w.card
    )
    assert refusal(passed_on) == (404, "SHARE_NOT_VISIBLE", "parent_share_id")
    assert "你不在的聊天" in passed_on.json()["error"]["message"]
    peek = await client.get(f"/api/v1/shares/{w.card}", headers=w.sam.headers)
    assert refusal(peek)[:2] == (404, "SHARE_NOT_VISIBLE")

    seen = await client.get(f"/api/v1/shares/{w.card}", headers=w.ben.headers)
    assert seen.status_code == 200 and seen.json()["sharer_id"] == w.mei.id
    forwarded = await share(client, w.ben, product_id=w.product_id, parent_share_id=w.card)
    assert forwarded.status_code == 201, forwarded.text
    # Ben's forward is a link (made outside any chat): anyone he gives it to may use it.
    link = await client.get(f"/api/v1/shares/{forwarded.json()['id']}", headers=w.sam.headers)
    assert link.status_code == 200, link.text


async def test_buying_through_a_share_from_a_chat_one_is_not_in_is_refused_not_credited(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    line = [{"sku_id": w.front.sku_id, "quantity": 1}]
    refused = await checkout(client, w.sam, line, share_id=w.card)
    assert refusal(refused) == (404, "SHARE_NOT_VISIBLE", "share_id")
    in_chinese = await client.post(
        "/api/v1/orders",
        headers={**w.sam.headers, **ZH, "Idempotency-Key": "sam-zh"},
        json={"items": line, "share_id": w.card},
    )
    assert in_chinese.json()["error"]["message"].startswith("这条分享发在你不在的聊天里")

    # Sam can still buy, without it: Mei is not credited, and there is no chat to tell.
    sams = await buy(client, w.sam, w.front.sku_id)
    assert sams["share_id"] is None and sams["commission"]["amount"] == 0
    told = await client.post(f"/api/v1/orders/{sams['id']}/bought-it", headers=w.sam.headers)
    assert refusal(told)[:2] == (409, "REPORT_NO_CONVERSATION")
    await complete(client, w, w.sam, sams["id"])

    # Ben, in the group, buys through Mei's card: she earns, and his "bought it" goes there.
    bens = await buy(client, w.ben, w.front.sku_id, share_id=w.card)
    assert bens["commission"]["sharer_username"] == "mei"
    told = await client.post(f"/api/v1/orders/{bens['id']}/bought-it", headers=w.ben.headers)
    assert told.status_code == 201, told.text
    await complete(client, w, w.ben, bens["id"])
    await settle(container)
    assert await earned(client, w.mei) == 990  # Ben's order only
    bought = [m for m in await messages(client, w.mei, w.group) if m["kind"] == "purchase_report"]
    assert [m["sender_id"] for m in bought] == [w.ben.id]


async def test_the_cart_takes_only_a_share_its_buyer_can_see_and_never_blocks_checkout(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    put = f"/api/v1/cart/items/{w.front.sku_id}"
    refused = await client.put(put, headers=w.sam.headers, json={"quantity": 1, "share_id": w.card})
    assert refusal(refused) == (404, "SHARE_NOT_VISIBLE", "share_id")
    assert (await client.get("/api/v1/cart", headers=w.sam.headers)).json()["lines"] == []

    # Ben puts it in his cart through Mei's card, then leaves the group.
    kept = await client.put(put, headers=w.ben.headers, json={"quantity": 1, "share_id": w.card})
    assert kept.status_code == 200 and kept.json()["lines"][0]["share_id"] == w.card
    left = await client.delete(
        f"/api/v1/groups/{w.group}/members/{w.ben.id}", headers=w.ben.headers
    )
    assert left.status_code == 204, left.text
    cart = (await client.get("/api/v1/cart", headers=w.ben.headers)).json()
    assert cart["lines"][0]["share_id"] is None  # what the web app sends back: nothing
    more = await client.put(put, headers=w.ben.headers, json={"quantity": 2, "share_id": None})
    assert more.status_code == 200, more.text
    placed = await client.post(
        "/api/v1/orders",
        headers={**w.ben.headers, "Idempotency-Key": "ben-cart"},
        json={"shop_id": w.front.shop["id"]},
    )
    assert placed.status_code == 201, placed.text
    assert placed.json()["share_id"] is None
    assert placed.json()["commission"]["sharer_username"] is None


async def test_team_purchases_take_only_a_share_the_buyer_can_see(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container, team_size=3, team_price=6900)

    async def team_order(who: Person, path: str, key: str, **body: Any) -> httpx.Response:
        return await client.post(path, headers={**who.headers, "Idempotency-Key": key}, json=body)

    opened = await team_order(
        w.sam, "/api/v1/teams", "sam-opens", sku_id=w.front.sku_id, share_id=w.card
    )
    assert refusal(opened) == (404, "SHARE_NOT_VISIBLE", "share_id")
    mine = await team_order(
        w.mei, "/api/v1/teams", "mei-opens", sku_id=w.front.sku_id, allow_public_join=True
    )
    assert mine.status_code == 201, mine.text
    team_id = mine.json()["team"]["id"]
    paid = await client.post(
        f"/api/v1/orders/{mine.json()['order']['id']}/payments", headers=w.mei.headers, json={}
    )
    assert paid.status_code == 201, paid.text
    team_card = await share_card(client, w.mei, w.group, w.product_id, team_id=team_id)
    assert team_card.status_code == 201, team_card.text
    team_share = team_card.json()["share_id"]

    join = f"/api/v1/teams/{team_id}/join"
    refused = await team_order(w.sam, join, "sam-joins", share_id=team_share)
    assert refusal(refused) == (404, "SHARE_NOT_VISIBLE", "share_id")
    plain = await team_order(w.sam, join, "sam-joins-plainly")
    assert plain.status_code == 201, plain.text
    assert plain.json()["order"]["commission"]["sharer_username"] is None
    bens = await team_order(w.ben, join, "ben-joins", share_id=team_share)
    assert bens.status_code == 201, bens.text
    assert bens.json()["order"]["commission"]["sharer_username"] == "mei"


async def test_the_product_page_carries_a_share_only_to_those_who_could_see_it(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    link = f"/products/{w.product_id}?share={w.card}"
    await web_log_in(client, "sam")
    assert 'data-share-id=""' in (await client.get(link)).text  # buys without it, never refused
    client.cookies.clear()
    await web_log_in(client, "ben")
    assert f'data-share-id="{w.card}"' in (await client.get(link)).text
