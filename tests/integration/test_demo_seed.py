"""Seeding the demo community through the services gives a community a person can use."""

from __future__ import annotations

import httpx

from tests.factories import log_in
from tuan.bootstrap import Container
from tuan.demo.activity import seed_activity
from tuan.demo.commerce import seed_demo_shops
from tuan.demo.community import CIRCLES, DEMO_PASSWORD, SHOPKEEPERS, seed_demo
from tuan.demo.roles import demo_owners, describe


async def test_seeded_demo_has_groups_subgroups_friends_and_chat(
    container: Container, client: httpx.AsyncClient
) -> None:
    steps: list[int] = []
    community = await seed_demo(container, size=40, progress=steps.append)
    assert sum(steps) > 40
    again = await seed_demo(container, size=40)  # a second run seeds nothing more
    assert again.user_ids == []

    token = (await log_in(client, "mei", DEMO_PASSWORD)).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    chats = (await client.get("/api/v1/conversations", headers=headers)).json()
    titles = {c["title"] for c in chats}
    assert {c.name for c in CIRCLES[:4]} <= titles
    class_group = next(c for c in chats if c["title"] == CIRCLES[0].name)
    page = (
        await client.get(
            f"/api/v1/conversations/{class_group['id']}/messages?after=0", headers=headers
        )
    ).json()
    assert any(m["kind"] == "text" for m in page["messages"])
    subgroups = (
        await client.get(f"/api/v1/groups/{class_group['id']}/subgroups", headers=headers)
    ).json()
    assert [s["name"] for s in subgroups] == list(CIRCLES[0].subgroups)
    friends = (await client.get("/api/v1/friends", headers=headers)).json()
    assert "ben" in {f["username"] for f in friends}
    assert len(community.user_ids) == 40


async def test_the_demo_plays_out_the_social_loop_in_its_groups(
    container: Container, client: httpx.AsyncClient
) -> None:
    community = await seed_demo(container, size=60)
    await seed_demo_shops(container, [p.username for p in community.people[2:12]])
    placed = await seed_activity(container, DEMO_PASSWORD)
    assert placed >= 9
    assert await seed_activity(container, DEMO_PASSWORD) == 0  # once only

    token = (await log_in(client, "mei", DEMO_PASSWORD)).json()["token"]
    mei = {"Authorization": f"Bearer {token}"}
    chats = (await client.get("/api/v1/conversations", headers=mei)).json()
    kinds: set[str] = set()
    for chat in chats:
        page = await client.get(f"/api/v1/conversations/{chat['id']}/messages", headers=mei)
        kinds |= {m["kind"] for m in page.json()["messages"]}
    assert {"product_card", "purchase_report", "review_card"} <= kinds

    # The product with mixed reviews is disputed in its group: sharing it again is refused.
    refusals = []
    for chat in chats:
        for message in (
            await client.get(f"/api/v1/conversations/{chat['id']}/messages", headers=mei)
        ).json()["messages"]:
            if message["kind"] == "product_card":
                again = await client.post(
                    f"/api/v1/conversations/{chat['id']}/cards",
                    headers=mei,
                    json={"product_id": message["payload"]["product_id"]},
                )
                refusals.append(again.json().get("error", {}).get("code"))
    assert refusals.count("NORM_DISPUTED_ITEM") == 1, refusals

    # Mei's "For you" feed has suggestions from her circle, each with its reason in words.
    feed = (await client.get("/api/v1/me/for-you?lang=zh-CN", headers=mei)).json()["items"]
    assert feed and all(item["explanation"] for item in feed)


async def test_the_demo_says_who_owns_each_shop_and_group_and_its_products_have_pictures(
    container: Container, client: httpx.AsyncClient
) -> None:
    community = await seed_demo(container, size=40)
    await seed_demo_shops(container, [p.username for p in SHOPKEEPERS])
    owners = await demo_owners(container)
    shops = [(o.username, o.name) for o in owners if o.kind == "shop"]
    assert [username for username, _name in shops] == [p.username for p in SHOPKEEPERS]
    groups = {o.name: o.username for o in owners if o.kind == "group"}
    assert groups[CIRCLES[0].name] == "mei" and groups[CIRCLES[3].name] == "ben"
    assert len(groups) == len(CIRCLES)
    named = {"mei", "ben", *(p.username for p in SHOPKEEPERS)}
    others = [
        name for group, name in groups.items() if group not in (CIRCLES[0].name, CIRCLES[3].name)
    ]
    assert not named & set(others)  # README names the owners of two groups; the rest are printed
    lines = describe(owners, ["mei", "ben"], DEMO_PASSWORD)
    assert f"shop.fresh (阿梅) owns the shop {shops[0][1]}" in "\n".join(lines)
    assert DEMO_PASSWORD in lines[0]

    # A shopkeeper can log in with the demo password and finds their shop's products pictured.
    token = (await log_in(client, "shop.fresh", DEMO_PASSWORD)).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    products = (await client.get("/api/v1/products", headers=headers)).json()
    assert products and community.user_ids
    for product in products:
        page = (await client.get(f"/api/v1/products/{product['id']}", headers=headers)).json()
        assert len(page["images"]) == 1, page["name"]
        picture = await client.get(page["images"][0]["url"], headers=headers)
        assert picture.status_code == 200 and picture.headers["content-type"].startswith("image/")
