"""Messaging through the HTTP API: sending, sync, edits, tombstones, reactions, unread, mute,
read receipts, notifications and bad input."""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image

from tests.factories import Person, join_open_group, people, say
from tests.fakes import ShiftableClock


async def sync(client: httpx.AsyncClient, who: Person, cid: int, after: int = 0) -> dict:  # type: ignore[type-arg]
    response = await client.get(
        f"/api/v1/conversations/{cid}/messages?after={after}", headers=who.headers
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def texts(page: dict) -> list[str]:  # type: ignore[type-arg]
    return [m["text"] for m in page["messages"] if m["kind"] != "system"]


async def test_messages_have_strictly_increasing_positions_and_sync_after_n(
    client: httpx.AsyncClient,
) -> None:
    mei, ben = await people(client, "mei", "ben")
    cid = await join_open_group(client, mei, ben)
    sent = [(await say(client, mei if i % 2 else ben, cid, f"第{i}条")).json() for i in range(6)]
    seqs = [m["seq"] for m in sent]
    assert seqs == sorted(seqs) and len(set(seqs)) == 6 and seqs[-1] - seqs[0] == 5
    everything = await sync(client, ben, cid)
    assert texts(everything) == [f"第{i}条" for i in range(6)]
    later = await sync(client, ben, cid, after=seqs[2])
    assert texts(later) == ["第3条", "第4条", "第5条"]
    assert (
        later["position"] == seqs[-1]
        and (await sync(client, ben, cid, after=later["position"]))["messages"] == []
    )


async def test_a_retried_send_returns_the_original_instead_of_a_duplicate(
    client: httpx.AsyncClient,
) -> None:
    mei, ben = await people(client, "mei", "ben")
    cid = await join_open_group(client, mei, ben)
    first = await say(client, mei, cid, "团购草莓 ¥39.9", client_id="c-1")
    retry = await say(client, mei, cid, "团购草莓 ¥39.9", client_id="c-1")
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["seq"] == first.json()["seq"]
    assert texts(await sync(client, ben, cid)) == ["团购草莓 ¥39.9"]
    reused = await say(client, mei, cid, "something else", client_id="c-1")
    assert reused.status_code == 409 and reused.json()["error"]["code"] == "DUPLICATE_CLIENT_ID"
    # another sender may use the same client id
    assert (await say(client, ben, cid, "mine", client_id="c-1")).status_code == 201


async def test_edit_and_delete_leave_one_entry_each_in_sync(client: httpx.AsyncClient) -> None:
    mei, ben, owner = await people(client, "mei", "ben", "owner")
    cid = await join_open_group(client, owner, mei, ben)
    original = (await say(client, mei, cid, "明天送货")).json()
    other = (await say(client, ben, cid, "好的")).json()
    position = (await sync(client, ben, cid))["position"]

    edited = await client.patch(
        f"/api/v1/conversations/{cid}/messages/{original['seq']}",
        headers=mei.headers,
        json={"text": "后天送货"},
    )
    assert (
        edited.status_code == 200
        and edited.json()["edited_at"]
        and edited.json()["seq"] == original["seq"]
    )
    not_mine = await client.patch(
        f"/api/v1/conversations/{cid}/messages/{other['seq']}",
        headers=mei.headers,
        json={"text": "x"},
    )
    assert not_mine.status_code == 403
    changes = await sync(client, ben, cid, after=position)
    assert [(m["seq"], m["text"]) for m in changes["messages"]] == [(original["seq"], "后天送货")]

    deleted = await client.delete(
        f"/api/v1/conversations/{cid}/messages/{original['seq']}", headers=mei.headers
    )
    assert deleted.json()["deleted"] is True and deleted.json()["text"] == ""
    tomb = await sync(client, ben, cid, after=changes["position"])
    assert [(m["seq"], m["deleted"]) for m in tomb["messages"]] == [(original["seq"], True)]
    full = await sync(client, ben, cid)  # in order of change: each message once, latest state
    assert [(m["seq"], m["deleted"]) for m in full["messages"] if m["kind"] == "text"] == [
        (other["seq"], False),
        (original["seq"], True),
    ]
    cannot_edit = await client.patch(
        f"/api/v1/conversations/{cid}/messages/{original['seq']}",
        headers=mei.headers,
        json={"text": "again"},
    )
    assert cannot_edit.status_code == 409
    # a group admin may delete someone else's message
    by_owner = await client.delete(
        f"/api/v1/conversations/{cid}/messages/{other['seq']}", headers=owner.headers
    )
    assert by_owner.json()["deleted"] is True
    by_member = await client.delete(
        f"/api/v1/conversations/{cid}/messages/{original['seq'] - 1}", headers=ben.headers
    )
    assert by_member.status_code in (403, 404)


async def test_reactions(client: httpx.AsyncClient) -> None:
    mei, ben = await people(client, "mei", "ben")
    cid = await join_open_group(client, mei, ben)
    message = (await say(client, mei, cid, "新到的橙子")).json()
    base = f"/api/v1/conversations/{cid}/messages/{message['seq']}/reactions"
    liked = await client.put(f"{base}/👍", headers=ben.headers)
    assert liked.json()["reactions"] == {"👍": [ben.id]}
    assert (await client.put(f"{base}/👍", headers=ben.headers)).json()["version"] == liked.json()[
        "version"
    ]
    both = await client.put(f"{base}/👍", headers=mei.headers)
    assert both.json()["reactions"] == {"👍": [ben.id, mei.id]}
    removed = await client.delete(f"{base}/👍", headers=ben.headers)
    assert removed.json()["reactions"] == {"👍": [mei.id]}
    assert (await client.put(f"{base}/not%20emoji", headers=ben.headers)).status_code == 422


async def test_unread_counts_mute_and_read_markers(
    client: httpx.AsyncClient, clock: ShiftableClock
) -> None:
    mei, ben = await people(client, "mei", "ben")
    cid = await join_open_group(client, mei, ben)

    async def my_chat(who: Person) -> dict:  # type: ignore[type-arg]
        chats = (await client.get("/api/v1/conversations", headers=who.headers)).json()
        return next(c for c in chats if c["id"] == cid)

    muted = await client.put(
        f"/api/v1/conversations/{cid}/mute", headers=ben.headers, json={"forever": True}
    )
    assert muted.status_code == 200
    for i in range(3):
        await say(client, mei, cid, f"msg {i}", mentions=[ben.id] if i == 0 else [])
    chat = await my_chat(ben)
    assert chat["unread"] == 3 and chat["muted"] is True  # muted still counts unread
    # muted: plain messages notify no one, but being @mentioned still does (WeChat's rule)
    muted_notes = (await client.get("/api/v1/notifications", headers=ben.headers)).json()
    assert [(n["kind"], n["data"]["text"]) for n in muted_notes["notifications"]] == [
        ("mention", "msg 0")
    ]
    await client.post(
        "/api/v1/notifications/read",
        headers=ben.headers,
        json={"up_to": muted_notes["notifications"][0]["id"]},
    )
    assert (await my_chat(mei))["unread"] == 0  # my own messages are read
    marker = await client.post(
        f"/api/v1/conversations/{cid}/read", headers=ben.headers, json={"seq": chat["position"] - 1}
    )
    assert (await my_chat(ben))["unread"] == 1 and marker.json()["read_seq"] == chat["position"] - 1
    back = await client.post(
        f"/api/v1/conversations/{cid}/read", headers=ben.headers, json={"seq": 1}
    )
    assert back.json()["read_seq"] == chat["position"] - 1  # markers never go back

    # mute for an hour: after it, mentions notify again
    await client.put(
        f"/api/v1/conversations/{cid}/mute",
        headers=ben.headers,
        json={"until": "2099-01-01T00:00:00Z"},
    )
    await client.put(f"/api/v1/conversations/{cid}/mute", headers=ben.headers, json={"until": None})
    await say(client, mei, cid, "@ben 你要几箱？", mentions=[ben.id])
    notes = (await client.get("/api/v1/notifications", headers=ben.headers)).json()
    assert [(n["kind"], n["actor_id"]) for n in notes["notifications"]] == [
        ("mention", mei.id),
        ("mention", mei.id),
    ]
    assert notes["unread"] == 1
    await client.post(
        "/api/v1/notifications/read",
        headers=ben.headers,
        json={"up_to": notes["notifications"][-1]["id"]},
    )
    assert (await client.get("/api/v1/notifications", headers=ben.headers)).json()["unread"] == 0


async def test_direct_messages_notify_the_recipient(client: httpx.AsyncClient) -> None:
    mei, ben = await people(client, "mei", "ben")
    await client.post("/api/v1/friends/requests", headers=mei.headers, json={"user_id": ben.id})
    await client.post("/api/v1/friends/requests", headers=ben.headers, json={"user_id": mei.id})
    dm = (
        await client.post(
            "/api/v1/conversations/direct", headers=mei.headers, json={"user_id": ben.id}
        )
    ).json()["id"]
    same = (
        await client.post(
            "/api/v1/conversations/direct", headers=ben.headers, json={"user_id": mei.id}
        )
    ).json()["id"]
    assert dm == same
    await say(client, mei, dm, "在吗？")
    notes = (await client.get("/api/v1/notifications", headers=ben.headers)).json()["notifications"]
    assert [(n["kind"], n["conversation_id"]) for n in notes if n["kind"] != "friend_request"] == [
        ("direct_message", dm)
    ]
    chats = (await client.get("/api/v1/conversations", headers=ben.headers)).json()
    assert [(c["kind"], c["title"], c["unread"]) for c in chats] == [("direct", "mei", 1)]


async def test_read_receipts_are_private_unless_shared(client: httpx.AsyncClient) -> None:
    mei, ben = await people(client, "mei", "ben")
    cid = await join_open_group(client, mei, ben)
    sent = (await say(client, mei, cid, "收到请回复")).json()
    await client.post(
        f"/api/v1/conversations/{cid}/read", headers=ben.headers, json={"seq": sent["seq"]}
    )
    assert (
        await client.get(f"/api/v1/conversations/{cid}/receipts", headers=mei.headers)
    ).json() == []
    assert (await client.get("/api/v1/me/chat-preferences", headers=ben.headers)).json() == {
        "share_read_receipts": False
    }
    await client.put(
        "/api/v1/me/chat-preferences", headers=ben.headers, json={"share_read_receipts": True}
    )
    receipts = (
        await client.get(f"/api/v1/conversations/{cid}/receipts", headers=mei.headers)
    ).json()
    assert receipts == [{"user_id": ben.id, "read_seq": sent["seq"]}]


async def test_replies_and_mentions_are_checked(client: httpx.AsyncClient) -> None:
    mei, ben, out = await people(client, "mei", "ben", "outsider")
    cid = await join_open_group(client, mei, ben)
    first = (await say(client, mei, cid, "谁要鸡蛋")).json()
    reply = await say(client, ben, cid, "我要两盒", reply_to_seq=first["seq"], mentions=[mei.id])
    assert reply.status_code == 201 and reply.json()["reply_to_seq"] == first["seq"]
    unknown = await say(client, ben, cid, "?", reply_to_seq=first["seq"] + 100)
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "UNKNOWN_REPLY_TARGET"
    stranger = await say(client, ben, cid, "@outsider", mentions=[out.id])
    assert stranger.status_code == 422 and stranger.json()["error"]["code"] == "MENTION_NOT_MEMBER"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"text": ""}, "EMPTY_MESSAGE"),
        ({"text": "   "}, "EMPTY_MESSAGE"),
        ({"text": "长" * 4001}, "INVALID_INPUT"),  # over maxLength in the spec
        ({"text": "hi", "kind": "system"}, "UNKNOWN_MESSAGE_KIND"),
        ({"text": "hi", "kind": "image", "payload": {"key": "nope"}}, "INVALID_PAYLOAD"),
        ({"text": 5}, "INVALID_INPUT"),
    ],
)
async def test_bad_messages_get_clear_errors_and_store_nothing(
    client: httpx.AsyncClient,
    body: dict,
    code: str,  # type: ignore[type-arg]
) -> None:
    mei, ben = await people(client, "mei", "ben")
    cid = await join_open_group(client, mei, ben)
    before = (await sync(client, ben, cid))["position"]
    response = await client.post(
        f"/api/v1/conversations/{cid}/messages", headers=mei.headers, json=body
    )
    assert response.status_code == 422 and response.json()["error"]["code"] == code
    assert (await sync(client, ben, cid))["position"] == before


async def test_non_members_can_neither_read_nor_post(client: httpx.AsyncClient) -> None:
    mei, out = await people(client, "mei", "outsider")
    cid = await join_open_group(client, mei)
    assert (await say(client, out, cid, "hi")).status_code == 404
    assert (
        await client.get(f"/api/v1/conversations/{cid}/messages", headers=out.headers)
    ).status_code == 404
    assert (await say(client, out, 987654, "hi")).status_code == 404


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (3000, 2000), (20, 120, 40)).save(out, format="JPEG")
    return out.getvalue()


async def test_images_are_uploaded_checked_and_sent(client: httpx.AsyncClient) -> None:
    mei, ben, out = await people(client, "mei", "ben", "outsider")
    cid = await join_open_group(client, mei, ben)
    uploaded = await client.post(
        f"/api/v1/conversations/{cid}/images",
        headers=mei.headers,
        files={"file": ("p.jpg", _jpeg(), "image/jpeg")},
    )
    assert (
        uploaded.status_code == 201
        and max(uploaded.json()["width"], uploaded.json()["height"]) == 2048
    )
    sent = await say(
        client, mei, cid, "实拍", kind="image", payload={"key": uploaded.json()["key"]}
    )
    assert sent.status_code == 201 and sent.json()["payload"]["key"] == uploaded.json()["key"]
    assert (await client.get(uploaded.json()["url"])).status_code == 200
    fake = await client.post(
        f"/api/v1/conversations/{cid}/images",
        headers=mei.headers,
        files={"file": ("x.jpg", b"GIF89a nonsense", "image/jpeg")},
    )
    assert fake.status_code == 415
    assert (
        await client.post(
            f"/api/v1/conversations/{cid}/images",
            headers=out.headers,
            files={"file": ("p.jpg", _jpeg(), "image/jpeg")},
        )
    ).status_code == 404
    missing = "chat/" + "0" * 64 + ".jpg"
    ghost = await say(client, mei, cid, "", kind="image", payload={"key": missing})
    assert ghost.status_code == 422 and ghost.json()["error"]["code"] == "INVALID_PAYLOAD"


async def test_history_pages_backwards(client: httpx.AsyncClient) -> None:
    mei, ben = await people(client, "mei", "ben")
    cid = await join_open_group(client, mei, ben)
    for i in range(7):
        await say(client, mei, cid, f"m{i}")
    latest = (
        await client.get(f"/api/v1/conversations/{cid}/messages?limit=3", headers=ben.headers)
    ).json()
    assert texts(latest) == ["m4", "m5", "m6"] and latest["has_more"]
    older = (
        await client.get(
            f"/api/v1/conversations/{cid}/messages?limit=3&before={latest['messages'][0]['seq']}",
            headers=ben.headers,
        )
    ).json()
    assert texts(older) == ["m1", "m2", "m3"]


async def test_newcomers_see_the_conversation_from_when_they_joined(
    client: httpx.AsyncClient,
) -> None:
    mei, ben, late = await people(client, "mei", "ben", "late")
    cid = await join_open_group(client, mei, ben)
    await say(client, mei, cid, "before you came")
    code = (
        await client.post(f"/api/v1/groups/{cid}/invite-links", headers=mei.headers, json={})
    ).json()["code"]
    await client.post(f"/api/v1/invites/{code}/join", headers=late.headers, json={})
    await say(client, mei, cid, "welcome")
    assert texts(await sync(client, late, cid)) == ["welcome"]
