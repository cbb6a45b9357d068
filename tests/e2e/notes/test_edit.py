"""Editing a note (issue 16): the author changes it, readers see that it was edited, the author
keeps the history; linked products are fixed at publishing; nobody else may edit."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from tests.e2e.loop.loopkit import upload_photo
from tests.e2e.notes.test_notes_api import ZH, publish, refusal, world
from tests.factories import join_open_group
from tests.fakes import ShiftableClock
from tuan.bootstrap import Container
from tuan.core.search import matches, parse_query, search_text
from tuan.notes.models import NOTE_SEARCH_FTS, Note, NoteRevision


async def edit(
    client: httpx.AsyncClient, headers: dict[str, str], note_id: int, **body: Any
) -> httpx.Response:
    return await client.patch(f"/api/v1/notes/{note_id}", headers=headers, json=body)


async def _found(container: Container, words: str) -> list[int]:
    """The notes whose indexed words match, whoever may see them (the index alone)."""
    async with container.db.read_sessions() as session:
        where = matches(
            session.bind.dialect,
            key=Note.id,
            column=Note.search_text,
            fts_table=NOTE_SEARCH_FTS,
            query=parse_query(words),
        )
        return list(await session.scalars(select(Note.id).where(where)))


async def _revisions(container: Container) -> int:
    async with container.db.read_sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(NoteRevision)) or 0)


async def test_the_author_edits_readers_see_edited_and_the_author_keeps_the_history(
    client: httpx.AsyncClient, container: Container, clock: ShiftableClock
) -> None:
    w = await world(client, container)
    published = await publish(
        client,
        w.amy,
        title="坚果开箱",
        text="还不错",
        tags=["#坚果"],
        product_ids=[w.nuts],
        audience="everyone",
        area="上海",
    )
    note = published.json()
    assert note["edited_at"] is None
    clock.advance(hours=1)

    edited = await edit(
        client, w.amy.headers, note["id"], title="每日坚果礼盒开箱", tags=["#坚果", "#Snacks"]
    )
    assert edited.status_code == 200, edited.text
    after = edited.json()
    assert (after["title"], after["text"], after["tags"]) == (
        "每日坚果礼盒开箱",
        "还不错",
        ["坚果", "snacks"],
    )
    assert after["edited_at"] is not None and after["edited_at"] > after["created_at"]
    assert after["products"] == note["products"]  # the same products, the same shares
    read = (await client.get(f"/api/v1/notes/{note['id']}")).json()  # signed out
    assert (read["title"], read["edited_at"]) == ("每日坚果礼盒开箱", after["edited_at"])
    async with container.db.read_sessions() as session:
        row = await session.get(Note, note["id"])
    assert row is not None
    assert row.search_text == search_text("每日坚果礼盒开箱", "还不错", "坚果 snacks")
    assert await _found(container, "礼盒") == [note["id"]]  # the full-text index followed

    clock.advance(hours=1)
    again = await edit(client, w.amy.headers, note["id"], text="很好吃，会回购", area="")
    assert (again.json()["text"], again.json()["area"]) == ("很好吃，会回购", None)
    history = await client.get(f"/api/v1/notes/{note['id']}/revisions", headers=w.amy.headers)
    assert history.status_code == 200, history.text
    assert [(r["title"], r["text"], r["tags"]) for r in history.json()] == [
        ("每日坚果礼盒开箱", "还不错", ["坚果", "snacks"]),
        ("坚果开箱", "还不错", ["坚果"]),
    ]
    assert history.json()[0]["replaced_at"] == again.json()["edited_at"]

    # Only who may see it and nothing else: not an edit of the note; and {} changes nothing.
    clock.advance(hours=1)
    narrowed = await edit(client, w.amy.headers, note["id"], audience="friends")
    assert narrowed.json()["audience"] == "friends"
    assert narrowed.json()["edited_at"] == again.json()["edited_at"]
    assert (await edit(client, w.amy.headers, note["id"])).json() == narrowed.json()
    assert await _revisions(container) == 2
    gone = await client.get(f"/api/v1/notes/{note['id']}", headers=w.sam.headers)
    assert refusal(gone) == (404, "NOTE_NOT_FOUND", None)
    # Deleted, its words leave the index too.
    assert (await client.delete(f"/api/v1/notes/{note['id']}", headers=w.amy.headers)).is_success
    assert await _found(container, "礼盒") == []


async def test_photos_and_chosen_groups_change_by_the_publishing_rules(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    group = await join_open_group(client, w.amy, w.sam)
    red = await upload_photo(client, w.amy, group)
    blue = await upload_photo(client, w.amy, group, colour=(20, 20, 200))
    note = (
        await publish(client, w.amy, photos=[red], photo_alts=["红色"], audience="everyone")
    ).json()

    described = await edit(client, w.amy.headers, note["id"], photo_alts=["一张红图"])
    assert [(p["key"], p["alt"]) for p in described.json()["photos"]] == [(red, "一张红图")]
    swapped = await edit(client, w.amy.headers, note["id"], photos=[blue, red])
    assert [(p["key"], p["alt"]) for p in swapped.json()["photos"]] == [(blue, ""), (red, "")]
    mismatch = await edit(client, w.amy.headers, note["id"], photo_alts=["a", "b", "c"])
    assert refusal(mismatch)[:2] == (422, "PHOTO_ALTS_MISMATCH")

    to_group = await edit(client, w.amy.headers, note["id"], audience="groups", group_ids=[group])
    assert to_group.json()["group_ids"] == [group]
    assert (
        await client.get(f"/api/v1/notes/{note['id']}", headers=w.sam.headers)
    ).status_code == 200
    assert (
        await client.get(f"/api/v1/notes/{note['id']}", headers=w.fay.headers)
    ).status_code == 404
    # Its words change; its groups stay chosen.
    kept = await edit(client, w.amy.headers, note["id"], title="新标题")
    assert (kept.json()["audience"], kept.json()["group_ids"]) == ("groups", [group])
    back = await edit(client, w.amy.headers, note["id"], audience="friends")
    assert (back.json()["audience"], back.json()["group_ids"]) == ("friends", [])
    assert (
        await client.get(f"/api/v1/notes/{note['id']}", headers=w.fay.headers)
    ).status_code == 200


async def test_bad_edits_are_refused_naming_the_problem_and_change_nothing(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    sams_group = await join_open_group(client, w.sam)
    note = (
        await publish(client, w.amy, title="原标题", product_ids=[w.nuts], audience="friends")
    ).json()
    cases: list[tuple[dict[str, Any], tuple[int, str, str | None]]] = [
        ({"title": "  "}, (422, "NOTE_EMPTY", "title")),
        ({"product_ids": [w.tea["id"]]}, (422, "NOTE_PRODUCTS_FIXED", "product_ids")),
        ({"product_ids": [w.nuts]}, (422, "NOTE_PRODUCTS_FIXED", "product_ids")),
        ({"audience": "groups"}, (422, "NOTE_GROUPS_MISSING", "group_ids")),
        ({"group_ids": [sams_group]}, (422, "NOTE_GROUPS_UNEXPECTED", "group_ids")),
        (
            {"audience": "groups", "group_ids": [sams_group]},
            (422, "NOTE_GROUP_NOT_YOURS", "group_ids.0"),
        ),
        ({"tags": ["two words"]}, (422, "NOTE_TAG_INVALID", None)),
    ]
    for body, expected in cases:
        refused = await edit(client, w.amy.headers, note["id"], **{"title": "改了", **body})
        assert refusal(refused)[:2] == expected[:2], (body, refused.text)
        if expected[2] is not None:
            assert refusal(refused)[2] == expected[2], refused.text
    for body in ({"tags": [f"t{n}" for n in range(6)]}, {"title": "标" * 101}, {"likes": 5}):
        assert (await edit(client, w.amy.headers, note["id"], **body)).status_code == 422, body
    in_chinese = await edit(client, {**w.amy.headers, **ZH}, note["id"], product_ids=[w.nuts])
    assert in_chinese.json()["error"]["message"].startswith("笔记发布后关联商品不能再改")

    # Fay may read it but not change it or its history; Sam is not told it exists.
    assert refusal(await edit(client, w.fay.headers, note["id"], title="x")) == (
        403,
        "NOTE_EDIT_NOT_YOURS",
        None,
    )
    revisions = f"/api/v1/notes/{note['id']}/revisions"
    fays = await client.get(revisions, headers=w.fay.headers)
    assert refusal(fays) == (403, "NOTE_EDIT_NOT_YOURS", None)
    for call in (
        edit(client, w.sam.headers, note["id"], title="x"),
        client.get(revisions, headers=w.sam.headers),
    ):
        assert refusal(await call) == (404, "NOTE_NOT_FOUND", None)
    assert (await edit(client, {}, note["id"], title="x")).status_code == 401

    unchanged = (await client.get(f"/api/v1/notes/{note['id']}", headers=w.amy.headers)).json()
    assert (unchanged["title"], unchanged["edited_at"]) == ("原标题", None)
    assert await _revisions(container) == 0
    assert (await client.get(revisions, headers=w.amy.headers)).json() == []

    # A deleted note is not there to edit, and its earlier versions go with its words.
    assert (await edit(client, w.amy.headers, note["id"], title="新的")).status_code == 200
    assert await _revisions(container) == 1
    assert (
        await client.delete(f"/api/v1/notes/{note['id']}", headers=w.amy.headers)
    ).status_code == 204
    assert refusal(await edit(client, w.amy.headers, note["id"], title="x"))[:2] == (
        404,
        "NOTE_NOT_FOUND",
    )
    assert await _revisions(container) == 0
