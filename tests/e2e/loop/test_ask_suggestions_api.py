"""Asking a group for a recommendation suggests the members most likely to answer well: ranked by
their record in the ask's category *as the asker may see it*, explained in words, shown to the
asker only. A hidden purchase or rating moves nobody up; an unknown category writes nothing."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from tests.e2e.commerce.kit import list_product, merchant, open_shop, settle
from tests.e2e.loop.loopkit import delivered_order, messages, review, share_card, show
from tests.factories import Person, join_open_group, people
from tuan.asks.models import RecommendationAsk
from tuan.bootstrap import Container
from tuan.trust.queries import reputation


async def _recommend(
    client: httpx.AsyncClient,
    container: Container,
    *,
    owner: Person,
    item: dict[str, Any],
    sharer: Person,
    group: int,
    buyers_and_stars: list[tuple[Person, int]],
) -> None:
    """``sharer`` shares ``item`` into ``group``; each buyer buys through it and rates it."""
    card = await share_card(client, sharer, group, item["id"])
    assert card.status_code == 201, card.text
    for buyer, stars in buyers_and_stars:
        order = await delivered_order(
            client, container, buyer, owner, item["skus"][0]["id"], card.json()["share_id"]
        )
        rated = await review(client, buyer, order["id"], stars, post_to_chat=False)
        assert rated.status_code == 201, rated.text
    await settle(container)


async def _ask(client: httpx.AsyncClient, who: Person, group: int, text: str, **extra: Any) -> Any:
    response = await client.post(
        "/api/v1/asks",
        headers=who.headers,
        json={"text": text, "conversation_ids": [group], **extra},
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _shop(client: httpx.AsyncClient, container: Container) -> tuple[Person, int]:
    owner = await merchant(client, container, "shopkeeper")
    shop = await open_shop(client, owner, commission_rate_bp=500)
    return owner, int(shop["id"])


async def test_members_are_suggested_by_visible_reputation_in_the_category_with_reasons(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner, shop = await _shop(client, container)
    shampoo = await list_product(client, owner, shop, name="洗发水 shampoo", category="beauty")
    mask = await list_product(client, owner, shop, name="面膜 face mask", category="beauty")
    nuts = await list_product(client, owner, shop, name="坚果 nuts", category="snacks")
    mei, ben, cat, dan, b1, b2, b3, b4 = await people(
        client, "mei", "ben", "cat", "dan", "buyer1", "buyer2", "buyer3", "buyer4"
    )
    group = await join_open_group(client, mei, ben, cat, dan, b1, b2, b3, b4)
    for buyer in (b1, b2, b3, b4):
        await show(client, buyer, "purchases", "shared_groups")
        await show(client, buyer, "ratings", "shared_groups")
    await _recommend(
        client, container, owner=owner, item=shampoo, sharer=ben, group=group,
        buyers_and_stars=[(b1, 5), (b2, 4)],
    )  # fmt: skip
    await _recommend(
        client, container, owner=owner, item=mask, sharer=cat, group=group,
        buyers_and_stars=[(b3, 2)],
    )  # fmt: skip
    await _recommend(
        client, container, owner=owner, item=nuts, sharer=dan, group=group,
        buyers_and_stars=[(b4, 5)],
    )  # fmt: skip

    # The category is read from the Chinese text (洗发水 is 个护: 美妆个护).
    created = await _ask(client, mei, group, "有没有好用的洗发水推荐")
    assert created["category"] == "beauty"
    suggested = created["suggested_answerers"]
    assert [s["user_id"] for s in suggested] == [ben.id, cat.id]  # Dan's record is in snacks
    assert suggested[0]["reason"] == (
        "2 people bought on their shares in Beauty & personal care; 2 of 2 rated it good"
    )
    assert suggested[0]["reason_zh"] == "2人通过TA在美妆个护的分享下单；2个评价中2个好评"
    assert suggested[1]["reason"] == (
        "1 person bought on their shares in Beauty & personal care; 0 of 1 rated it good"
    )
    assert (suggested[0]["purchases"], suggested[0]["rated"], suggested[0]["rated_good"]) == (
        2,
        2,
        2,
    )
    assert suggested[0]["score"] > suggested[1]["score"]
    page = (await client.get(f"/api/v1/asks/{created['id']}", headers=mei.headers)).json()
    assert page["suggested_answerers"] == suggested and page["category"] == "beauty"

    # Suggestions are worked out from what the asker may see: nobody else is shown them.
    seen_by_ben = (await client.get(f"/api/v1/asks/{created['id']}", headers=ben.headers)).json()
    assert seen_by_ben["suggested_answerers"] == []

    # A named category wins over the text; with none named or readable, all categories count.
    snacks = await _ask(client, mei, group, "有没有好用的洗发水推荐", category="snacks")
    assert snacks["category"] == "snacks"
    assert [s["user_id"] for s in snacks["suggested_answerers"]] == [dan.id]
    anything = await _ask(client, mei, group, "随便推荐点好东西")
    assert anything["category"] is None
    assert [s["user_id"] for s in anything["suggested_answerers"]] == [ben.id, dan.id, cat.id]
    assert anything["suggested_answerers"][0]["reason"].endswith(
        "in any category; 2 of 2 rated it good"
    )

    # Never anyone blocked either way.
    blocked = await client.put(f"/api/v1/blocks/{cat.id}", headers=mei.headers)
    assert blocked.status_code in (200, 204), blocked.text
    page = (await client.get(f"/api/v1/asks/{created['id']}", headers=mei.headers)).json()
    assert [s["user_id"] for s in page["suggested_answerers"]] == [ben.id]


async def test_hidden_purchases_and_ratings_move_nobody_up_the_suggestions(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner, shop = await _shop(client, container)
    cream = await list_product(client, owner, shop, name="面霜 cream", category="beauty")
    lotion = await list_product(client, owner, shop, name="乳液 lotion", category="beauty")
    mei, ben, finn, open_buyer, h1, h2, h3 = await people(
        client, "mei", "ben", "finn", "openbuyer", "hidden1", "hidden2", "hidden3"
    )
    group = await join_open_group(client, mei, ben, finn, open_buyer, h1, h2, h3)
    await show(client, open_buyer, "purchases", "shared_groups")
    await show(client, open_buyer, "ratings", "shared_groups")
    # Ben: one purchase Mei may see, rated badly. Finn: three 5-star purchases, all hidden from
    # Mei (h1–h3 keep the default, "nobody"), so his stored record is far better than Ben's.
    await _recommend(
        client, container, owner=owner, item=cream, sharer=ben, group=group,
        buyers_and_stars=[(open_buyer, 2)],
    )  # fmt: skip
    await _recommend(
        client, container, owner=owner, item=lotion, sharer=finn, group=group,
        buyers_and_stars=[(h1, 5), (h2, 5), (h3, 5)],
    )  # fmt: skip
    async with container.db.read_sessions() as session:
        (stored,) = await reputation(session, finn.id)
    assert (stored.purchases, stored.rated_good) == (3, 3)  # the good record exists

    asked = await _ask(client, mei, group, "求推荐面霜", category="beauty")
    assert [s["user_id"] for s in asked["suggested_answerers"]] == [ben.id]
    assert "finn" not in str(asked["suggested_answerers"])

    # Purchases shown but ratings still hidden: Finn appears, on purchases alone; the hidden
    # 5-star ratings neither rank him nor appear in his reason.
    for buyer in (h1, h2, h3):
        await show(client, buyer, "purchases", "shared_groups")
    page = (await client.get(f"/api/v1/asks/{asked['id']}", headers=mei.headers)).json()
    by_id = {s["user_id"]: s for s in page["suggested_answerers"]}
    assert (by_id[finn.id]["purchases"], by_id[finn.id]["rated"]) == (3, 0)
    assert "rated" not in by_id[finn.id]["reason"]
    # Once the ratings are shown too, they count, and Finn ranks first.
    for buyer in (h1, h2, h3):
        await show(client, buyer, "ratings", "shared_groups")
    page = (await client.get(f"/api/v1/asks/{asked['id']}", headers=mei.headers)).json()
    assert [s["user_id"] for s in page["suggested_answerers"]] == [finn.id, ben.id]
    assert page["suggested_answerers"][0]["reason"].endswith("3 of 3 rated it good")


async def test_an_unknown_category_is_refused_and_nothing_is_written(
    client: httpx.AsyncClient, container: Container
) -> None:
    mei, ben = await people(client, "mei", "ben")
    group = await join_open_group(client, mei, ben)
    before = await messages(client, ben, group)
    unknown = await client.post(
        "/api/v1/asks",
        headers=mei.headers,
        json={"text": "推荐香水", "conversation_ids": [group], "category": "perfume"},
    )
    assert unknown.status_code == 422, unknown.text
    assert unknown.json()["error"]["code"] == "UNKNOWN_CATEGORY"
    assert unknown.json()["error"]["field"] == "category"
    malformed = await client.post(
        "/api/v1/asks",
        headers=mei.headers,
        json={"text": "推荐", "conversation_ids": [group], "category": "Beauty!"},
    )
    assert malformed.status_code == 422, malformed.text
    assert "category" in malformed.text
    assert await messages(client, ben, group) == before
    async with container.db.read_sessions() as session:
        assert await session.scalar(select(func.count()).select_from(RecommendationAsk)) == 0
