"""The person who attaches a photo to a review or a card may say what it shows (issue 24): every
other reader gets that description with the photo, wherever the photo is shown; a description
too long, or one too many or too few, is a clear 422 in the reader's language and writes
nothing."""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.loop.loopkit import (
    delivered_order,
    messages,
    review,
    share_card,
    shop_and_group,
    show,
    upload_photo,
)
from tests.factories import Person
from tuan.bootstrap import Container

ZH = {"Accept-Language": "zh-CN"}
TEA = "The tea leaves, dark and tightly rolled, in a white bowl"
TEA_AS_TYPED = "  The tea leaves, dark and tightly rolled,\n  in a white bowl  "


async def _reviewable(
    client: httpx.AsyncClient, container: Container
) -> tuple[Person, Person, int, dict[str, Any], dict[str, Any]]:
    """Mei shares the shop's product into a group; Ben buys it from her card and it arrives.
    (Mei, Ben, the group, the product, Ben's delivered order.)"""
    front, mei, ben, group = await shop_and_group(client, container)
    card = (await share_card(client, mei, group, front.product["id"])).json()
    order = await delivered_order(
        client, container, ben, front.owner, front.sku_id, card["share_id"]
    )
    return mei, ben, group, front.product, order


async def test_a_reviews_photo_descriptions_reach_another_reader_in_the_chat_and_the_ratings(
    client: httpx.AsyncClient, container: Container
) -> None:
    mei, ben, group, product, order = await _reviewable(client, container)
    await show(client, ben, "ratings", "shared_groups")
    first = await upload_photo(client, ben, group)
    second = await upload_photo(client, ben, group, colour=(30, 120, 30))
    written = await review(
        client,
        ben,
        order["id"],
        5,
        "好茶",
        photos=[first, second],
        photo_alts=[TEA_AS_TYPED, "   "],
    )
    assert written.status_code == 201, written.text

    ratings = await client.get(f"/api/v1/products/{product['id']}/ratings", headers=mei.headers)
    (seen,) = ratings.json()["reviews"]
    assert seen["photo_urls"] == [f"/media/{first}", f"/media/{second}"]
    assert seen["photo_alts"] == [TEA, ""]  # trimmed, on one line; the second left undescribed
    (card,) = [m for m in await messages(client, mei, group) if m["kind"] == "review_card"]
    assert card["payload"]["photos"] == [first, second]
    assert card["payload"]["photo_alts"] == [TEA, ""]


async def test_a_cards_photo_descriptions_reach_the_chat_the_live_card_and_a_forward(
    client: httpx.AsyncClient, container: Container
) -> None:
    front, mei, ben, group = await shop_and_group(client, container)
    photo = await upload_photo(client, mei, group)
    plain = await upload_photo(client, mei, group, colour=(30, 30, 200))
    shared = await share_card(
        client, mei, group, front.product["id"], photos=[photo], photo_alts=[TEA]
    )
    assert shared.status_code == 201, shared.text
    undescribed = await share_card(client, mei, group, front.product["id"], photos=[plain])
    assert undescribed.status_code == 201, undescribed.text  # as a client from before does
    for card, alts in ((shared, [TEA]), (undescribed, [""])):
        live = await client.get(f"/api/v1/cards/{card.json()['share_id']}", headers=ben.headers)
        assert live.json()["photo_alts"] == alts
    posted = [m for m in await messages(client, ben, group) if m["kind"] == "product_card"]
    assert [m["payload"]["photo_alts"] for m in posted] == [[TEA], [""]]

    again = await upload_photo(client, ben, group)
    forwarded = await client.post(
        f"/api/v1/cards/{shared.json()['share_id']}/forward",
        headers=ben.headers,
        json={"conversation_id": group, "photos": [again], "photo_alts": ["茶汤 tea in a cup"]},
    )
    assert forwarded.status_code == 201, forwarded.text
    seen = await client.get(f"/api/v1/cards/{forwarded.json()['share_id']}", headers=mei.headers)
    assert seen.json()["photo_alts"] == ["茶汤 tea in a cup"]


async def test_a_description_too_long_or_miscounted_is_refused_and_nothing_is_written(
    client: httpx.AsyncClient, container: Container
) -> None:
    mei, ben, group, product, order = await _reviewable(client, container)
    photo = await upload_photo(client, ben, group)
    path = f"/api/v1/orders/{order['id']}/reviews"
    too_long = {"stars": 4, "photos": [photo], "photo_alts": ["长" * 301]}
    refused = await client.post(path, headers=ben.headers, json=too_long)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["field"] == "photo_alts.0"
    assert "300" in refused.json()["error"]["message"]
    in_chinese = await client.post(path, headers={**ben.headers, **ZH}, json=too_long)
    assert in_chinese.json()["error"]["message"] == "“照片描述”最多 300 个字符。"

    miscounted = {"stars": 4, "photos": [photo], "photo_alts": ["a cup", "a pot"]}
    refused = await client.post(path, headers=ben.headers, json=miscounted)
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["code"] == "PHOTO_ALTS_MISMATCH" and error["field"] == "photo_alts"
    assert error["message"].startswith("There is 1 photo: give one description for it")
    in_chinese = await client.post(path, headers={**ben.headers, **ZH}, json=miscounted)
    assert in_chinese.json()["error"]["message"].startswith("共有 1 张照片：")
    without_photos = await client.post(
        path, headers=ben.headers, json={"stars": 4, "photo_alts": ["a cup"]}
    )
    assert without_photos.status_code == 422
    assert without_photos.json()["error"]["code"] == "PHOTO_ALTS_MISMATCH"

    card = await share_card(
        client, mei, group, product["id"], photos=[photo], photo_alts=["a", "b"]
    )
    assert card.status_code == 422 and card.json()["error"]["code"] == "PHOTO_ALTS_MISMATCH"

    # Nothing was written: no review, no review card, no second product card.
    mine = await client.get(f"/api/v1/orders/{order['id']}/my-reports", headers=ben.headers)
    assert mine.json()["reviews"] == []
    kinds = [m["kind"] for m in await messages(client, mei, group)]
    assert "review_card" not in kinds and kinds.count("product_card") == 1
