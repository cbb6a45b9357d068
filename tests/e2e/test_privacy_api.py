"""Privacy settings through the API, and the one gate every social-proof query uses."""

from __future__ import annotations

import httpx

from tests.factories import join_open_group, people
from tuan.bootstrap import Container
from tuan.privacy.queries import visible_owners


async def befriend(client: httpx.AsyncClient, a, b) -> None:  # type: ignore[no-untyped-def]
    await client.post("/api/v1/friends/requests", headers=a.headers, json={"user_id": b.id})
    await client.post("/api/v1/friends/requests", headers=b.headers, json={"user_id": a.id})


async def test_settings_default_to_nobody_and_can_be_changed(client: httpx.AsyncClient) -> None:
    mei, ben = await people(client, "mei", "ben")
    group = await join_open_group(client, mei, ben)
    settings = (await client.get("/api/v1/me/privacy", headers=mei.headers)).json()
    assert settings == {
        "purchases": {"audience": "nobody", "group_ids": []},
        "ratings": {"audience": "nobody", "group_ids": []},
    }
    changed = await client.put(
        "/api/v1/me/privacy/purchases",
        headers=mei.headers,
        json={"audience": "groups", "group_ids": [group]},
    )
    assert changed.json()["purchases"] == {"audience": "groups", "group_ids": [group]}
    assert changed.json()["ratings"]["audience"] == "nobody"
    not_mine = await client.put(
        "/api/v1/me/privacy/ratings",
        headers=mei.headers,
        json={"audience": "groups", "group_ids": [999999]},
    )
    assert not_mine.status_code == 422
    bad = await client.put(
        "/api/v1/me/privacy/ratings", headers=mei.headers, json={"audience": "everyone"}
    )
    assert bad.status_code == 422
    assert (
        await client.put(
            "/api/v1/me/privacy/diary", headers=mei.headers, json={"audience": "friends"}
        )
    ).status_code == 422


async def test_visible_owners_applies_every_audience(
    client: httpx.AsyncClient, container: Container
) -> None:
    viewer, nobody, friend, chooser, other_chooser, groupmate, stranger, blocker = await people(
        client,
        "viewer",
        "nobody",
        "friend",
        "chooser",
        "chooser2",
        "groupmate",
        "stranger",
        "blocker",
    )
    shared = await join_open_group(client, viewer, chooser, other_chooser, groupmate, blocker)
    elsewhere = await join_open_group(client, other_chooser)
    await befriend(client, viewer, friend)
    await befriend(client, viewer, nobody)
    settings = [
        (nobody, "nobody", []),
        (friend, "friends", []),
        (chooser, "groups", [shared]),
        (other_chooser, "groups", [elsewhere]),
        (groupmate, "shared_groups", []),
        (stranger, "shared_groups", []),
        (blocker, "shared_groups", []),
    ]
    for who, audience, groups in settings:
        await client.put(
            "/api/v1/me/privacy/purchases",
            headers=who.headers,
            json={"audience": audience, "group_ids": groups},
        )
    await client.put(f"/api/v1/blocks/{viewer.id}", headers=blocker.headers)
    everyone = [
        p.id for p in (viewer, nobody, friend, chooser, other_chooser, groupmate, stranger, blocker)
    ]
    async with container.db.read_sessions() as session:
        seen = await visible_owners(session, viewer.id, everyone, "purchases")
        ratings = await visible_owners(session, viewer.id, everyone, "ratings")
    assert seen == {viewer.id, friend.id, chooser.id, groupmate.id}
    assert ratings == {viewer.id}  # nobody changed their ratings setting


async def test_leaving_the_chosen_group_ends_that_visibility(
    client: httpx.AsyncClient, container: Container
) -> None:
    viewer, owner = await people(client, "viewer", "owner")
    group = await join_open_group(client, viewer, owner)
    await client.put(
        "/api/v1/me/privacy/ratings",
        headers=owner.headers,
        json={"audience": "groups", "group_ids": [group]},
    )
    async with container.db.read_sessions() as session:
        assert owner.id in await visible_owners(session, viewer.id, [owner.id], "ratings")
    await client.delete(f"/api/v1/groups/{group}/members/{owner.id}", headers=owner.headers)
    async with container.db.read_sessions() as session:
        assert owner.id not in await visible_owners(session, viewer.id, [owner.id], "ratings")
