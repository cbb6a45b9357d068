"""Comments on notes (issue 16): one level deep, with replies and @mentions, told to whoever
may see the note; deleting one's own; blocked people's comments out of sight.

Amy writes the note to her friends Fay and Kim; Sam is a stranger to her.
"""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from tests.e2e.commerce.kit import settle
from tests.e2e.loop.loopkit import befriend
from tests.e2e.notes.test_notes_api import ZH, publish, refusal
from tests.e2e.notes.test_nudges import page_of
from tests.factories import Person, people
from tests.fakes import ShiftableClock
from tuan.bootstrap import Container
from tuan.notes.models import NoteComment

NUDGES = ("note_question", "note_digest")


async def _friends_note(client: httpx.AsyncClient) -> tuple[Person, Person, Person, Person, int]:
    amy, fay, kim, sam = await people(client, "amy", "fay", "kim", "sam")
    await befriend(client, amy, fay)
    await befriend(client, amy, kim)
    published = await publish(client, amy, title="每日坚果礼盒开箱", audience="friends")
    assert published.status_code == 201, published.text
    return amy, fay, kim, sam, int(published.json()["id"])


async def _comment(
    client: httpx.AsyncClient, who: Person, note_id: int, text: str, parent: int | None = None
) -> httpx.Response:
    body: dict[str, Any] = {"text": text} if parent is None else {"text": text, "parent_id": parent}
    return await client.post(f"/api/v1/notes/{note_id}/comments", headers=who.headers, json=body)


async def _told(client: httpx.AsyncClient, who: Person) -> list[tuple[str, int | None, Any]]:
    """What ``who`` was notified of about notes: (kind, actor, comment id)."""
    listed = await client.get("/api/v1/notifications", headers=who.headers)
    assert listed.status_code == 200, listed.text
    return sorted(
        (n["kind"], n["actor_id"], n["data"].get("comment_id"))
        for n in listed.json()["notifications"]
        if n["kind"].startswith("note_")
    )


async def _thread(
    client: httpx.AsyncClient, who: Person | None, note_id: int, **params: Any
) -> dict[str, Any]:
    read = await client.get(
        f"/api/v1/notes/{note_id}/comments", headers=who.headers if who else {}, params=params
    )
    assert read.status_code == 200, read.text
    body: dict[str, Any] = read.json()
    return body


def _said(thread: dict[str, Any]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [
        (c["status"], c["text"], [(r["author_username"], r["text"]) for r in c["replies"]])
        for c in thread["comments"]
    ]


async def test_comments_and_replies_are_one_level_deep_and_tell_the_right_people(
    client: httpx.AsyncClient, container: Container
) -> None:
    amy, fay, kim, sam, note = await _friends_note(client)
    asked = await _comment(client, fay, note, "  好吃吗？保质期多久？ ")
    assert asked.status_code == 201, asked.text
    question = asked.json()
    assert (question["text"], question["author_username"], question["parent_id"]) == (
        "好吃吗？保质期多久？",
        "fay",
        None,
    )
    # Amy answers and names Fay and Sam; Sam may not see the note, so he is told nothing.
    answered = await _comment(client, amy, note, "@fay 很脆，半年。@sam 你也看看", question["id"])
    assert answered.status_code == 201, answered.text
    answer = answered.json()
    assert (answer["parent_id"], answer["mentions"]) == (question["id"], [fay.id, sam.id])
    # Kim replies to Amy's reply: it joins Fay's thread, and Amy (replied to) is told.
    joined = await _comment(client, kim, note, "谢谢 @amy", answer["id"])
    assert joined.json()["parent_id"] == question["id"], joined.text

    assert await _told(client, amy) == sorted(
        [("note_comment", fay.id, question["id"]), ("note_reply", kim.id, joined.json()["id"])]
    )
    assert await _told(client, fay) == [("note_reply", amy.id, answer["id"])]
    assert await _told(client, sam) == []
    assert await _told(client, kim) == []
    said = await page_of(client, amy)  # the notifications page, in Chinese
    assert "fay 评论了你的笔记" in said and "kim 回复了你的评论" in said
    assert "amy 回复了你的评论" in await page_of(client, fay)

    thread = await _thread(client, kim, note)
    assert _said(thread) == [
        ("live", "好吃吗？保质期多久？", [("amy", answer["text"]), ("kim", "谢谢 @amy")])
    ]
    assert thread["next_after"] is None
    read = (await client.get(f"/api/v1/notes/{note}", headers=fay.headers)).json()
    assert read["comments"] == 3


async def test_a_note_one_may_not_see_takes_no_comment_and_shows_none(
    client: httpx.AsyncClient, container: Container
) -> None:
    amy, fay, _, sam, note = await _friends_note(client)
    first = (await _comment(client, fay, note, "第一条")).json()
    refused = await _comment(client, sam, note, "我也来")
    assert refusal(refused) == (404, "NOTE_NOT_FOUND", None)
    assert "每日坚果" not in refused.text
    for headers in (sam.headers, {}):
        hidden = await client.get(f"/api/v1/notes/{note}/comments", headers=headers)
        assert refusal(hidden) == (404, "NOTE_NOT_FOUND", None)
        assert "第一条" not in hidden.text
    gone = await client.delete(f"/api/v1/notes/{note}/comments/{first['id']}", headers=sam.headers)
    assert refusal(gone) == (404, "NOTE_NOT_FOUND", None)
    # Bad comments: named, in the reader's language, and nothing written.
    for body, expected in (
        ({"text": "   "}, (422, "COMMENT_EMPTY")),
        ({"text": "字" * 1001}, (422, "INVALID_INPUT")),
        ({"text": "回复", "parent_id": 2**40}, (404, "COMMENT_NOT_FOUND")),
    ):
        bad = await client.post(f"/api/v1/notes/{note}/comments", headers=fay.headers, json=body)
        assert refusal(bad)[:2] == expected, (body, bad.text)
    in_chinese = await client.post(
        f"/api/v1/notes/{note}/comments", headers={**fay.headers, **ZH}, json={"text": " "}
    )
    assert in_chinese.json()["error"]["message"] == "请写点评论内容。"
    async with container.db.read_sessions() as session:
        assert await session.scalar(select(func.count()).select_from(NoteComment)) == 1
    assert (await client.get(f"/api/v1/notes/{note}", headers=amy.headers)).json()["comments"] == 1


async def test_a_deleted_comment_with_replies_stays_as_a_tombstone(
    client: httpx.AsyncClient, container: Container
) -> None:
    amy, fay, kim, _, note = await _friends_note(client)
    top = (await _comment(client, fay, note, "要删的")).json()
    lonely = (await _comment(client, fay, note, "没人回的")).json()
    await _comment(client, amy, note, "回复一下", top["id"])
    not_hers = await client.delete(
        f"/api/v1/notes/{note}/comments/{top['id']}", headers=kim.headers
    )
    assert refusal(not_hers)[:2] == (403, "COMMENT_NOT_YOURS")
    for comment in (top, lonely):
        deleted = await client.delete(
            f"/api/v1/notes/{note}/comments/{comment['id']}", headers=fay.headers
        )
        assert deleted.status_code == 204, deleted.text
    again = await client.delete(f"/api/v1/notes/{note}/comments/{top['id']}", headers=fay.headers)
    assert refusal(again)[:2] == (404, "COMMENT_NOT_FOUND")
    thread = await _thread(client, kim, note)
    assert _said(thread) == [("deleted", "", [("amy", "回复一下")])]
    assert thread["comments"][0]["author_id"] is None
    assert (await client.get(f"/api/v1/notes/{note}", headers=kim.headers)).json()["comments"] == 1


async def test_comments_page_oldest_first(client: httpx.AsyncClient, container: Container) -> None:
    amy, fay, _, _, note = await _friends_note(client)
    for n in range(3):
        assert (await _comment(client, fay, note, f"第{n}条")).status_code == 201
    first = await _thread(client, amy, note, limit=2)
    assert [c["text"] for c in first["comments"]] == ["第0条", "第1条"]
    rest = await _thread(client, amy, note, limit=2, after=first["next_after"])
    assert ([c["text"] for c in rest["comments"]], rest["next_after"]) == (["第2条"], None)


async def test_comments_of_people_one_blocked_or_who_blocked_one_are_out_of_sight(
    client: httpx.AsyncClient, container: Container
) -> None:
    amy, fay, kim, _, note = await _friends_note(client)
    top = (await _comment(client, amy, note, "大家觉得呢？")).json()
    await _comment(client, kim, note, "kim 的回复", top["id"])
    await _comment(client, kim, note, "kim 的评论")
    await _comment(client, fay, note, "fay 的评论")
    blocked = await client.put(f"/api/v1/blocks/{kim.id}", headers=fay.headers)
    assert blocked.status_code == 204, blocked.text
    for reader in (fay, kim):  # both ways round
        other = "kim" if reader is fay else "fay"
        thread = await _thread(client, reader, note)
        assert f"{other} 的" not in str(thread), reader.username
    assert _said(await _thread(client, fay, note)) == [
        ("live", "大家觉得呢？", []),
        ("live", "fay 的评论", []),
    ]
    assert len((await _thread(client, amy, note))["comments"]) == 3  # Amy blocked nobody
    # Fay cannot reply to Kim's comment now, and Kim is told nothing by Fay.
    kims = [c for c in (await _thread(client, amy, note))["comments"] if c["text"] == "kim 的评论"]
    refused = await _comment(client, fay, note, "@kim 你好", kims[0]["id"])
    assert refusal(refused)[:2] == (404, "COMMENT_NOT_FOUND")
    await _comment(client, fay, note, "@kim 你好")
    assert await _told(client, kim) == []


async def test_an_unanswered_question_and_saves_and_helpful_marks_reach_the_author_next_day(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    amy, fay, kim, _, note = await _friends_note(client)
    asked = (await _comment(client, fay, note, "保质期多久？")).json()
    answered = (await _comment(client, kim, note, "哪里买的?")).json()
    await _comment(client, amy, note, "京东", answered["id"])
    await _comment(client, amy, note, "我自己问自己？")  # her own question is no nudge
    collection = (
        await client.post("/api/v1/collections", headers=fay.headers, json={"name": "零食"})
    ).json()["id"]
    saved = await client.put(f"/api/v1/collections/{collection}/notes/{note}", headers=fay.headers)
    assert saved.status_code == 204, saved.text
    helpful = await client.put(f"/api/v1/notes/{note}/helpful", headers=kim.headers)
    assert helpful.status_code == 204, helpful.text
    await settle(container)
    assert [kind for kind, _, _ in await _told(client, amy)] == ["note_comment"] * 2

    clock.advance(days=1, minutes=1)
    await settle(container)
    listed = (await client.get("/api/v1/notifications", headers=amy.headers)).json()
    nudged = {n["kind"]: n for n in listed["notifications"] if n["kind"] in NUDGES}
    assert nudged["note_question"]["data"]["comment_id"] == asked["id"]
    digest = nudged["note_digest"]["data"]
    assert (digest["saves"], digest["helpful"]) == (1, 1)
    assert [n["kind"] for n in listed["notifications"]].count("note_question") == 1
