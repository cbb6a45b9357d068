"""Seeding the demo community through the services gives a community a person can use."""

from __future__ import annotations

import httpx

from tests.factories import log_in
from tuan.bootstrap import Container
from tuan.demo.activity import seed_activity
from tuan.demo.commerce import seed_demo_shops
from tuan.demo.community import CIRCLES, DEMO_PASSWORD, seed_demo


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
