"""The Following feed (issue 16, ADR 0013): notes by people I follow, newest first, paged by a
cursor, only those I may see, less the words and people I muted.

The world (tests.e2e.notes.test_notes_api): Amy writes notes; Fay is her friend; Sam a stranger.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.notes.test_follows import follow
from tests.e2e.notes.test_notes_api import ZH, publish, refusal, world
from tests.factories import Person, people
from tests.integration.commerce.test_query_budgets import counting
from tuan.bootstrap import Container
from tuan.notes import mutes
from tuan.notes.service import publish_note


async def feed(client: httpx.AsyncClient, who: Person, **params: Any) -> dict[str, Any]:
    got = await client.get("/api/v1/notes/following", headers=who.headers, params=params)
    assert got.status_code == 200, got.text
    body: dict[str, Any] = got.json()
    return body


async def titles(client: httpx.AsyncClient, who: Person) -> list[str]:
    return [n["title"] for n in (await feed(client, who, limit=50))["notes"]]


async def test_the_feed_holds_followed_peoples_notes_each_reader_may_see_newest_first(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    (bob,) = await people(client, "bob")  # not followed by anyone
    for title, audience in (("给大家", "everyone"), ("给朋友", "friends"), ("给自己", "me")):
        assert (await publish(client, w.amy, title=title, audience=audience)).status_code == 201
    await publish(client, bob, title="Bob 的", audience="everyone")
    await publish(client, w.sam, title="Sam 自己的", audience="everyone")
    for reader in (w.fay, w.sam):
        assert (await follow(client, reader.headers, w.amy.id)).status_code == 200

    assert await titles(client, w.fay) == ["给朋友", "给大家"]  # friend and follower
    assert await titles(client, w.sam) == ["给大家"]  # a follower, a stranger to Amy
    assert await titles(client, w.amy) == []  # follows nobody; her own notes are not here
    assert (await client.get("/api/v1/notes/following")).status_code == 401  # signed out

    # A friend no longer: the friends' note leaves Fay's feed. Unfollowed: Amy's notes go.
    await client.delete(f"/api/v1/friends/{w.fay.id}", headers=w.amy.headers)
    assert await titles(client, w.fay) == ["给大家"]
    await client.delete(f"/api/v1/people/{w.amy.id}/follow", headers=w.sam.headers)
    assert await titles(client, w.sam) == []
    # A block after the follow: nothing of Amy's reaches Fay through the feed.
    await client.put(f"/api/v1/blocks/{w.fay.id}", headers=w.amy.headers)
    assert await titles(client, w.fay) == []


async def test_the_feed_is_paged_by_a_cursor_without_gaps_or_repeats(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    (bob,) = await people(client, "bob")
    for n in range(7):  # two authors, interleaved
        await publish(client, w.amy if n % 2 else bob, title=f"第{n}篇", audience="everyone")
    for author in (w.amy, bob):
        await follow(client, w.sam.headers, author.id)
    seen: list[str] = []
    page = await feed(client, w.sam, limit=3)
    while True:
        seen += [n["title"] for n in page["notes"]]
        if page["next_before"] is None:
            break
        page = await feed(client, w.sam, limit=3, before=page["next_before"])
    assert seen == [f"第{n}篇" for n in reversed(range(7))]
    card = (await feed(client, w.sam, limit=1))["notes"][0]
    assert (card["author_username"], card["tags"], card["cover"]) == ("bob", [], None)
    for bad in ({"limit": 0}, {"limit": 51}, {"before": 0}):
        refused = await client.get("/api/v1/notes/following", headers=w.sam.headers, params=bad)
        assert refused.status_code == 422, bad


async def test_muted_words_and_people_leave_the_feed_of_who_muted_them_only(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    (bob,) = await people(client, "bob")
    notes = {
        "nuts": dict(title="每日坚果礼盒开箱", text="很脆"),
        "camp": dict(title="周末去山里", tags=["#露营"]),  # the word only as a tag
        "butter": dict(title="Peanut Butter 测评", text="100% 花生"),
        "plain": dict(title="普通的一天", text="没什么"),
    }
    for body in notes.values():
        assert (await publish(client, w.amy, audience="everyone", **body)).status_code == 201
    await publish(client, bob, title="Bob 的日常", audience="everyone")
    for reader in (w.fay, w.sam):
        for author in (w.amy, bob):
            await follow(client, reader.headers, author.id)

    for word in ("坚果", " 露营 ", "BUTTER", "坚果"):  # muting twice is a no-op
        muted = await client.post(
            "/api/v1/me/mutes/keywords", headers=w.fay.headers, json={"keyword": word}
        )
        assert muted.status_code == 200, muted.text
    assert (await client.put(f"/api/v1/people/{bob.id}/mute", headers=w.fay.headers)).status_code
    mine = (await client.get("/api/v1/me/mutes", headers=w.fay.headers)).json()
    assert mine["keywords"] == ["坚果", "露营", "butter"]
    assert [p["username"] for p in mine["people"]] == ["bob"]

    assert await titles(client, w.fay) == ["普通的一天"]
    assert len(await titles(client, w.sam)) == 5  # Sam muted nothing
    # Bob is muted, not gone: his profile still shows his notes to Fay.
    bobs = await client.get(f"/api/v1/people/{bob.id}/notes-profile", headers=w.fay.headers)
    assert [n["title"] for n in bobs.json()["notes"]["notes"]] == ["Bob 的日常"]

    # "%" and "_" in a muted word are the characters themselves, not wildcards.
    for word in ("%", "_"):
        await client.post(
            "/api/v1/me/mutes/keywords", headers=w.sam.headers, json={"keyword": word}
        )
    assert "Peanut Butter 测评" not in await titles(client, w.sam)
    assert len(await titles(client, w.sam)) == 4

    for path in ("keywords/BUTTER", "keywords/%E5%9D%9A%E6%9E%9C", "keywords/never-muted"):
        gone = await client.delete(f"/api/v1/me/mutes/{path}", headers=w.fay.headers)
        assert gone.status_code == 204, gone.text
    await client.delete(f"/api/v1/people/{bob.id}/mute", headers=w.fay.headers)
    assert await titles(client, w.fay) == [
        "Bob 的日常",
        "普通的一天",
        "Peanut Butter 测评",
        "每日坚果礼盒开箱",
    ]


async def test_bad_mutes_are_refused_and_change_nothing(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    for keyword in ("   ", "词" * 41, "two\nlines"):
        refused = await client.post(
            "/api/v1/me/mutes/keywords", headers=w.fay.headers, json={"keyword": keyword}
        )
        assert refused.status_code == 422, (keyword, refused.text)
    myself = await client.put(f"/api/v1/people/{w.fay.id}/mute", headers={**w.fay.headers, **ZH})
    assert refusal(myself)[:2] == (422, "MUTE_SELF")
    assert myself.json()["error"]["message"] == "不能屏蔽自己。"
    nobody = await client.put("/api/v1/people/0/mute", headers=w.fay.headers)
    assert refusal(nobody)[:2] == (404, "USER_NOT_FOUND")
    assert (await client.get("/api/v1/me/mutes")).status_code == 401
    mine = (await client.get("/api/v1/me/mutes", headers=w.fay.headers)).json()
    assert mine == {"keywords": [], "people": []}


async def test_a_long_run_of_notes_the_reader_may_not_see_is_walked_past_page_by_page(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    await publish(client, w.amy, title="给大家", audience="everyone")
    for n in range(80):  # more than the feed reads for one page of one (8 batches of 8)
        await container.run(publish_note, author_id=w.amy.id, title=f"私密 {n}", audience="me")
    await follow(client, w.sam.headers, w.amy.id)
    shown: list[str] = []
    page = await feed(client, w.sam, limit=1)
    pages = 1
    while True:
        shown += [n["title"] for n in page["notes"]]
        if page["next_before"] is None:
            break
        page = await feed(client, w.sam, limit=1, before=page["next_before"])
        pages += 1
    assert shown == ["给大家"]
    assert pages > 1  # a short page said where to go on from


async def test_the_feed_search_and_profile_cost_the_same_statements_for_one_author_or_six(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    others = await people(client, "ann", "bob", "cyd", "dee", "eve")
    paths = [
        "/api/v1/notes/following",
        "/api/v1/notes/search?q=坚果",
        f"/api/v1/people/{w.amy.id}/notes-profile",
    ]
    costs = []
    for authors in ([w.amy], others):
        for author in authors:
            for n in range(3):
                await publish(client, author, title=f"坚果 {n}", audience="everyone")
            await follow(client, w.sam.headers, author.id)
        cost = []
        for path in paths:
            with counting(container) as statements:
                response = await client.get(path, headers=w.sam.headers)
            assert response.status_code == 200, response.text
            cost.append(len(statements))
        costs.append(cost)
    assert costs[0] == costs[1], costs


async def test_muted_words_are_bounded_and_muting_one_again_is_fine_at_the_bound(
    client: httpx.AsyncClient, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = await world(client, container)
    monkeypatch.setattr(mutes, "MAX_WORDS", 2)  # 200 in use; each is a LIKE on every candidate

    async def mute(word: str) -> httpx.Response:
        return await client.post(
            "/api/v1/me/mutes/keywords", headers={**w.fay.headers, **ZH}, json={"keyword": word}
        )

    for word in ("坚果", "露营", "坚果"):
        assert (await mute(word)).status_code == 200
    full = await mute("零食")
    assert refusal(full)[:2] == (409, "MUTES_FULL")
    assert full.json()["error"]["message"] == "你已屏蔽 2 个词，已达上限；请先取消一些。"
    mine = (await client.get("/api/v1/me/mutes", headers=w.fay.headers)).json()
    assert mine["keywords"] == ["坚果", "露营"]
