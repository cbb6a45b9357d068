"""The deleted-user tombstone (id 0, ADR 0011) as others meet it through the API: it has no
profile, is in no list of people, and a direct chat with someone who erased their account stays
the remaining person's, named after the deleted user.

A person leaves as people do (:func:`leave_tuan`: asked, 7 days, the erasure of ``tuan.rights``).
"""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from sqlalchemy import insert

from tests.e2e.commerce.kit import settle
from tests.e2e.test_web_session import web_log_in
from tests.factories import PASSWORD, Person, join_open_group, log_in, people, say
from tests.fakes import ShiftableClock
from tuan.bootstrap import Container
from tuan.chat.models import Member
from tuan.core.personal import DELETED_USER_ID
from tuan.social.models import Friendship


async def leave_tuan(client: httpx.AsyncClient, container: Container, who: Person) -> None:
    """``who`` asks to leave, the 7 days pass, and the erasure runs."""
    asked = await client.post(
        "/api/v1/me/deletion", headers=who.headers, json={"password": PASSWORD}
    )
    assert asked.status_code == 202, asked.text
    clock = container.clock
    assert isinstance(clock, ShiftableClock)
    clock.advance(days=7, seconds=1)
    await settle(container)
    assert (await log_in(client, who.username)).status_code == 401


async def _again(client: httpx.AsyncClient, who: Person) -> Person:
    """``who`` signs in again (a week went by)."""
    signed = await log_in(client, who.username)
    assert signed.status_code == 201, signed.text
    return Person(who.id, who.username, signed.json()["token"])


async def _befriend(client: httpx.AsyncClient, a: Person, b: Person) -> None:
    for asker, other in ((a, b), (b, a)):
        asked = await client.post(
            "/api/v1/friends/requests", headers=asker.headers, json={"user_id": other.id}
        )
        assert asked.status_code == 201, asked.text


async def test_the_deleted_user_has_no_profile(client: httpx.AsyncClient) -> None:
    (mei,) = await people(client, "mei")
    by_name = await client.get("/api/v1/users/~deleted", headers=mei.headers)
    assert by_name.status_code == 404, by_name.text
    assert by_name.json()["error"]["code"] == "USER_NOT_FOUND"
    by_id = await client.get(f"/api/v1/users/{DELETED_USER_ID}/connection", headers=mei.headers)
    assert by_id.status_code == 404, by_id.text
    assert by_id.json()["error"]["code"] == "USER_NOT_FOUND"

    await web_log_in(client, "mei")
    page = await client.get("/people/~deleted")
    assert page.status_code == 404
    assert 'id="person"' not in page.text and "No such person." in page.text


async def test_the_deleted_user_is_in_no_list_of_people(
    client: httpx.AsyncClient, container: Container
) -> None:
    mei, ben, fay = await people(client, "mei", "ben", "fay")
    group_id = await join_open_group(client, mei, ben)
    await _befriend(client, mei, fay)
    await _befriend(client, ben, fay)
    # Even a row left pointing at the tombstone (a membership, friendships) lists no one.
    async with container.db.write_engine.begin() as conn:
        now = datetime.now(UTC)
        await conn.execute(
            insert(Member).values(conversation_id=group_id, user_id=DELETED_USER_ID, joined_at=now)
        )
        for other in (mei, ben):
            await conn.execute(
                insert(Friendship).values(
                    user_low=DELETED_USER_ID, user_high=other.id, created_at=now
                )
            )

    def ids(found: list[dict[str, object]], key: str = "id") -> set[object]:
        return {item[key] for item in found}

    suggested = (await client.get("/api/v1/friends/suggestions", headers=mei.headers)).json()
    assert {s["person"]["id"] for s in suggested} == {ben.id}
    friends = (await client.get("/api/v1/friends", headers=mei.headers)).json()
    assert ids(friends) == {fay.id}
    chat_members = await client.get(
        f"/api/v1/conversations/{group_id}/members", headers=mei.headers
    )
    assert ids(chat_members.json(), "user_id") == {mei.id, ben.id}
    group_members = await client.get(f"/api/v1/groups/{group_id}/members", headers=mei.headers)
    assert ids(group_members.json(), "user_id") == {mei.id, ben.id}
    connection = await client.get(f"/api/v1/users/{ben.id}/connection", headers=mei.headers)
    assert ids(connection.json()["friends_in_common"]) == {fay.id}


async def test_a_direct_chat_with_someone_erased_stays_with_the_deleted_user(
    client: httpx.AsyncClient, container: Container
) -> None:
    mei, ben = await people(client, "mei", "ben")
    await _befriend(client, mei, ben)
    opened = await client.post(
        "/api/v1/conversations/direct", headers=mei.headers, json={"user_id": ben.id}
    )
    chat_id = opened.json()["id"]
    assert (await say(client, ben, chat_id, "see you at the market")).status_code == 201

    await leave_tuan(client, container, ben)
    mei = await _again(client, mei)

    chats = (await client.get("/api/v1/conversations", headers=mei.headers)).json()
    direct = next(c for c in chats if c["id"] == chat_id)
    # The page says the name in the reader's language, told by the partner's id.
    assert (direct["title"], direct["partner_id"]) == ("Deleted user", DELETED_USER_ID)
    page = await client.get(f"/api/v1/conversations/{chat_id}/messages", headers=mei.headers)
    (gone,) = [m for m in page.json()["messages"] if m["kind"] == "text"]
    assert (gone["sender_id"], gone["text"]) == (DELETED_USER_ID, "")
    still = await say(client, mei, chat_id, "are you there?")
    assert still.status_code == 201, still.text
