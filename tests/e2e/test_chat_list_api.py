"""The chat list shows each chat's newest message and is ordered by it, whatever happened to the
messages since: an edit, a reaction, a deletion, a line the server wrote, a report (issue 15.4:
after an edit the busiest group read "No messages yet", with an old time, sorted last)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.factories import Person, invite_link, join_open_group, people, say
from tests.fakes import ShiftableClock


async def chat_list(client: httpx.AsyncClient, who: Person) -> list[dict[str, Any]]:
    response = await client.get("/api/v1/conversations", headers=who.headers)
    assert response.status_code == 200, response.text
    return list(response.json())


async def test_an_edited_newest_message_stays_the_preview_and_keeps_the_chat_on_top(
    client: httpx.AsyncClient, clock: ShiftableClock
) -> None:
    mei, ben, cat = await people(client, "mei", "ben", "cat")
    busy = await join_open_group(client, mei, ben, name="五年级二班家长群")
    quiet = await join_open_group(client, mei, ben, name="小区群")
    clock.advance(minutes=1)
    await say(client, ben, quiet, "小区今晚停水")
    clock.advance(minutes=1)
    await say(client, ben, busy, "第一条")
    newest = (await say(client, mei, busy, "明天八点取货")).json()

    edited = await client.patch(
        f"/api/v1/conversations/{busy}/messages/{newest['seq']}",
        headers=mei.headers,
        json={"text": "明天九点取货"},
    )
    assert edited.status_code == 200, edited.text
    reacted = await client.put(
        f"/api/v1/conversations/{busy}/messages/{newest['seq']}/reactions/👍", headers=ben.headers
    )
    assert reacted.status_code == 200, reacted.text

    for who in (mei, ben):
        chats = await chat_list(client, who)
        assert [c["title"] for c in chats] == ["五年级二班家长群", "小区群"]
        top = chats[0]
        assert top["last_message"] is not None
        assert top["last_message"]["seq"] == newest["seq"]
        assert top["last_message"]["text"] == "明天九点取货"
        assert top["last_message"]["edited_at"] is not None
        assert top["updated_at"] == newest["created_at"]  # when it was written, not edited

    # A line the server writes is a message too: Cat joining is the group's newest.
    code = await invite_link(client, mei, busy)
    joined = await client.post(f"/api/v1/invites/{code}/join", headers=cat.headers, json={})
    assert joined.status_code in (200, 201), joined.text
    for who in (mei, cat):
        top = (await chat_list(client, who))[0]
        assert top["title"] == "五年级二班家长群"
        assert top["last_message"]["kind"] == "system"
        assert top["last_message"]["system"]["code"] == "member_joined"
        assert top["updated_at"] == top["last_message"]["created_at"]
    # Cat sees only what came after she joined: not Mei's message, even in the preview.
    cats = await chat_list(client, cat)
    assert [c["title"] for c in cats] == ["五年级二班家长群"]

    # Deleting the newest message leaves its tombstone as the preview, in its place.
    clock.advance(minutes=1)
    gone = (await say(client, ben, busy, "发错群了")).json()
    deleted = await client.delete(
        f"/api/v1/conversations/{busy}/messages/{gone['seq']}", headers=ben.headers
    )
    assert deleted.status_code == 200, deleted.text
    top = (await chat_list(client, mei))[0]
    assert (top["last_message"]["seq"], top["last_message"]["deleted"]) == (gone["seq"], True)
    assert top["last_message"]["text"] == ""

    # The quiet group moves up when it gets the newest message.
    clock.advance(minutes=1)
    await say(client, ben, quiet, "来水了")
    chats = await chat_list(client, mei)
    assert [(c["title"], c["last_message"]["text"]) for c in chats] == [
        ("小区群", "来水了"),
        ("五年级二班家长群", ""),
    ]
