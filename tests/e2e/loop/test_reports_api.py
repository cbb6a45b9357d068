"""Only buyers report and review, at the right moment, once; cards and reports are only for the
people in their conversation; bad input is a clear 4xx, never a 500."""

from __future__ import annotations

import httpx

from tests.e2e.commerce.kit import buy, checkout, list_product, merchant, open_shop, settle
from tests.e2e.loop.loopkit import delivered_order, messages, review, share_card
from tests.factories import join_open_group, people
from tuan.bootstrap import Container


async def test_only_the_buyer_of_a_delivered_order_reviews_it_once(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await merchant(client, container, "shopkeeper")
    shop = await open_shop(client, owner, commission_rate_bp=1000)
    item = await list_product(client, owner, shop["id"])
    sku = item["skus"][0]["id"]
    mei, ben, cat = await people(client, "mei", "ben", "cat")
    group = await join_open_group(client, mei, ben, cat)
    card = (await share_card(client, mei, group, item["id"])).json()

    unpaid = (
        await checkout(client, ben, [{"sku_id": sku, "quantity": 1}], share_id=card["share_id"])
    ).json()
    early = await client.post(f"/api/v1/orders/{unpaid['id']}/bought-it", headers=ben.headers)
    assert early.status_code == 409 and early.json()["error"]["code"] == "REPORT_NOT_PAID"
    paid = await buy(client, ben, sku, share_id=card["share_id"])
    too_soon = await review(client, ben, paid["id"], 5)
    assert too_soon.status_code == 409
    assert too_soon.json()["error"]["code"] == "REVIEW_NOT_DELIVERED"
    assert "delivered" in too_soon.json()["error"]["message"]

    order = await delivered_order(client, container, ben, owner, sku, card["share_id"])
    not_buyer = await review(client, cat, order["id"], 1, "我没买但是差评")
    assert not_buyer.status_code == 403
    assert not_buyer.json()["error"]["code"] == "REVIEW_BUYERS_ONLY"
    assert "Only people who bought" in not_buyer.json()["error"]["message"]
    shopkeeper_review = await review(client, owner, order["id"], 5)
    assert shopkeeper_review.status_code == 403
    for bad in ({"stars": 0}, {"stars": 6}, {"stars": "5"}, {"stars": 5, "photos": ["x"]}):
        bad_review = await client.post(
            f"/api/v1/orders/{order['id']}/reviews", headers=ben.headers, json=bad
        )
        assert bad_review.status_code == 422, bad_review.text
    first = await review(client, ben, order["id"], 4, "不错 👍")
    assert first.status_code == 201
    again = await review(client, ben, order["id"], 1)
    assert again.status_code == 409 and again.json()["error"]["code"] == "ALREADY_REVIEWED"

    reported = await client.post(f"/api/v1/orders/{order['id']}/bought-it", headers=ben.headers)
    assert reported.status_code == 201
    twice = await client.post(f"/api/v1/orders/{order['id']}/bought-it", headers=ben.headers)
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "ALREADY_REPORTED"
    someone_else = await client.post(f"/api/v1/orders/{order['id']}/bought-it", headers=cat.headers)
    assert someone_else.status_code == 403
    missing = await client.post("/api/v1/orders/999999/bought-it", headers=ben.headers)
    assert missing.status_code == 404

    # The order page can tell Ben what he already said; nobody else can ask.
    mine = await client.get(f"/api/v1/orders/{order['id']}/my-reports", headers=ben.headers)
    assert mine.status_code == 200, mine.text
    assert mine.json()["bought_it_conversation_id"] == group
    assert [(r["product_id"], r["stars"]) for r in mine.json()["reviews"]] == [(item["id"], 4)]
    assert mine.json()["allowed_actions"] == [] and mine.json()["products_to_review"] == []
    for stranger in (cat, owner):
        peek = await client.get(
            f"/api/v1/orders/{order['id']}/my-reports", headers=stranger.headers
        )
        assert peek.status_code == 404
    fresh = await client.get(f"/api/v1/orders/{paid['id']}/my-reports", headers=ben.headers)
    assert fresh.json() == {
        "bought_it_conversation_id": None,
        "bought_it": None,
        "reviews": [],
        "allowed_actions": ["report_bought"],  # paid, from a card in a chat: not yet reviewable
        "products_to_review": [],
    }
    pending = await client.get(f"/api/v1/orders/{unpaid['id']}/my-reports", headers=ben.headers)
    assert pending.json()["allowed_actions"] == []


async def test_an_order_that_did_not_come_from_a_chat_has_nowhere_to_report(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await merchant(client, container, "shopkeeper")
    shop = await open_shop(client, owner)
    item = await list_product(client, owner, shop["id"])
    (ben,) = await people(client, "ben")
    order = await delivered_order(client, container, ben, owner, item["skus"][0]["id"])
    offered = await client.get(f"/api/v1/orders/{order['id']}/my-reports", headers=ben.headers)
    assert offered.json()["allowed_actions"] == ["review"]  # and no chat to post it into
    assert offered.json()["products_to_review"] == [item["id"]]
    refused = await client.post(f"/api/v1/orders/{order['id']}/bought-it", headers=ben.headers)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "REPORT_NO_CONVERSATION"
    quiet = await review(client, ben, order["id"], 5, "好")
    assert quiet.status_code == 201 and quiet.json()["conversation_id"] is None


async def test_reports_can_be_liked_and_commented_by_the_conversation_only(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await merchant(client, container, "shopkeeper")
    shop = await open_shop(client, owner, commission_rate_bp=300)
    item = await list_product(client, owner, shop["id"])
    mei, ben, cat, outsider = await people(client, "mei", "ben", "cat", "outsider")
    group = await join_open_group(client, mei, ben, cat)
    card = (await share_card(client, mei, group, item["id"])).json()
    order = await delivered_order(
        client, container, ben, owner, item["skus"][0]["id"], card["share_id"]
    )
    posted = (await review(client, ben, order["id"], 5, "很好吃")).json()
    report_id = posted["report_id"]
    liked = await client.put(f"/api/v1/reports/{report_id}/like", headers=cat.headers)
    assert liked.status_code == 200 and liked.json()["likes"] == 1
    again = await client.put(f"/api/v1/reports/{report_id}/like", headers=cat.headers)
    assert again.json()["likes"] == 1  # a like is a like, not a counter to pump
    said = await client.post(
        f"/api/v1/reports/{report_id}/comments", headers=mei.headers, json={"text": "谢谢反馈！"}
    )
    assert said.status_code == 201 and said.json()["text"] == "谢谢反馈！"
    counts = (await client.get(f"/api/v1/reports/{report_id}/counts", headers=ben.headers)).json()
    assert counts == {
        "likes": 1,
        "comments": 1,
        "forwards": 0,
        "you_liked": False,
        "allowed_actions": ["like", "comment"],
    }
    unliked = await client.delete(f"/api/v1/reports/{report_id}/like", headers=cat.headers)
    assert unliked.json()["likes"] == 0
    for path in (
        f"/api/v1/reports/{report_id}/comments",
        f"/api/v1/cards/{card['share_id']}/comments",
        f"/api/v1/cards/{card['share_id']}",
    ):
        hidden = await client.get(path, headers=outsider.headers)
        assert hidden.status_code == 404, path
    outside_like = await client.put(
        f"/api/v1/cards/{card['share_id']}/like", headers=outsider.headers
    )
    assert outside_like.status_code == 404
    empty = await client.post(
        f"/api/v1/cards/{card['share_id']}/comments", headers=cat.headers, json={"text": "   "}
    )
    assert empty.status_code == 422 and empty.json()["error"]["code"] == "EMPTY_COMMENT"
    listed = await client.get(f"/api/v1/cards/{card['share_id']}/comments", headers=ben.headers)
    assert listed.json() == []
    await settle(container)
    kinds = [m["kind"] for m in await messages(client, cat, group)]
    assert kinds.count("product_card") == 1 and kinds.count("review_card") == 1


async def test_sharing_refusals_are_clear_and_leave_nothing_behind(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await merchant(client, container, "shopkeeper")
    shop = await open_shop(client, owner)
    item = await list_product(client, owner, shop["id"])
    mei, ben, outsider = await people(client, "mei", "ben", "outsider")
    group = await join_open_group(client, mei, ben)
    not_member = await share_card(client, outsider, group, item["id"])
    assert not_member.status_code == 404
    no_target = await client.post(
        f"/api/v1/conversations/{group}/cards", headers=mei.headers, json={"text": "看看"}
    )
    assert no_target.status_code == 422
    assert no_target.json()["error"]["code"] == "SHARE_TARGET_MISSING"
    no_product = await share_card(client, mei, group, 987654)
    assert no_product.status_code == 404
    bad_photo = await share_card(client, mei, group, item["id"], photos=["chat/../../x.jpg"])
    assert bad_photo.status_code == 422 and bad_photo.json()["error"]["field"] == "photos"
    huge = await share_card(client, mei, group, item["id"], text="长" * 5000)
    assert huge.status_code == 422
    nul = await share_card(client, mei, group, item["id"], text="a\x00b")
    assert nul.status_code == 422
    assert [m for m in await messages(client, mei, group) if m["kind"] == "product_card"] == []
    ok = await share_card(client, mei, group, item["id"], text="中文 ✓ emoji 🥜")
    assert ok.status_code == 201 and ok.json()["text"] == "中文 ✓ emoji 🥜"


async def test_a_card_taken_down_by_an_admin_can_no_longer_be_seen_or_forwarded(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await merchant(client, container, "shopkeeper")
    shop = await open_shop(client, owner)
    item = await list_product(client, owner, shop["id"])
    mei, ben = await people(client, "mei", "ben")
    group = await join_open_group(client, mei, ben)
    card = (await share_card(client, ben, group, item["id"], text="广告广告")).json()
    removed = await client.delete(
        f"/api/v1/conversations/{group}/messages/{card['message_seq']}", headers=mei.headers
    )
    assert removed.status_code == 200, removed.text
    assert (
        await client.get(f"/api/v1/cards/{card['share_id']}", headers=mei.headers)
    ).status_code == 404
    forwarded = await client.post(
        f"/api/v1/cards/{card['share_id']}/forward",
        headers=mei.headers,
        json={"conversation_id": group},
    )
    assert forwarded.status_code == 404


async def test_a_report_taken_down_by_an_admin_can_no_longer_be_liked_or_commented(
    client: httpx.AsyncClient, container: Container
) -> None:
    """Like a card: whoever cannot see a report's message cannot act on it."""
    owner = await merchant(client, container, "shopkeeper")
    shop = await open_shop(client, owner)
    item = await list_product(client, owner, shop["id"])
    mei, ben, cat = await people(client, "mei", "ben", "cat")
    group = await join_open_group(client, mei, ben, cat)
    card = (await share_card(client, mei, group, item["id"])).json()
    order = await delivered_order(
        client, container, ben, owner, item["skus"][0]["id"], card["share_id"]
    )
    posted = (await review(client, ben, order["id"], 1, "广告广告")).json()
    removed = await client.delete(
        f"/api/v1/conversations/{group}/messages/{posted['message_seq']}", headers=mei.headers
    )
    assert removed.status_code == 200, removed.text
    report = f"/api/v1/reports/{posted['report_id']}"
    for refused in (
        await client.get(f"{report}/counts", headers=cat.headers),
        await client.put(f"{report}/like", headers=cat.headers),
        await client.post(f"{report}/comments", headers=cat.headers, json={"text": "?"}),
        await client.get(f"{report}/comments", headers=cat.headers),
    ):
        assert refused.status_code == 404
        assert refused.json()["error"]["code"] == "REPORT_NOT_FOUND"
