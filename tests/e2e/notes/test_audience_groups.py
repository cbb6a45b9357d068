"""A note to chosen groups, and each person's default audience (issue 16).

Amy writes; Gus is in her hiking group; Fay is her friend, not in the group; Sam is a stranger
who runs a group of his own.
"""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from tests.e2e.notes.test_notes_api import ZH, counts, publish, refusal, world
from tests.factories import join_open_group, people
from tuan.bootstrap import Container
from tuan.notes.models import NoteAudienceGroup


async def _read(client: httpx.AsyncClient, note_id: int, headers: dict[str, str]) -> int:
    return (await client.get(f"/api/v1/notes/{note_id}", headers=headers)).status_code


async def test_a_note_to_chosen_groups_is_seen_by_their_members_now_only(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    (gus,) = await people(client, "gus")
    hiking = await join_open_group(client, w.amy, gus)
    books = await join_open_group(client, w.amy)
    published = await publish(
        client, w.amy, title="徒步鞋", audience="groups", group_ids=[hiking, books]
    )
    assert published.status_code == 201, published.text
    note = published.json()
    assert (note["audience"], note["group_ids"]) == ("groups", sorted([hiking, books]))
    note_id = note["id"]

    assert await _read(client, note_id, gus.headers) == 200
    seen_by_gus = (await client.get(f"/api/v1/notes/{note_id}", headers=gus.headers)).json()
    assert seen_by_gus["group_ids"] == []  # which groups it went to is the author's to know
    for outsider in (w.fay.headers, w.sam.headers, {}):  # a friend outside the groups too
        read = await client.get(f"/api/v1/notes/{note_id}", headers=outsider)
        assert refusal(read) == (404, "NOTE_NOT_FOUND", None)
        assert "徒步鞋" not in read.text

    # Members now: Sam joins the group and sees it; Gus leaves and no longer does.
    code = (
        await client.post(f"/api/v1/groups/{hiking}/invite-links", headers=w.amy.headers, json={})
    ).json()["code"]
    joined = await client.post(f"/api/v1/invites/{code}/join", headers=w.sam.headers, json={})
    assert joined.json()["status"] == "joined", joined.text
    assert await _read(client, note_id, w.sam.headers) == 200
    left = await client.delete(f"/api/v1/groups/{hiking}/members/{gus.id}", headers=gus.headers)
    assert left.status_code == 204, left.text
    assert await _read(client, note_id, gus.headers) == 404


async def test_groups_must_be_the_authors_own_now_and_only_for_that_audience(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    mine = await join_open_group(client, w.amy)
    sams = await join_open_group(client, w.sam)
    before = await counts(container)

    not_in = await publish(client, w.amy, audience="groups", group_ids=[mine, sams])
    assert refusal(not_in) == (422, "NOTE_GROUP_NOT_YOURS", "group_ids.1")
    assert str(sams) in not_in.json()["error"]["message"]
    in_chinese = await publish(client, w.amy, headers=ZH, audience="groups", group_ids=[sams])
    assert in_chinese.json()["error"]["message"] == (
        f"你现在不是群 {sams} 的成员：只能选择你所在的群。"
    )
    # A group that does not exist reads the same: nothing is told about others' groups.
    nowhere = await publish(client, w.amy, audience="groups", group_ids=[2**40])
    assert refusal(nowhere) == (422, "NOTE_GROUP_NOT_YOURS", "group_ids.0")
    assert refusal(await publish(client, w.amy, audience="groups")) == (
        422,
        "NOTE_GROUPS_MISSING",
        "group_ids",
    )
    assert refusal(await publish(client, w.amy, audience="friends", group_ids=[mine])) == (
        422,
        "NOTE_GROUPS_UNEXPECTED",
        "group_ids",
    )
    eleven = await publish(client, w.amy, audience="groups", group_ids=list(range(1, 12)))
    assert eleven.status_code == 422, eleven.text
    assert await counts(container) == before
    async with container.db.read_sessions() as session:
        chosen = await session.scalar(select(func.count()).select_from(NoteAudienceGroup))
    assert chosen == 0


async def test_a_note_without_an_audience_goes_to_the_authors_default_friends_until_changed(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    settings = await client.get("/api/v1/me/note-settings", headers=w.amy.headers)
    assert settings.json() == {"default_audience": "friends", "nudges": True}

    first = (await publish(client, w.amy, title="默认")).json()
    assert first["audience"] == "friends"
    assert await _read(client, first["id"], w.fay.headers) == 200
    assert await _read(client, first["id"], w.sam.headers) == 404

    changed = await client.put(
        "/api/v1/me/note-settings", headers=w.amy.headers, json={"default_audience": "me"}
    )
    assert changed.json() == {"default_audience": "me", "nudges": True}
    quiet = await client.put(
        "/api/v1/me/note-settings", headers=w.amy.headers, json={"nudges": False}
    )
    assert quiet.json() == {"default_audience": "me", "nudges": False}  # the audience stays
    second = (await publish(client, w.amy, title="只给自己")).json()
    assert second["audience"] == "me"
    assert await _read(client, second["id"], w.fay.headers) == 404
    # Saying who it is for beats the default; and Fay's own default is untouched.
    third = (await publish(client, w.amy, audience="everyone")).json()
    assert await _read(client, third["id"], {}) == 200
    fays = await client.get("/api/v1/me/note-settings", headers=w.fay.headers)
    assert fays.json() == {"default_audience": "friends", "nudges": True}

    # Chosen groups are per note, so they are not a default; nonsense is refused.
    for body in ({"default_audience": "groups"}, {"default_audience": "all"}, {"nudges": 1}):
        refused = await client.put("/api/v1/me/note-settings", headers=w.amy.headers, json=body)
        assert refused.status_code == 422, (body, refused.text)
    signed_out = await client.get("/api/v1/me/note-settings")
    assert signed_out.status_code == 401
    kept = await client.get("/api/v1/me/note-settings", headers=w.amy.headers)
    assert kept.json() == {"default_audience": "me", "nudges": False}
