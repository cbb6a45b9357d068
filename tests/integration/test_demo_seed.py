"""Seeding the demo community through the services gives a community a person can use."""

from __future__ import annotations

import httpx

from tests.factories import log_in
from tuan.bootstrap import Container
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
