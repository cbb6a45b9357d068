"""The "For you" feed through the API: ranked from what people let the viewer see, explained in
words, and unmoved by anything hidden from the viewer — neither its order nor its words.

The world: Vera (the viewer) is friends with Fay and in the group "Class 5" with Ann, Bo and Cy.
A shop lists nuts, almonds, shampoo and a kettle."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.e2e.commerce.kit import buy, list_product, merchant, open_shop, settle
from tests.e2e.loop.loopkit import befriend, delivered_order, review, share_card, show
from tests.e2e.loop.test_norms_api import reviewed_in_group
from tests.e2e.test_web_session import web_log_in
from tests.factories import Person, join_open_group, people
from tuan.bootstrap import Container
from tuan.core.scheduler import schedule_once
from tuan.foryou import neighbours
from tuan.foryou.handlers import RETRAIN_JOB
from tuan.foryou.models import ProductNeighbour


@dataclass
class World:
    owner: Person
    vera: Person
    fay: Person
    ann: Person
    bo: Person
    cy: Person
    group: int
    shop_id: int
    products: dict[str, dict[str, Any]]

    def sku(self, name: str) -> int:
        return int(self.products[name]["skus"][0]["id"])


async def build(client: httpx.AsyncClient, container: Container) -> World:
    owner = await merchant(client, container, "shopkeeper")
    shop = await open_shop(client, owner)
    listed = {
        "nuts": ("每日坚果礼盒 Daily nuts", "snacks", "混合坚果 mixed nuts, 30 packs"),
        "almonds": ("巴旦木 Almonds", "snacks", "烤巴旦木 roasted almonds"),
        "shampoo": ("洗发水 Shampoo", "beauty", "无硅油 silicone-free"),
        "kettle": ("电水壶 Kettle", "electronics", "1.7 L stainless"),
    }
    products = {
        key: await list_product(
            client,
            owner,
            shop["id"],
            name=name,
            category=category,
            description=text,
            skus=[{"label": "one", "price": 1990, "stock": 50}],
        )
        for key, (name, category, text) in listed.items()
    }
    vera, fay, ann, bo, cy = await people(client, "vera", "fay", "ann", "bob", "cyd")
    await befriend(client, vera, fay)
    group = await join_open_group(client, ann, vera, bo, cy, name="Class 5")
    await settle(container)
    return World(owner, vera, fay, ann, bo, cy, group, shop["id"], products)


async def feed(client: httpx.AsyncClient, who: Person, lang: str = "en") -> list[dict[str, Any]]:
    response = await client.get(f"/api/v1/me/for-you?lang={lang}", headers=who.headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def scores(items: list[dict[str, Any]]) -> dict[str, float]:
    return {item["product"]["name"]: item["score"] for item in items}


def names(items: list[dict[str, Any]]) -> list[str]:
    return [item["product"]["name"] for item in items]


async def test_friends_and_groups_purchases_rank_the_feed_with_reasons_in_words(
    client: httpx.AsyncClient, container: Container
) -> None:
    world = await build(client, container)
    assert await feed(client, world.vera) == []  # nobody has shared anything yet

    await show(client, world.fay, "purchases", "friends")
    await buy(client, world.fay, world.sku("shampoo"))
    for member in (world.ann, world.bo):
        await show(client, member, "purchases", "shared_groups")
        await buy(client, member, world.sku("kettle"))
    await settle(container)

    items = await feed(client, world.vera)
    assert names(items) == ["电水壶 Kettle", "洗发水 Shampoo"]
    assert items[0]["explanation"] == "2 people in Class 5 bought this"
    assert items[1]["explanation"] == "fay bought this"
    chinese = await feed(client, world.vera, "zh-CN")
    assert chinese[0]["explanation"] == "Class 5 里有 2 人买了"
    assert chinese[1]["explanation"] == "fay 买了"
    # Fay's purchase is for friends: Cy shares a group with her nowhere and is not her friend.
    assert "洗发水 Shampoo" not in names(await feed(client, world.cy))


async def test_a_hidden_purchase_changes_neither_the_ranking_nor_the_explanation(
    client: httpx.AsyncClient, container: Container
) -> None:
    world = await build(client, container)
    await show(client, world.fay, "purchases", "friends")
    await buy(client, world.fay, world.sku("shampoo"))
    await show(client, world.bo, "purchases", "shared_groups")
    await buy(client, world.bo, world.sku("nuts"))
    await buy(client, world.vera, world.sku("nuts"))
    await settle(container)
    before = {lang: await feed(client, world.vera, lang) for lang in ("en", "zh-CN")}
    assert before["en"], "the feed has something to protect"

    # Ann buys almonds, the kettle and the shampoo — with her purchases hidden (the default) —
    # and Bo, whose purchases Vera may see, buys almonds too: the almonds now co-occur with the
    # nuts in Ann's basket, which must not count.
    for sku in ("almonds", "kettle", "shampoo", "nuts"):
        await buy(client, world.ann, world.sku(sku))
    await settle(container)
    after = {lang: await feed(client, world.vera, lang) for lang in ("en", "zh-CN")}
    assert after == before

    # The moment Ann lets her groups see her purchases, they count, with her group named.
    await show(client, world.ann, "purchases", "shared_groups")
    opened = await feed(client, world.vera)
    assert opened != before["en"]
    kettle = next(i for i in opened if i["product"]["name"] == "电水壶 Kettle")
    assert "1 person in Class 5 bought this" in kettle["explanation"]
    # …and hiding them again takes them straight back out: nothing is remembered.
    await show(client, world.ann, "purchases", "nobody")
    assert await feed(client, world.vera) == before["en"]


async def test_a_hidden_rating_changes_nothing_and_a_shown_bad_one_pushes_down(
    client: httpx.AsyncClient, container: Container
) -> None:
    world = await build(client, container)
    for member in (world.ann, world.bo):
        await show(client, member, "purchases", "shared_groups")
    order = await delivered_order(client, container, world.ann, world.owner, world.sku("kettle"))
    await buy(client, world.bo, world.sku("shampoo"))
    await settle(container)
    before = await feed(client, world.vera)
    assert sorted(names(before)) == ["洗发水 Shampoo", "电水壶 Kettle"]

    rated = await review(client, world.ann, order["id"], 1, "漏水 leaks", post_to_chat=False)
    assert rated.status_code == 201, rated.text
    await settle(container)
    assert await feed(client, world.vera) == before  # Ann's ratings are hidden by default

    await show(client, world.ann, "ratings", "shared_groups")
    after = await feed(client, world.vera)
    assert scores(after)["洗发水 Shampoo"] == scores(before)["洗发水 Shampoo"]
    assert scores(after)["电水壶 Kettle"] < scores(before)["电水壶 Kettle"]  # her 1★ counts
    assert names(after) == ["洗发水 Shampoo", "电水壶 Kettle"]


async def test_what_i_bought_leads_to_similar_and_bought_together_products(
    client: httpx.AsyncClient, container: Container
) -> None:
    world = await build(client, container)
    await buy(client, world.vera, world.sku("nuts"))
    await settle(container)
    items = await feed(client, world.vera)
    # Nobody Vera knows bought the almonds; they surface because they are like her nuts.
    almonds = next(i for i in items if i["product"]["name"] == "巴旦木 Almonds")
    assert almonds["explanation"] == "Like 每日坚果礼盒 Daily nuts, which you bought"
    assert "每日坚果礼盒 Daily nuts" not in names(items)  # not what she already has

    # A product listed later gets its neighbours when its listing event arrives.
    late = await list_product(
        client,
        world.owner,
        world.shop_id,
        name="坚果 Nuts trail mix",
        category="snacks",
    )
    await settle(container)
    assert late["name"] in names(await feed(client, world.vera))

    await show(client, world.bo, "purchases", "shared_groups")
    for sku in ("nuts", "kettle"):
        await buy(client, world.bo, world.sku(sku))
    await settle(container)
    kettle = next(
        i
        for i in await feed(client, world.vera)
        if i["product"]["id"] == world.products["kettle"]["id"]
    )
    kinds = [r["kind"] for r in kettle["reasons"]]
    assert "bought_together" in kinds and "group_bought" in kinds


async def test_the_scheduler_retrains_the_content_model_once_per_slot(
    client: httpx.AsyncClient, container: Container
) -> None:
    world = await build(client, container)
    await buy(client, world.vera, world.sku("nuts"))
    await settle(container)
    async with container.uow() as uow:
        await uow.session.execute(ProductNeighbour.__table__.delete())
        await uow.commit()
    assert "巴旦木 Almonds" not in names(await feed(client, world.vera))

    async with container.uow() as uow:
        fresh = await schedule_once(
            uow.session, kind=RETRAIN_JOB, key="test-slot", run_at=uow.now, now=uow.now
        )
        again = await schedule_once(
            uow.session, kind=RETRAIN_JOB, key="test-slot", run_at=uow.now, now=uow.now
        )
        await uow.commit()
    assert (fresh, again) == (True, False)
    # Not scheduler.sweep(): the container's own sweeper may have claimed the job first, and a
    # sweep that finds it claimed returns at once, before the retrain has stored anything.
    await settle(container)
    assert "巴旦木 Almonds" in names(await feed(client, world.vera))


async def test_a_product_listed_while_the_model_retrains_keeps_its_neighbours(
    client: httpx.AsyncClient, container: Container
) -> None:
    """The retrain computes on a snapshot outside its write transaction; a product listed
    meanwhile (and given its neighbours on listing) is not wiped when the retrain stores."""
    world = await build(client, container)
    await buy(client, world.vera, world.sku("nuts"))
    await settle(container)
    snapshot = await neighbours.compute_all(container.db)  # the retrain, before it stores

    late = await list_product(
        client, world.owner, world.shop_id, name="坚果 Nuts trail mix", category="snacks"
    )
    await settle(container)  # its listing event gives it neighbours, both ways
    async with container.uow() as uow:
        await neighbours.store_all(uow.session, snapshot, uow.now)
        await uow.commit()

    async with container.db.read_sessions() as session:
        own = await neighbours.neighbours_of(session, {late["id"]})
        nuts = await neighbours.neighbours_of(session, {world.products["nuts"]["id"]})
    assert own[late["id"]], "the late product lost its neighbours"
    assert late["id"] in [n for n, _ in nuts[world.products["nuts"]["id"]]]
    assert late["name"] in names(await feed(client, world.vera))


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=ten", "lang=fr", "lang=%00"])
async def test_bad_feed_queries_get_a_clear_error(
    client: httpx.AsyncClient, container: Container, query: str
) -> None:
    (vera,) = await people(client, "vera")
    response = await client.get(f"/api/v1/me/for-you?{query}", headers=vera.headers)
    assert response.status_code in (400, 422), response.text
    assert response.json()["error"]["message"]


async def test_the_feed_needs_a_log_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/me/for-you")
    assert response.status_code == 401


async def test_the_for_you_page_explains_each_suggestion_in_the_readers_language(
    client: httpx.AsyncClient, container: Container
) -> None:
    world = await build(client, container)
    await show(client, world.fay, "purchases", "friends")
    await buy(client, world.fay, world.sku("shampoo"))
    await settle(container)
    await web_log_in(client, "vera")
    english = await client.get("/for-you", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert english.status_code == 200
    assert "洗发水 Shampoo" in english.text and "fay bought this" in english.text
    chinese = await client.get("/for-you", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert "为你推荐" in chinese.text and "fay 买了" in chinese.text
    client.cookies.clear()
    await web_log_in(client, "cyd")  # not Fay's friend: her purchase is not his to see
    assert "洗发水 Shampoo" not in (await client.get("/for-you")).text


async def test_an_item_disputed_in_my_group_is_not_recommended_unless_admins_allow_it(
    client: httpx.AsyncClient, container: Container
) -> None:
    world = await build(client, container)
    await show(client, world.bo, "purchases", "shared_groups")
    norms = await client.patch(
        f"/api/v1/groups/{world.group}/norms",
        headers=world.ann.headers,
        json={"disputed_min_reviews": 1},
    )
    assert norms.status_code == 200, norms.text
    kettle = world.products["kettle"]
    card = (await share_card(client, world.ann, world.group, kettle["id"])).json()
    await buy(client, world.cy, world.sku("kettle"), share_id=card["share_id"])
    await show(client, world.cy, "purchases", "shared_groups")
    await settle(container)
    assert "电水壶 Kettle" in names(await feed(client, world.vera))

    await reviewed_in_group(
        client, container, world.owner, world.bo, card["share_id"], world.sku("kettle"), 1
    )
    assert "电水壶 Kettle" not in names(await feed(client, world.vera))
    allowed = await client.put(
        f"/api/v1/groups/{world.group}/norms/overrides/{kettle['id']}", headers=world.ann.headers
    )
    assert allowed.status_code == 204
    assert "电水壶 Kettle" in names(await feed(client, world.vera))
