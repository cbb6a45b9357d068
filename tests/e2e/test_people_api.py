"""A person as another sees them (GET /users/{id}/connection) and people to befriend from one's
groups (GET /friends/suggestions): what each viewer is told, and what they may do."""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.test_web_session import web_log_in
from tests.factories import Person, join_open_group, people


async def _befriend(client: httpx.AsyncClient, a: Person, b: Person) -> None:
    asked = await client.post("/api/v1/friends/requests", headers=a.headers, json={"user_id": b.id})
    assert asked.status_code == 201, asked.text
    answered = await client.post(
        "/api/v1/friends/requests", headers=b.headers, json={"user_id": a.id}
    )
    assert answered.json()["status"] == "friends", answered.text


async def _connection(client: httpx.AsyncClient, viewer: Person, other: Person) -> dict[str, Any]:
    response = await client.get(f"/api/v1/users/{other.id}/connection", headers=viewer.headers)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def _ids(people_list: list[dict[str, Any]]) -> list[int]:
    return [p["id"] for p in people_list]


async def test_groupmates_see_what_they_share_and_may_message_and_befriend(
    client: httpx.AsyncClient,
) -> None:
    mei, ben, fay = await people(client, "mei", "ben", "fay")
    group_id = await join_open_group(client, mei, ben, name="邻居团购群")
    await _befriend(client, mei, fay)
    await _befriend(client, ben, fay)

    seen = await _connection(client, mei, ben)
    assert seen["relationship"] == "none"
    assert seen["allowed_actions"] == ["message", "add_friend", "block"]
    assert seen["in_common_shown"] is True
    assert seen["groups_in_common"] == [{"id": group_id, "name": "邻居团购群"}]
    assert _ids(seen["friends_in_common"]) == [fay.id]
    assert seen["friends_in_common"][0]["username"] == "fay"


async def test_a_stranger_is_not_told_whom_they_share(client: httpx.AsyncClient) -> None:
    mei, stranger, fay = await people(client, "mei", "stranger", "fay")
    await _befriend(client, mei, fay)
    await _befriend(client, stranger, fay)  # a friend in common, but no tie between them

    seen = await _connection(client, stranger, mei)
    assert seen["relationship"] == "none"
    assert seen["in_common_shown"] is False
    assert seen["friends_in_common"] == [] and seen["groups_in_common"] == []
    # they may ask to be friends, but a direct chat needs a tie first
    assert seen["allowed_actions"] == ["add_friend", "block"]


async def test_a_request_is_answered_from_the_connection_and_friends_may_message(
    client: httpx.AsyncClient,
) -> None:
    mei, ben = await people(client, "mei", "ben")
    asked = await client.post(
        "/api/v1/friends/requests", headers=mei.headers, json={"user_id": ben.id}
    )
    request_id = asked.json()["request_id"]

    mine = await _connection(client, mei, ben)
    assert (mine["relationship"], mine["request_id"]) == ("you_asked", request_id)
    assert mine["allowed_actions"] == ["block"]
    theirs = await _connection(client, ben, mei)
    assert (theirs["relationship"], theirs["request_id"]) == ("asked_you", request_id)
    assert theirs["allowed_actions"] == ["accept", "decline", "block"]

    accepted = await client.post(
        f"/api/v1/friends/requests/{theirs['request_id']}/accept", headers=ben.headers
    )
    assert accepted.status_code == 204
    now = await _connection(client, mei, ben)
    assert (now["relationship"], now["request_id"]) == ("friends", None)
    assert now["allowed_actions"] == ["message", "unfriend", "block"]
    assert now["in_common_shown"] is True and now["groups_in_common"] == []


async def test_whoever_blocked_you_is_not_found_and_whom_you_blocked_is_only_to_unblock(
    client: httpx.AsyncClient,
) -> None:
    mei, troll, fay = await people(client, "mei", "troll", "fay")
    await join_open_group(client, mei, troll, fay)
    await _befriend(client, mei, fay)
    await _befriend(client, troll, fay)
    assert (await client.put(f"/api/v1/blocks/{troll.id}", headers=mei.headers)).status_code == 204

    hidden = await client.get(f"/api/v1/users/{mei.id}/connection", headers=troll.headers)
    assert hidden.status_code == 404 and hidden.json()["error"]["code"] == "USER_NOT_FOUND"
    # the one who blocked sees the block, and nothing they share
    seen = await _connection(client, mei, troll)
    assert seen["relationship"] == "you_blocked"
    assert seen["allowed_actions"] == ["unblock"]
    assert seen["in_common_shown"] is False
    assert seen["groups_in_common"] == [] and seen["friends_in_common"] == []

    assert (
        await client.delete(f"/api/v1/blocks/{troll.id}", headers=mei.headers)
    ).status_code == 204
    after = await _connection(client, troll, mei)
    assert after["in_common_shown"] is True and _ids(after["friends_in_common"]) == [fay.id]


async def test_a_connection_is_with_someone_who_exists(client: httpx.AsyncClient) -> None:
    (mei,) = await people(client, "mei")
    me = await _connection(client, mei, mei)
    assert me["relationship"] == "self" and me["allowed_actions"] == []
    missing = await client.get("/api/v1/users/999999/connection", headers=mei.headers)
    assert missing.status_code == 404
    # 0 is the deleted-user tombstone, which pages show: no one, so not found, like any stranger.
    tombstone = await client.get("/api/v1/users/0/connection", headers=mei.headers)
    assert tombstone.status_code == 404
    bad = await client.get("/api/v1/users/-1/connection", headers=mei.headers)
    assert bad.status_code == 422
    anonymous = await client.get(f"/api/v1/users/{mei.id}/connection")
    assert anonymous.status_code == 401


async def test_people_to_befriend_are_groupmates_not_yet_tied_to_you(
    client: httpx.AsyncClient,
) -> None:
    mei, ben, cat, dan, eve, gus, hal, outsider = await people(
        client, "mei", "ben", "cat", "dan", "eve", "gus", "hal", "outsider"
    )
    first = await join_open_group(client, mei, ben, cat, dan, eve, gus, hal, name="第一群")
    second = await join_open_group(client, gus, mei, name="第二群")
    await join_open_group(client, outsider, ben)  # not a group mei is in
    await _befriend(client, mei, ben)  # a friend already
    await client.post("/api/v1/friends/requests", headers=mei.headers, json={"user_id": cat.id})
    await client.post("/api/v1/friends/requests", headers=dan.headers, json={"user_id": mei.id})
    await client.put(f"/api/v1/blocks/{mei.id}", headers=eve.headers)  # eve blocked mei

    response = await client.get("/api/v1/friends/suggestions", headers=mei.headers)
    assert response.status_code == 200, response.text
    found = response.json()
    # gus shares two groups, so he comes first; the others are tied to mei already
    assert [(s["person"]["id"], s["groups_in_common"]) for s in found] == [(gus.id, 2), (hal.id, 1)]
    assert found[0]["groups"] == [
        {"id": first, "name": "第一群"},
        {"id": second, "name": "第二群"},
    ]
    # the requests list names the other person, both ways
    requests = (await client.get("/api/v1/friends/requests", headers=mei.headers)).json()
    assert [r["person"]["username"] for r in requests["incoming"]] == ["dan"]
    assert [r["person"]["username"] for r in requests["outgoing"]] == ["cat"]
    assert (await client.get("/api/v1/friends/suggestions")).status_code == 401


async def test_the_profile_page_shows_the_person_and_hides_from_whom_they_blocked(
    client: httpx.AsyncClient,
) -> None:
    mei, troll = await people(client, "mei", "troll")
    await client.patch(
        "/api/v1/me",
        headers=mei.headers,
        json={"display_name": '<img src=x onerror="alert(1)">', "bio": "<b>爱做饭</b>"},
    )
    await client.put(f"/api/v1/blocks/{troll.id}", headers=mei.headers)
    await web_log_in(client, "troll")
    hidden = await client.get("/people/mei", headers={"accept-language": "zh-CN"})
    assert hidden.status_code == 404 and "找不到这个人。" in hidden.text
    assert (await client.get("/people/nobody")).status_code == 404
    client.cookies.clear()
    await web_log_in(client, "mei")
    page = await client.get("/people/troll")
    assert page.status_code == 200 and f'data-user-id="{troll.id}"' in page.text
    mine = (await client.get("/people/mei")).text
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in mine and "<img src=x" not in mine
    assert "&lt;b&gt;爱做饭&lt;/b&gt;" in mine
    client.cookies.clear()
    assert (await client.get("/people/mei")).status_code == 303  # to the log-in page
