"""Attribution and commission through a note, tested as share attribution is (issue 16): a note's
linked product is its author's share, a forward of the note is the forwarder's share under it,
so who is credited, what they earn, the hold and "self-purchase earns nothing" are the shares'.

Mei's shop pays sharers 10%. Amy writes; Fay, her friend, buys from the note and forwards it
into a group with Sam; Gus is in no chat with anyone.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.commerce.kit import buy, checkout, settle
from tests.e2e.notes.test_forwards import forward
from tests.e2e.notes.test_notes_api import World, publish, refusal, world
from tests.factories import Person, join_open_group, people
from tests.fakes import ShiftableClock
from tuan.bootstrap import Container


async def _complete(client: httpx.AsyncClient, w: World, buyer: Person, order_id: int) -> None:
    for who, action in ((w.front.owner, "ship"), (buyer, "deliver"), (buyer, "complete")):
        done = await client.post(f"/api/v1/orders/{order_id}/{action}", headers=who.headers)
        assert done.status_code == 200, done.text


async def _wallet(client: httpx.AsyncClient, who: Person) -> list[dict[str, Any]]:
    return list((await client.get("/api/v1/wallet", headers=who.headers)).json()["balances"])


async def test_a_friend_buying_from_a_note_credits_its_author_after_the_hold(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    w = await world(client, container)
    note = (await publish(client, w.amy, product_ids=[w.nuts])).json()  # to her friends
    share_id = note["products"][0]["share_id"]

    fays = await buy(client, w.fay, w.front.sku_id, share_id=share_id)
    assert (fays["share_id"], fays["commission"]["sharer_id"]) == (share_id, w.amy.id)
    assert (fays["commission"]["note"], fays["commission"]["amount"]) == ("shared", 990)
    # Amy buying from her own note earns nothing.
    amys = await buy(client, w.amy, w.front.sku_id, share_id=share_id)
    assert (amys["commission"]["note"], amys["commission"]["amount"]) == ("self_referral", 0)
    for buyer, order in ((w.fay, fays["id"]), (w.amy, amys["id"])):
        await _complete(client, w, buyer, order)
    await settle(container)
    assert await _wallet(client, w.amy) == [{"currency": "CNY", "amount": 0, "held": 990}]

    clock.advance(days=7, seconds=1)  # the hold (ADR 0009) ends
    await settle(container)
    assert await _wallet(client, w.amy) == [{"currency": "CNY", "amount": 990, "held": 0}]
    assert await _wallet(client, w.fay) == []  # a buyer earns nothing


async def test_buying_through_a_forwarded_note_credits_the_forwarder_as_a_card_forward_does(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    (gus,) = await people(client, "gus")
    group = await join_open_group(client, w.fay, w.sam)
    note = (await publish(client, w.amy, product_ids=[w.nuts], audience="everyone")).json()
    done = (await forward(client, w.fay.headers, note["id"], group)).json()
    card = (
        await client.get(f"/api/v1/note-cards/{done['forward_id']}", headers=w.sam.headers)
    ).json()
    assert card["state"] == "shown" and card["share_id"] == done["share_id"]

    # Sam buys from the card in the chat: Fay, who vouched for it there, is credited.
    sams = await buy(client, w.sam, w.front.sku_id, share_id=card["share_id"])
    assert (sams["share_id"], sams["commission"]["sharer_id"]) == (done["share_id"], w.fay.id)
    assert (sams["commission"]["note"], sams["commission"]["amount"]) == ("shared", 990)
    # Fay buying through her own forward earns nothing; Gus, in no such chat, cannot use it.
    fays = await buy(client, w.fay, w.front.sku_id, share_id=done["share_id"])
    assert (fays["commission"]["note"], fays["commission"]["amount"]) == ("self_referral", 0)
    line = [{"sku_id": w.front.sku_id, "quantity": 1}]
    refused = await checkout(client, gus, line, share_id=done["share_id"])
    assert refusal(refused) == (404, "SHARE_NOT_VISIBLE", "share_id")
    # The note's own share is a link anyone may buy through: Gus credits Amy.
    guss = await buy(client, gus, w.front.sku_id, share_id=note["products"][0]["share_id"])
    assert guss["commission"]["sharer_id"] == w.amy.id

    for buyer, order in ((w.sam, sams["id"]), (w.fay, fays["id"]), (gus, guss["id"])):
        await _complete(client, w, buyer, order)
    await settle(container)
    assert await _wallet(client, w.fay) == [{"currency": "CNY", "amount": 0, "held": 990}]
    assert await _wallet(client, w.amy) == [{"currency": "CNY", "amount": 0, "held": 990}]

    # The chain is the card forward chain: Amy's share at the root, Fay's under it. The shop
    # sees every purchase; Amy sees those through her own hop, not her readers' private ones.
    root = note["products"][0]["share_id"]
    shops = await client.get(f"/api/v1/cards/{root}/tree", headers=w.front.owner.headers)
    assert shops.status_code == 200, shops.text
    tree = shops.json()
    assert (tree["share_id"], tree["sharer_id"], tree["purchases"]) == (root, w.amy.id, 1)
    assert [(c["share_id"], c["sharer_id"], c["purchases"]) for c in tree["children"]] == [
        (done["share_id"], w.fay.id, 2)
    ]
    amys = (
        await client.get(f"/api/v1/cards/{done['share_id']}/tree", headers=w.amy.headers)
    ).json()
    assert (amys["purchases"], amys["children"][0]["purchases"]) == (1, 0)
