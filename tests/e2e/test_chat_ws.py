"""The chat WebSocket on a real server: live delivery, acks, catch-up after a disconnect with no
gap and no duplicate, typing, bad frames, authentication."""

from __future__ import annotations

import asyncio

import httpx

from tests.factories import join_open_group, people, say
from tests.wsclient import ChatClient


async def test_a_message_sent_by_one_member_arrives_live_at_the_others(
    client: httpx.AsyncClient, live_app: str
) -> None:
    mei, ben, cat = await people(client, "mei", "ben", "cat")
    cid = await join_open_group(client, mei, ben, cat)
    sockets = [await ChatClient.open(live_app, p.token) for p in (mei, ben, cat)]
    await sockets[0].send(
        {"type": "send", "conversation_id": cid, "client_id": "a1", "text": "到货啦 🍊"}
    )
    ack = await sockets[0].wait_for(lambda f: f["type"] == "ack")
    assert ack["client_id"] == "a1" and ack["duplicate"] is False
    for socket in sockets:
        message = await socket.wait_for(
            lambda f: f["type"] == "message" and f["message"]["text"] == "到货啦 🍊"
        )
        assert message["message"]["seq"] == ack["seq"] and message["message"]["sender_id"] == mei.id
    # an HTTP post is pushed the same way
    await say(client, ben, cid, "via http")
    await sockets[2].wait_for(
        lambda f: f["type"] == "message" and f["message"]["text"] == "via http"
    )
    for socket in sockets:
        await socket.close()


async def test_a_retried_ws_send_is_acked_with_the_original(
    client: httpx.AsyncClient, live_app: str
) -> None:
    mei, ben = await people(client, "mei", "ben")
    cid = await join_open_group(client, mei, ben)
    socket = await ChatClient.open(live_app, mei.token)
    for _ in range(2):
        await socket.send(
            {"type": "send", "conversation_id": cid, "client_id": "same", "text": "一次"}
        )
    await socket.wait_for(lambda f: f["type"] == "ack" and f["duplicate"] is True)
    acks = [f for f in socket.frames if f["type"] == "ack"]
    assert len({a["seq"] for a in acks}) == 1
    page = (
        await client.get(f"/api/v1/conversations/{cid}/messages?after=0", headers=ben.headers)
    ).json()
    assert [m["text"] for m in page["messages"] if m["kind"] == "text"] == ["一次"]
    await socket.close()


async def test_reconnecting_with_positions_gets_every_missed_change_once_in_order(
    client: httpx.AsyncClient, live_app: str
) -> None:
    mei, ben = await people(client, "mei", "ben")
    cid = await join_open_group(client, mei, ben)
    ben_socket = await ChatClient.open(live_app, ben.token)
    first = (await say(client, mei, cid, "one")).json()
    await ben_socket.wait_for(lambda f: f["type"] == "message" and f["message"]["text"] == "one")
    position = max(m["version"] for m in ben_socket.messages(cid))
    await ben_socket.close()

    # while ben is away: new messages, an edit of one he saw, a reaction
    for text in ("two", "three"):
        await say(client, mei, cid, text)
    await client.patch(
        f"/api/v1/conversations/{cid}/messages/{first['seq']}",
        headers=mei.headers,
        json={"text": "one (edited)"},
    )

    back = await ChatClient.open(live_app, ben.token, {cid: position})
    await say(client, mei, cid, "four")  # arrives live after the catch-up
    await back.wait_for(lambda f: f["type"] == "message" and f["message"]["text"] == "four")
    got = back.messages(cid)
    assert [m["text"] for m in got] == ["two", "three", "one (edited)", "four"]
    versions = [m["version"] for m in got]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)
    await back.close()


async def test_messages_sent_during_the_catch_up_are_neither_lost_nor_doubled(
    client: httpx.AsyncClient, live_app: str
) -> None:
    mei, ben = await people(client, "mei", "ben")
    cid = await join_open_group(client, mei, ben)
    for i in range(30):
        await say(client, mei, cid, f"old {i}")

    async def keep_talking() -> None:
        for i in range(30):
            await say(client, mei, cid, f"new {i}")

    talking = asyncio.create_task(keep_talking())
    socket = await ChatClient.open(live_app, ben.token, {cid: 0})
    await talking
    await socket.wait_for(lambda f: f["type"] == "message" and f["message"]["text"] == "new 29")
    got = socket.texts(cid)
    assert got == [f"old {i}" for i in range(30)] + [f"new {i}" for i in range(30)]
    await socket.close()


async def test_a_malformed_frame_gets_an_error_and_the_connection_stays_open(
    client: httpx.AsyncClient, live_app: str
) -> None:
    mei, ben = await people(client, "mei", "ben")
    cid = await join_open_group(client, mei, ben)
    socket = await ChatClient.open(live_app, mei.token)
    for raw in (
        "not json",
        '{"type": "dance"}',
        '{"type": "send", "conversation_id": "x"}',
        "[1,2]",
    ):
        await socket.send_raw(raw)
    await socket.send({"type": "send", "conversation_id": cid, "client_id": "e1", "text": ""})
    await socket.send({"type": "send", "conversation_id": 999999, "client_id": "e2", "text": "hi"})
    await socket.wait_for(lambda f: f["type"] == "error" and f.get("ref") == "e2")
    errors = [f for f in socket.frames if f["type"] == "error"]
    assert [e["code"] for e in errors[:4]] == ["BAD_FRAME"] * 4
    assert {e["code"] for e in errors if e.get("ref")} == {
        "EMPTY_MESSAGE",
        "CONVERSATION_NOT_FOUND",
    }
    await socket.send({"type": "ping", "ref": "still-here"})
    assert (await socket.wait_for(lambda f: f["type"] == "pong"))["ref"] == "still-here"
    await socket.close()


async def test_typing_is_relayed_to_other_members_only(
    client: httpx.AsyncClient, live_app: str
) -> None:
    mei, ben = await people(client, "mei", "ben")
    cid = await join_open_group(client, mei, ben)
    mei_socket = await ChatClient.open(live_app, mei.token)
    ben_socket = await ChatClient.open(live_app, ben.token)
    await mei_socket.send({"type": "typing", "conversation_id": cid})
    typing = await ben_socket.wait_for(lambda f: f["type"] == "typing")
    assert typing["user_id"] == mei.id and typing["conversation_id"] == cid
    await mei_socket.send({"type": "ping"})
    await mei_socket.wait_for(lambda f: f["type"] == "pong")
    assert not [f for f in mei_socket.frames if f["type"] == "typing"]
    await mei_socket.close()
    await ben_socket.close()


async def test_joining_and_being_removed_change_what_a_socket_receives(
    client: httpx.AsyncClient, live_app: str
) -> None:
    owner, mei = await people(client, "owner", "mei")
    cid = await join_open_group(client, owner)
    socket = await ChatClient.open(live_app, mei.token)
    code = (
        await client.post(f"/api/v1/groups/{cid}/invite-links", headers=owner.headers, json={})
    ).json()["code"]
    await client.post(f"/api/v1/invites/{code}/join", headers=mei.headers, json={})
    await socket.wait_for(
        lambda f: f["type"] == "conversation_added" and f["conversation_id"] == cid
    )
    await say(client, owner, cid, "欢迎")
    await socket.wait_for(lambda f: f["type"] == "message" and f["message"]["text"] == "欢迎")
    await client.delete(f"/api/v1/groups/{cid}/members/{mei.id}", headers=owner.headers)
    await socket.wait_for(lambda f: f["type"] == "conversation_removed")
    await say(client, owner, cid, "after you left")
    await socket.send({"type": "ping", "ref": "sync"})
    await socket.wait_for(lambda f: f["type"] == "pong")
    assert "after you left" not in socket.texts(cid)
    await socket.close()


async def test_mentions_are_pushed_as_notifications(
    client: httpx.AsyncClient, live_app: str
) -> None:
    mei, ben = await people(client, "mei", "ben")
    cid = await join_open_group(client, mei, ben)
    socket = await ChatClient.open(live_app, ben.token)
    await say(client, mei, cid, "@ben", mentions=[ben.id])
    note = await socket.wait_for(lambda f: f["type"] == "notification")
    assert note["notification"]["kind"] == "mention" and note["notification"]["actor_id"] == mei.id
    await socket.close()


async def test_unauthenticated_sockets_are_refused(
    client: httpx.AsyncClient, live_app: str
) -> None:
    for hello in ({"type": "hello", "token": "forged"}, {"type": "ping"}, {"type": "hello"}):
        socket = await ChatClient.open(live_app, "", hello=False)
        await socket.send(hello)
        error = await socket.wait_for(lambda f: f["type"] == "error")
        assert error["code"] in ("NOT_AUTHENTICATED", "HELLO_FIRST")
        await asyncio.wait_for(socket._reader, 5)
        assert socket.closed_code == 4001
