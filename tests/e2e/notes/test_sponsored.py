"""The sponsored label (issue 16): the server says a note is sponsored while its author earns
when others buy from it; nobody can add or remove the label."""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.commerce.kit import list_product, merchant, open_shop
from tests.e2e.notes.test_notes_api import ZH, counts, publish, refusal, world
from tests.factories import Person
from tuan.bootstrap import Container


async def _unpaid_shop(
    client: httpx.AsyncClient, container: Container
) -> tuple[Person, dict[str, Any], dict[str, Any]]:
    """Bo, his shop that pays nobody for sharing, and its tea."""
    bo = await merchant(client, container, "bo_shop")
    unpaid = await open_shop(client, bo, name="阿博的小铺", commission_rate_bp=0)
    return bo, unpaid, await list_product(client, bo, unpaid["id"], name="普洱 Pu'er")


async def test_a_note_is_sponsored_when_its_author_earns_from_others_buying(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)  # Mei's shop pays sharers 10%
    bo, _unpaid, tea = await _unpaid_shop(client, container)

    cases = [
        (w.amy, [w.nuts], True),  # Amy's share of the nuts earns 10% of what others buy
        (w.amy, [tea["id"]], False),  # Bo's shop pays nobody for sharing
        (w.amy, [tea["id"], w.nuts], True),  # one paying product is enough
        (w.amy, [], False),
        (bo, [tea["id"]], True),  # Bo's own shop: he earns on every sale
    ]
    for author, products, sponsored in cases:
        note = await publish(client, author, product_ids=products, audience="everyone")
        assert note.status_code == 201, note.text
        assert note.json()["sponsored"] is sponsored, (author.username, products)
        read = await client.get(f"/api/v1/notes/{note.json()['id']}")
        assert read.json()["sponsored"] is sponsored


async def test_nobody_can_add_or_remove_the_label_and_it_outlives_the_shops_rate(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    bo, unpaid, tea = await _unpaid_shop(client, container)
    paid = (await publish(client, w.amy, product_ids=[w.nuts], audience="everyone")).json()
    plain = (await publish(client, w.amy, product_ids=[tea["id"]], audience="everyone")).json()

    for note, value in ((paid, False), (plain, True), (paid, True)):
        refused = await client.patch(
            f"/api/v1/notes/{note['id']}",
            headers=w.amy.headers,
            json={"title": "改标题", "sponsored": value},
        )
        assert refusal(refused) == (422, "NOTE_SPONSORED_LABEL_FIXED", "sponsored"), value
    in_chinese = await client.patch(
        f"/api/v1/notes/{paid['id']}", headers={**w.amy.headers, **ZH}, json={"sponsored": False}
    )
    assert in_chinese.json()["error"]["message"].startswith("“赞助”标签由系统")
    stranger = await client.patch(
        f"/api/v1/notes/{paid['id']}", headers=w.sam.headers, json={"sponsored": False}
    )
    assert stranger.status_code == 422  # refused before anything is looked up
    refused_at_birth = await publish(client, w.amy, product_ids=[w.nuts], sponsored=False)
    assert refused_at_birth.status_code == 422
    for note in (paid, plain):
        now = (await client.get(f"/api/v1/notes/{note['id']}")).json()
        assert (now["title"], now["sponsored"]) == ("开箱", note["sponsored"])

    # Mei stops paying: the note written while she paid stays labelled, through an edit too.
    stopped = await client.patch(
        f"/api/v1/shops/{w.front.shop['id']}",
        headers=w.front.owner.headers,
        json={"commission_rate_bp": 0},
    )
    assert stopped.status_code == 200, stopped.text
    edited = await client.patch(
        f"/api/v1/notes/{paid['id']}", headers=w.amy.headers, json={"text": "后来的话"}
    )
    assert edited.json()["sponsored"] is True
    # Bo starts paying: the note about his tea says so at once.
    started = await client.patch(
        f"/api/v1/shops/{unpaid['id']}", headers=bo.headers, json={"commission_rate_bp": 500}
    )
    assert started.status_code == 200, started.text
    assert (await client.get(f"/api/v1/notes/{plain['id']}")).json()["sponsored"] is True


async def test_a_disclosed_paid_collaboration_labels_the_note_for_good(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    _bo, unpaid, tea = await _unpaid_shop(client, container)
    mei_shop = w.front.shop["id"]
    before = await counts(container)

    # A collaboration is with the shop of a product the note shows.
    elsewhere = await publish(
        client, w.amy, product_ids=[tea["id"]], collaboration_shop_id=mei_shop
    )
    assert refusal(elsewhere) == (
        422,
        "NOTE_COLLABORATION_SHOP_NOT_LINKED",
        "collaboration_shop_id",
    )
    assert await counts(container) == before
    paid = await publish(
        client,
        w.amy,
        product_ids=[tea["id"], w.nuts],
        collaboration_shop_id=unpaid["id"],
        audience="everyone",
    )
    assert paid.status_code == 201, paid.text
    assert (paid.json()["sponsored"], paid.json()["collaboration_shop_id"]) == (True, unpaid["id"])
    note_id = paid.json()["id"]
    swapped = await client.patch(
        f"/api/v1/notes/{note_id}", headers=w.amy.headers, json={"collaboration_shop_id": mei_shop}
    )
    assert refusal(swapped) == (422, "NOTE_COLLABORATION_FIXED", "collaboration_shop_id")
    for body in ({"collaboration_shop_id": unpaid["id"]}, {"collaboration_shop_id": None}):
        kept = await client.patch(f"/api/v1/notes/{note_id}", headers=w.amy.headers, json=body)
        assert kept.json()["collaboration_shop_id"] == unpaid["id"], body

    # Disclosed after publishing: a note that earned nothing is labelled from then on.
    plain = (await publish(client, w.amy, product_ids=[tea["id"]], audience="everyone")).json()
    assert (plain["sponsored"], plain["collaboration_shop_id"]) == (False, None)
    disclosed = await client.patch(
        f"/api/v1/notes/{plain['id']}",
        headers=w.amy.headers,
        json={"collaboration_shop_id": unpaid["id"]},
    )
    assert (disclosed.json()["sponsored"], disclosed.json()["collaboration_shop_id"]) == (
        True,
        unpaid["id"],
    )
    read = (await client.get(f"/api/v1/notes/{plain['id']}")).json()
    assert (read["sponsored"], read["edited_at"]) == (True, None)  # not an edit of its words
