"""The whole social loop through the API: a card shared into a group, a friend buys from it, the
sharer is credited, "bought it" and a review are reported, ratings and social proof change, and
the sharer's reputation moves."""

from __future__ import annotations

import httpx

from tests.e2e.commerce.kit import buy, list_product, merchant, open_shop, settle
from tests.e2e.loop.loopkit import (
    befriend,
    messages,
    review,
    share_card,
    show,
    upload_photo,
)
from tests.factories import join_open_group, people, say
from tuan.bootstrap import Container


async def test_share_buy_report_review_changes_ratings_proof_and_reputation(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await merchant(client, container, "shopkeeper")
    shop = await open_shop(client, owner, commission_rate_bp=1000)
    product = await list_product(
        client,
        owner,
        shop["id"],
        category="snacks",
        skus=[{"label": "750g", "price": 9900, "stock": 10}],
    )
    sku_id = product["skus"][0]["id"]
    mei, ben, cat = await people(client, "mei", "ben", "cat")
    await befriend(client, mei, ben)
    group = await join_open_group(client, mei, ben, cat)

    # 1. Mei shares the nuts into the group as a card with her words and a photo.
    photo = await upload_photo(client, mei, group)
    shared = await share_card(
        client, mei, group, product["id"], text="超好吃的坚果，推荐！", photos=[photo]
    )
    assert shared.status_code == 201, shared.text
    card = shared.json()
    assert card["text"] == "超好吃的坚果，推荐！"
    assert card["photo_urls"] == [f"/media/{photo}"]
    assert card["price"] == 9900 and card["currency"] == "CNY"
    assert card["paid_share"] is True
    assert card["paid_label"] == {"code": "paid_share", "params": {"rate": 10}}
    assert card["allowed_actions"] == ["like", "comment", "buy"]
    assert card["sharer_display_name"] == "mei"
    in_chat = [m for m in await messages(client, cat, group) if m["kind"] == "product_card"]
    assert [m["payload"]["share_id"] for m in in_chat] == [card["share_id"]]
    assert in_chat[0]["payload"]["paid_share"] is True
    assert in_chat[0]["payload"]["paid_label"] == card["paid_label"]
    forged = await say(
        client, cat, group, "fake", kind="product_card", payload={"share_id": card["share_id"]}
    )
    assert forged.status_code == 422  # clients cannot post cards themselves

    reputation_before = (
        await client.get(f"/api/v1/users/{mei.id}/reputation", headers=mei.headers)
    ).json()

    # 2. Ben likes and comments on it, then buys from the card.
    liked = await client.put(f"/api/v1/cards/{card['share_id']}/like", headers=ben.headers)
    assert liked.json()["likes"] == 1 and liked.json()["you_liked"] is True
    commented = await client.post(
        f"/api/v1/cards/{card['share_id']}/comments", headers=ben.headers, json={"text": "心动了"}
    )
    assert commented.status_code == 201, commented.text
    order = await buy(client, ben, sku_id, share_id=card["share_id"])
    assert order["share_id"] == card["share_id"]

    # 3. "Bought it" goes into the group, mentioning Mei.
    bought = await client.post(
        f"/api/v1/orders/{order['id']}/bought-it", headers=ben.headers, json={}
    )
    assert bought.status_code == 201, bought.text
    report = [m for m in await messages(client, cat, group) if m["kind"] == "purchase_report"]
    assert len(report) == 1 and report[0]["mentions"] == [mei.id]
    # Ben said nothing more: the message's kind is what it says, in each reader's language.
    assert report[0]["text"] == ""

    # Delivery, completion: Mei is credited her commission.
    assert (
        await client.post(f"/api/v1/orders/{order['id']}/ship", headers=owner.headers)
    ).status_code == 200
    assert (
        await client.post(f"/api/v1/orders/{order['id']}/deliver", headers=ben.headers)
    ).status_code == 200
    assert (
        await client.post(f"/api/v1/orders/{order['id']}/complete", headers=ben.headers)
    ).status_code == 200
    await settle(container)
    wallet = (await client.get("/api/v1/wallet", headers=mei.headers)).json()
    assert wallet["balances"] == [{"currency": "CNY", "amount": 0, "held": 990}]

    # Before Ben opens anything up, Cat sees no purchase and no rating of his.
    reviewed = await review(client, ben, order["id"], 5, "很新鲜，好吃")
    assert reviewed.status_code == 201, reviewed.text
    review_cards = [m for m in await messages(client, cat, group) if m["kind"] == "review_card"]
    assert review_cards[0]["payload"]["stars"] == 5
    assert review_cards[0]["payload"]["verified_purchase"] is True
    await settle(container)
    cat_ratings = (
        await client.get(f"/api/v1/products/{product['id']}/ratings", headers=cat.headers)
    ).json()
    assert cat_ratings["overall"]["count"] == 0 and cat_ratings["reviews"] == []
    cat_proof = (
        await client.get(f"/api/v1/products/{product['id']}/social-proof", headers=cat.headers)
    ).json()
    assert cat_proof["groups_that_bought"] == [] and cat_proof["group_ratings"] == []

    # 4. Ben shows purchases to people he shares a group with and ratings to friends.
    await show(client, ben, "purchases", "shared_groups")
    await show(client, ben, "ratings", "friends")
    mine = (
        await client.get(
            f"/api/v1/products/{product['id']}/ratings",
            headers=mei.headers,
            params={"group_id": group},
        )
    ).json()
    assert mine["overall"]["count"] == 1 and mine["overall"]["average"] == 5
    assert mine["friends"]["count"] == 1
    assert mine["group"]["rating"]["count"] == 1
    assert mine["trusted"]["average"] == 5 and mine["trusted"]["weight"] > 0
    assert mine["reviews"][0]["text"] == "很新鲜，好吃"
    assert mine["reviews"][0]["author_is_friend"] is True
    proof = (
        await client.get(f"/api/v1/products/{product['id']}/social-proof", headers=mei.headers)
    ).json()
    assert [p["id"] for p in proof["friends_who_bought"]] == [ben.id]
    assert proof["friends_reviews"][0]["stars"] == 5
    assert proof["groups_that_bought"] == [
        {"group_id": group, "name": "测试群 test group", "member_count": 3, "buyers": 1}
    ]
    assert proof["group_ratings"][0]["rating"]["average"] == 5
    cat_proof = (
        await client.get(f"/api/v1/products/{product['id']}/social-proof", headers=cat.headers)
    ).json()
    assert cat_proof["groups_that_bought"][0]["buyers"] == 1  # purchases: shared groups
    assert cat_proof["friends_who_bought"] == [] and cat_proof["group_ratings"] == []

    # 5. Reputation moved: a share, a purchase and a good rating in Snacks.
    after = (await client.get(f"/api/v1/users/{mei.id}/reputation", headers=mei.headers)).json()
    assert reputation_before == [] or reputation_before[0]["rated"] == 0
    (snacks,) = after
    assert (snacks["category"], snacks["shares"], snacks["purchases"]) == ("snacks", 1, 1)
    assert (snacks["rated"], snacks["rated_good"]) == (1, 1)
    assert snacks["explanation"] == (
        "1 of 1 of mei's recommendations in Snacks & drinks were rated good"
    )
    seen_by_ben = (
        await client.get(f"/api/v1/users/{mei.id}/reputation", headers=ben.headers)
    ).json()
    assert seen_by_ben[0]["rated_good"] == 1  # his own review, visible to its author

    # 6. The share tree shows Ben's purchase under Mei's card.
    tree = (await client.get(f"/api/v1/cards/{card['share_id']}/tree", headers=mei.headers)).json()
    assert tree["purchases"] == 1 and tree["sharer_id"] == mei.id


async def test_forwarding_a_card_keeps_the_chain_in_the_share_tree(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await merchant(client, container, "shopkeeper")
    shop = await open_shop(client, owner, commission_rate_bp=500)
    product = await list_product(client, owner, shop["id"])
    mei, ben, cat, dan = await people(client, "mei", "ben", "cat", "dan")
    first = await join_open_group(client, mei, ben)
    second = await join_open_group(client, ben, cat, dan)
    card = (await share_card(client, mei, first, product["id"], text="好物")).json()
    forwarded = await client.post(
        f"/api/v1/cards/{card['share_id']}/forward",
        headers=ben.headers,
        json={"conversation_id": second, "text": "转发：阿梅推荐的"},
    )
    assert forwarded.status_code == 201, forwarded.text
    hop = forwarded.json()
    assert hop["parent_share_id"] == card["share_id"] and hop["conversation_id"] == second
    stolen = await client.post(
        f"/api/v1/cards/{card['share_id']}/forward",
        headers=cat.headers,
        json={"conversation_id": second},
    )
    assert stolen.status_code == 404  # Cat never saw the original card
    await buy(client, cat, product["skus"][0]["id"], share_id=hop["share_id"])
    await settle(container)
    seen = (await client.get(f"/api/v1/cards/{card['share_id']}", headers=mei.headers)).json()
    assert seen["counts"]["forwards"] == 1
    tree = (await client.get(f"/api/v1/cards/{card['share_id']}/tree", headers=mei.headers)).json()
    (child,) = tree["children"]
    assert child["sharer_id"] == ben.id and child["depth"] == 1
    assert child["purchases"] == 0  # Cat's purchase is private to Mei (Cat shows nobody)
    by_shop = (
        await client.get(f"/api/v1/cards/{hop['share_id']}/tree", headers=owner.headers)
    ).json()
    assert by_shop["children"][0]["purchases"] == 1  # the shop has the order anyway
    refused = await client.get(f"/api/v1/cards/{card['share_id']}/tree", headers=dan.headers)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "SHARE_TREE_FORBIDDEN"
    mine = (await client.get("/api/v1/me/card-stats", headers=mei.headers)).json()
    assert mine == {
        "cards_shared": 1,
        "likes_received": 0,
        "comments_received": 0,
        "forwards_received": 1,
    }
