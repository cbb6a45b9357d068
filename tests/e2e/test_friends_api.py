"""Friends and blocks through the API."""

from __future__ import annotations

import httpx

from tests.factories import join_open_group, make_group, people, say


async def test_request_accept_and_remove_a_friend(client: httpx.AsyncClient) -> None:
    mei, ben = await people(client, "mei", "ben")
    asked = await client.post(
        "/api/v1/friends/requests",
        headers=mei.headers,
        json={"user_id": ben.id, "message": "我是乐乐妈妈"},
    )
    assert asked.json()["status"] == "requested"
    incoming = (await client.get("/api/v1/friends/requests", headers=ben.headers)).json()[
        "incoming"
    ]
    assert [(r["from_user_id"], r["message"]) for r in incoming] == [(mei.id, "我是乐乐妈妈")]
    notes = (await client.get("/api/v1/notifications", headers=ben.headers)).json()
    assert [n["kind"] for n in notes["notifications"]] == ["friend_request"]
    ok = await client.post(
        f"/api/v1/friends/requests/{incoming[0]['id']}/accept", headers=ben.headers
    )
    assert ok.status_code == 204
    assert [f["id"] for f in (await client.get("/api/v1/friends", headers=mei.headers)).json()] == [
        ben.id
    ]
    again = await client.post(
        "/api/v1/friends/requests", headers=mei.headers, json={"user_id": ben.id}
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "ALREADY_FRIENDS"
    assert (
        await client.delete(f"/api/v1/friends/{mei.id}", headers=ben.headers)
    ).status_code == 204
    assert (await client.get("/api/v1/friends", headers=mei.headers)).json() == []


async def test_declined_requests_do_not_befriend(client: httpx.AsyncClient) -> None:
    mei, ben = await people(client, "mei", "ben")
    await client.post("/api/v1/friends/requests", headers=mei.headers, json={"user_id": ben.id})
    request_id = (await client.get("/api/v1/friends/requests", headers=ben.headers)).json()[
        "incoming"
    ][0]["id"]
    await client.post(f"/api/v1/friends/requests/{request_id}/decline", headers=ben.headers)
    assert (await client.get("/api/v1/friends", headers=ben.headers)).json() == []
    # only the recipient can answer, and only once
    again = await client.post(f"/api/v1/friends/requests/{request_id}/accept", headers=ben.headers)
    assert again.status_code == 404


async def test_asking_someone_who_asked_you_makes_you_friends(client: httpx.AsyncClient) -> None:
    mei, ben = await people(client, "mei", "ben")
    await client.post("/api/v1/friends/requests", headers=mei.headers, json={"user_id": ben.id})
    mutual = await client.post(
        "/api/v1/friends/requests", headers=ben.headers, json={"user_id": mei.id}
    )
    assert mutual.json()["status"] == "friends"


async def test_adding_a_friend_from_a_shared_group_keeps_the_group_as_context(
    client: httpx.AsyncClient,
) -> None:
    mei, ben, cat = await people(client, "mei", "ben", "cat")
    group_id = await join_open_group(client, mei, ben)
    other = await make_group(client, cat)
    await client.post(
        "/api/v1/friends/requests",
        headers=ben.headers,
        json={"user_id": mei.id, "context_group_id": group_id},
    )
    await client.post(
        "/api/v1/friends/requests",
        headers=cat.headers,
        json={"user_id": mei.id, "context_group_id": other},
    )
    incoming = (await client.get("/api/v1/friends/requests", headers=mei.headers)).json()[
        "incoming"
    ]
    assert {r["from_user_id"]: r["context_group_id"] for r in incoming} == {
        ben.id: group_id,
        cat.id: None,
    }


async def test_a_blocked_user_cannot_message_invite_befriend_or_see_your_profile(
    client: httpx.AsyncClient,
) -> None:
    mei, troll, owner = await people(client, "mei", "troll", "owner")
    group_id = await join_open_group(client, owner, mei, troll)
    dm = (
        await client.post(
            "/api/v1/conversations/direct", headers=troll.headers, json={"user_id": mei.id}
        )
    ).json()["id"]
    assert (await say(client, troll, dm, "hello")).status_code == 201

    assert (await client.put(f"/api/v1/blocks/{troll.id}", headers=mei.headers)).status_code == 204
    blocked_dm = await say(client, troll, dm, "hello again")
    assert blocked_dm.status_code == 403 and blocked_dm.json()["error"]["code"] == "BLOCKED"
    assert (
        await client.post(
            "/api/v1/conversations/direct", headers=troll.headers, json={"user_id": mei.id}
        )
    ).status_code == 403
    request = await client.post(
        "/api/v1/friends/requests", headers=troll.headers, json={"user_id": mei.id}
    )
    assert request.status_code == 403
    sub = (
        await client.post(
            f"/api/v1/groups/{group_id}/subgroups",
            headers=owner.headers,
            json={"name": "x", "join_policy": "introduced"},
        )
    ).json()["id"]
    await client.post(
        f"/api/v1/groups/{sub}/introductions", headers=owner.headers, json={"user_id": troll.id}
    )
    invitation = (await client.get("/api/v1/me/group-invitations", headers=troll.headers)).json()[
        0
    ]["id"]
    await client.post(f"/api/v1/me/group-invitations/{invitation}/accept", headers=troll.headers)
    introduce = await client.post(
        f"/api/v1/groups/{sub}/introductions", headers=troll.headers, json={"user_id": mei.id}
    )
    assert introduce.status_code == 403
    profile = await client.get("/api/v1/users/mei", headers=troll.headers)
    assert profile.status_code == 404
    assert (await client.get("/api/v1/users/troll", headers=mei.headers)).status_code == 200
    # unblocking restores messaging
    assert (
        await client.delete(f"/api/v1/blocks/{troll.id}", headers=mei.headers)
    ).status_code == 204
    assert (await say(client, troll, dm, "sorry")).status_code == 201


async def test_blocking_ends_the_friendship(client: httpx.AsyncClient) -> None:
    mei, ben = await people(client, "mei", "ben")
    await client.post("/api/v1/friends/requests", headers=mei.headers, json={"user_id": ben.id})
    await client.post("/api/v1/friends/requests", headers=ben.headers, json={"user_id": mei.id})
    await client.put(f"/api/v1/blocks/{ben.id}", headers=mei.headers)
    assert (await client.get("/api/v1/friends", headers=ben.headers)).json() == []
    assert (await client.get("/api/v1/blocks", headers=mei.headers)).json() == [ben.id]


async def test_strangers_cannot_open_a_direct_chat(client: httpx.AsyncClient) -> None:
    mei, spam = await people(client, "mei", "spammer")
    response = await client.post(
        "/api/v1/conversations/direct", headers=spam.headers, json={"user_id": mei.id}
    )
    assert response.status_code == 403 and response.json()["error"]["code"] == "NOT_CONNECTED"
    assert (
        await client.post(
            "/api/v1/conversations/direct", headers=mei.headers, json={"user_id": 999999}
        )
    ).status_code == 404
