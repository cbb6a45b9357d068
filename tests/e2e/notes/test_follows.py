"""Following people (issue 16, ADR 0013): one-way, apart from friendship, idempotent; not
yourself, not across a block, not a deleted account; a follow from a note counts in its heat.
Who follows whom is shown as counts to anyone and as lists to the person only.

The world (tests.e2e.notes.test_notes_api): Amy writes notes; Fay is her friend; Sam a stranger.
"""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from tests.e2e.commerce.kit import settle
from tests.e2e.notes.test_notes_api import ZH, publish, refusal, world
from tests.factories import PASSWORD, people
from tests.fakes import ShiftableClock
from tuan.bootstrap import Container
from tuan.core.personal import DELETED_USER_ID
from tuan.notes.models import Follow, NoteStats


async def follow(
    client: httpx.AsyncClient, headers: dict[str, str], user_id: int, **body: object
) -> httpx.Response:
    return await client.put(f"/api/v1/people/{user_id}/follow", headers=headers, json=body or None)


async def follow_rows(container: Container) -> int:
    async with container.db.read_sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Follow)) or 0)


async def test_following_is_one_way_idempotent_and_the_lists_are_the_persons_own(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    for _ in range(2):  # a second follow changes nothing
        done = await follow(client, w.sam.headers, w.amy.id)
        assert done.status_code == 200, done.text
        assert done.json() == {"user_id": w.amy.id, "followed_by_you": True, "followers": 1}
    assert (await follow(client, w.fay.headers, w.amy.id)).json()["followers"] == 2

    # One-way: Amy follows nobody, and following makes no friend.
    amy = (await client.get(f"/api/v1/people/{w.amy.id}/notes-profile")).json()
    assert (amy["followers"], amy["following"], amy["followed_by_you"]) == (2, 0, False)
    as_sam = await client.get(f"/api/v1/people/{w.amy.id}/notes-profile", headers=w.sam.headers)
    assert as_sam.json()["followed_by_you"] is True
    friends = await client.get("/api/v1/friends", headers=w.sam.headers)
    assert w.amy.id not in [f["id"] for f in friends.json()], friends.text

    # The lists: Amy sees who follows her; Sam sees whom he follows; nobody else has a route.
    followers = await client.get("/api/v1/me/followers", headers=w.amy.headers)
    assert [p["username"] for p in followers.json()["people"]] == ["sam", "fay"]
    following = await client.get("/api/v1/me/following", headers=w.sam.headers)
    assert [p["id"] for p in following.json()["people"]] == [w.amy.id]
    paged = await client.get("/api/v1/me/followers?limit=1", headers=w.amy.headers)
    assert [p["username"] for p in paged.json()["people"]] == ["sam"]
    rest = await client.get(
        f"/api/v1/me/followers?limit=1&before={paged.json()['next_before']}",
        headers=w.amy.headers,
    )
    assert [p["username"] for p in rest.json()["people"]] == ["fay"]
    assert (await client.get("/api/v1/me/followers")).status_code == 401

    for _ in range(2):  # unfollowing twice is fine
        gone = await client.delete(f"/api/v1/people/{w.amy.id}/follow", headers=w.sam.headers)
        assert gone.status_code == 204, gone.text
    amy = (await client.get(f"/api/v1/people/{w.amy.id}/notes-profile")).json()
    assert amy["followers"] == 1


async def test_refused_follows_say_why_and_write_nothing(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    (bob,) = await people(client, "bob")
    blocked = await client.put(f"/api/v1/blocks/{w.sam.id}", headers=w.amy.headers)
    assert blocked.status_code == 204, blocked.text
    friends_only = (await publish(client, w.amy, audience="friends")).json()["id"]
    bobs = (await publish(client, bob, audience="everyone")).json()["id"]

    cases = [
        (w.amy, w.amy.id, {}, (422, "FOLLOW_SELF")),
        (w.fay, 2**40, {}, (404, "USER_NOT_FOUND")),
        (w.fay, DELETED_USER_ID, {}, (404, "USER_NOT_FOUND")),  # the tombstone is no one
        (w.sam, w.amy.id, {}, (403, "FOLLOW_BLOCKED")),  # Amy blocked Sam
        (w.amy, w.sam.id, {}, (403, "FOLLOW_BLOCKED")),  # and so Amy cannot follow Sam
        # A note the follower may not see is not found; one by someone else is refused.
        (bob, w.amy.id, {"via_note_id": friends_only}, (404, "NOTE_NOT_FOUND")),
        (w.fay, w.amy.id, {"via_note_id": bobs}, (422, "FOLLOW_NOTE_NOT_THEIRS")),
    ]
    for who, user_id, body, expected in cases:
        refused = await follow(client, who.headers, user_id, **body)
        assert refusal(refused)[:2] == expected, (who.username, user_id, body, refused.text)
    assert (await follow(client, {}, w.amy.id)).status_code == 401
    in_chinese = await follow(client, {**w.sam.headers, **ZH}, w.amy.id)
    assert in_chinese.json()["error"]["message"] == "你屏蔽了对方或对方屏蔽了你，无法关注。"
    assert await follow_rows(container) == 0


async def test_a_follow_from_a_note_counts_once_in_its_heat(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    note_id = (await publish(client, w.amy, audience="everyone")).json()["id"]
    other = (await publish(client, w.amy, audience="everyone")).json()["id"]

    async def heat(note: int) -> float | None:
        async with container.db.read_sessions() as session:
            return await session.scalar(select(NoteStats.heat).where(NoteStats.note_id == note))

    assert (await follow(client, w.sam.headers, w.amy.id, via_note_id=note_id)).status_code == 200
    assert await heat(note_id) == 8.0
    again = await follow(client, w.sam.headers, w.amy.id, via_note_id=other)
    assert again.status_code == 200, again.text  # already following: nothing changes
    assert (await heat(note_id), await heat(other)) == (8.0, None)
    # The note may be named in the query instead of the body.
    by_query = await client.put(
        f"/api/v1/people/{w.amy.id}/follow?via_note_id={other}", headers=w.fay.headers
    )
    assert by_query.status_code == 200, by_query.text
    assert await heat(other) == 8.0
    async with container.db.read_sessions() as session:
        vias = dict((await session.execute(select(Follow.follower_id, Follow.via_note_id))).all())
    assert vias == {w.sam.id: note_id, w.fay.id: other}


async def test_a_deleted_account_cannot_be_followed_and_its_follows_go(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    w = await world(client, container)
    assert (await follow(client, w.sam.headers, w.fay.id)).status_code == 200
    assert (await follow(client, w.fay.headers, w.amy.id)).status_code == 200
    left = await client.post(
        "/api/v1/me/deletion", headers=w.fay.headers, json={"password": PASSWORD}
    )
    assert left.status_code == 202, left.text
    clock.advance(days=7, seconds=1)
    await settle(container)

    refused = await follow(client, w.sam.headers, w.fay.id)
    assert refusal(refused)[:2] == (404, "USER_NOT_FOUND")
    profile = await client.get(f"/api/v1/people/{w.fay.id}/notes-profile")
    assert refusal(profile)[:2] == (404, "USER_NOT_FOUND")
    amy = (await client.get(f"/api/v1/people/{w.amy.id}/notes-profile")).json()
    assert amy["followers"] == 0
    assert await follow_rows(container) == 0
