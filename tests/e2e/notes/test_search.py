"""Searching notes (issue 16, ADR 0013): by words and tags, in Chinese and English (坚果 finds
每日坚果礼盒开箱), only notes the searcher may see, less what they muted, newest first, paged.

The world (tests.e2e.notes.test_notes_api): Amy writes notes; Fay is her friend; Sam a stranger.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e.notes.test_follows import follow
from tests.e2e.notes.test_notes_api import ZH, World, publish, refusal, world
from tuan.bootstrap import Container
from tuan.notes import search as note_search


async def found(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> list[str]:
    got = await client.get("/api/v1/notes/search", headers=headers, params=params)
    assert got.status_code == 200, (params, got.text)
    return [n["title"] for n in got.json()["notes"]]


async def amys_notes(client: httpx.AsyncClient, w: World) -> None:
    for body in (
        dict(title="每日坚果礼盒开箱", text="口感很脆", tags=["#零食"], audience="everyone"),
        dict(title="Mixed nuts, honestly", text="Crunchy.", audience="everyone"),
        dict(title="周末去山里", text="风很大", tags=["#露营", "#Camping"], audience="friends"),
        dict(title="坚果日记", text="只给自己", audience="me"),
    ):
        assert (await publish(client, w.amy, **body)).status_code == 201


async def test_chinese_and_english_words_and_tags_find_notes(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    await amys_notes(client, w)
    await publish(client, w.sam, title="露营灯推荐", text="很亮", audience="everyone")
    amy = w.amy.headers

    assert await found(client, amy, q="坚果") == ["坚果日记", "每日坚果礼盒开箱"]
    assert await found(client, amy, q="礼盒 开箱") == ["每日坚果礼盒开箱"]
    assert await found(client, amy, q="NUT") == ["Mixed nuts, honestly"]  # a word's start
    assert await found(client, amy, q="crunchy") == ["Mixed nuts, honestly"]  # the words too
    assert await found(client, amy, q="零食") == ["每日坚果礼盒开箱"]  # tags are searched too
    # A tag must be the note's tag: 露营 in Sam's title is not his tag.
    assert await found(client, amy, tag="#露营") == ["周末去山里"]
    assert await found(client, amy, tag="camping") == ["周末去山里"]
    assert await found(client, amy, q="露营") == ["露营灯推荐", "周末去山里"]
    assert await found(client, amy, q="风", tag="露营") == ["周末去山里"]
    assert await found(client, amy, q="坚果", tag="露营") == []
    assert await found(client, amy, q="!!!") == []  # nothing searchable: nothing found


async def test_search_finds_only_notes_the_searcher_may_see(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    await amys_notes(client, w)
    await follow(client, w.sam.headers, w.amy.id)  # following shows no more than a stranger sees
    expected = {
        "amy": ["坚果日记", "每日坚果礼盒开箱"],
        "fay": ["每日坚果礼盒开箱"],  # her friend: not Amy's own
        "sam": ["每日坚果礼盒开箱"],  # a follower
        "signed out": ["每日坚果礼盒开箱"],
    }
    readers = {"amy": w.amy.headers, "fay": w.fay.headers, "sam": w.sam.headers, "signed out": {}}
    for reader, headers in readers.items():
        assert await found(client, headers, q="坚果") == expected[reader], reader
    camping = {"amy": ["周末去山里"], "fay": ["周末去山里"], "sam": [], "signed out": []}
    for reader, headers in readers.items():
        assert await found(client, headers, tag="露营") == camping[reader], reader
    # A deleted note is found by nobody, its author included.
    nuts = (await publish(client, w.amy, title="坚果 第二篇", audience="everyone")).json()["id"]
    await client.delete(f"/api/v1/notes/{nuts}", headers=w.amy.headers)
    assert await found(client, w.amy.headers, q="第二篇") == []


async def test_search_leaves_out_what_the_searcher_muted_and_pages_newest_first(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    for n in range(5):
        await publish(client, w.amy, title=f"坚果 {n}", audience="everyone")
    await publish(client, w.sam, title="坚果 Sam", audience="everyone")
    await client.put(f"/api/v1/people/{w.sam.id}/mute", headers=w.fay.headers)
    await client.post("/api/v1/me/mutes/keywords", headers=w.fay.headers, json={"keyword": "2"})
    assert await found(client, w.fay.headers, q="坚果") == ["坚果 4", "坚果 3", "坚果 1", "坚果 0"]
    assert len(await found(client, w.amy.headers, q="坚果")) == 6  # Amy muted nothing

    titles: list[str] = []
    params: dict[str, Any] = {"q": "坚果", "limit": 4}
    while True:
        page = (await client.get("/api/v1/notes/search", params=params)).json()
        titles += [n["title"] for n in page["notes"]]
        if page["next_before"] is None:
            break
        params["before"] = page["next_before"]
    assert titles == ["坚果 Sam", "坚果 4", "坚果 3", "坚果 2", "坚果 1", "坚果 0"]


async def test_a_search_needs_words_or_a_tag_and_a_bad_tag_is_refused(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    for params in ({}, {"q": "   "}):
        refused = await client.get("/api/v1/notes/search", headers=ZH, params=params)
        assert refusal(refused)[:2] == (422, "NOTE_SEARCH_EMPTY"), params
        assert refused.json()["error"]["message"] == "请输入要找的词或标签，或两者都填。"
    for params in ({"tag": "two words"}, {"q": "坚" * 101}, {"limit": 0}):
        refused = await client.get("/api/v1/notes/search", headers=w.sam.headers, params=params)
        assert refused.status_code == 422, (params, refused.text)


async def test_a_note_with_an_absurdly_long_word_publishes_and_its_other_words_are_found(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    published = await publish(
        client, w.amy, title="长词 test", text="0" * 5000, audience="everyone"
    )
    assert published.status_code == 201, published.text  # PostgreSQL indexes no 5 kB word
    assert await found(client, w.sam.headers, q="长词") == ["长词 test"]
    edited = await client.patch(
        f"/api/v1/notes/{published.json()['id']}",
        headers=w.amy.headers,
        json={"title": "改过 test", "text": "9" * 5000},
    )
    assert edited.status_code == 200, edited.text  # nor an edit's
    assert await found(client, w.sam.headers, q="改过") == ["改过 test"]


async def test_every_way_search_reads_the_index_gives_the_same_pages(
    client: httpx.AsyncClient, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Search reads a window of the newest notes, every match from the full-text index, or
    walks all notes, depending on how common the words are; small limits here reach each."""
    w = await world(client, container)
    for n in range(7):
        await publish(client, w.amy, title=f"坚果 {n}", audience="everyone" if n % 3 else "me")
        await publish(client, w.fay, title=f"别的 {n}", audience="everyone")

    async def pages(limit: int) -> list[list[str]]:
        found: list[list[str]] = []
        params: dict[str, Any] = {"q": "坚果", "limit": limit}
        while True:
            page = (
                await client.get("/api/v1/notes/search", headers=w.sam.headers, params=params)
            ).json()
            found.append([n["title"] for n in page["notes"]])
            if page["next_before"] is None:
                return found
            params["before"] = page["next_before"]

    expected = [["坚果 5", "坚果 4"], ["坚果 2", "坚果 1"]]
    for window, max_hits in ((10_000, 2000), (3, 2000), (3, 2), (1, 1)):
        monkeypatch.setattr(note_search, "WINDOW", window)
        monkeypatch.setattr(note_search, "MAX_HITS", max_hits)
        got = await pages(2)
        assert got == expected, (window, max_hits)
