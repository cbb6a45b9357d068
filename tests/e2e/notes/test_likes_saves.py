"""Liking a note, marking it helpful, saving it into collections (issue 16): idempotent acts,
only on notes one may see, counted once per person on the note, and collections private unless
made public.

Amy writes the notes; Fay is her friend; Sam is a stranger to her.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlalchemy import func, select

from tests.e2e.loop.loopkit import befriend
from tests.e2e.notes.test_notes_api import publish, refusal
from tests.factories import Person, people
from tuan.bootstrap import Container
from tuan.notes.models import CollectionNote


async def _note(client: httpx.AsyncClient, who: Person, audience: str, title: str) -> int:
    published = await publish(client, who, title=title, audience=audience)
    assert published.status_code == 201, published.text
    return int(published.json()["id"])


async def _read(client: httpx.AsyncClient, note_id: int, who: Person | None) -> dict[str, Any]:
    read = await client.get(f"/api/v1/notes/{note_id}", headers=who.headers if who else {})
    assert read.status_code == 200, read.text
    body: dict[str, Any] = read.json()
    return body


def _counts(note: dict[str, Any]) -> tuple[int, int, int, int]:
    return note["likes"], note["saves"], note["comments"], note["helpful"]


async def _saved_rows(container: Container) -> int:
    async with container.db.read_sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(CollectionNote)) or 0)


async def test_a_like_and_a_helpful_mark_count_once_and_undo_once(
    client: httpx.AsyncClient, container: Container
) -> None:
    amy, fay, sam = await people(client, "amy", "fay", "sam")
    await befriend(client, amy, fay)
    friends_only = await _note(client, amy, "friends", "给朋友看")
    for act in ("like", "helpful"):
        url = f"/api/v1/notes/{friends_only}/{act}"
        for _ in range(2):  # the second is a no-op, not an error
            put = await client.put(url, headers=fay.headers)
            assert put.status_code == 204, put.text
    fays = await _read(client, friends_only, fay)
    assert _counts(fays) == (1, 0, 0, 1)
    assert (fays["liked"], fays["marked_helpful"], fays["saved"]) == (True, True, False)
    amys = await _read(client, friends_only, amy)  # the totals are anonymous; hers are her own
    assert _counts(amys) == (1, 0, 0, 1)
    assert (amys["liked"], amys["marked_helpful"]) == (False, False)

    # Sam may not see the note: acting on it, or reading its counts, is "not found".
    for method in (client.put, client.delete):
        for act in ("like", "helpful"):
            refused = await method(f"/api/v1/notes/{friends_only}/{act}", headers=sam.headers)
            assert refusal(refused) == (404, "NOTE_NOT_FOUND", None)
    assert (
        await client.get(f"/api/v1/notes/{friends_only}", headers=sam.headers)
    ).status_code == 404
    signed_out = await client.put(f"/api/v1/notes/{friends_only}/like")
    assert signed_out.status_code == 401

    for act in ("like", "helpful"):
        for _ in range(2):  # taking back what is not there is a no-op too
            gone = await client.delete(f"/api/v1/notes/{friends_only}/{act}", headers=fay.headers)
            assert gone.status_code == 204, gone.text
    fays = await _read(client, friends_only, fay)
    assert _counts(fays) == (0, 0, 0, 0)
    assert (fays["liked"], fays["marked_helpful"]) == (False, False)


async def test_a_save_counts_once_per_person_across_their_collections(
    client: httpx.AsyncClient, container: Container
) -> None:
    amy, fay = await people(client, "amy", "fay")
    note = await _note(client, amy, "everyone", "每日坚果礼盒开箱")
    made = await client.post("/api/v1/collections", headers=fay.headers, json={"name": " 零食 "})
    assert made.status_code == 201, made.text
    snacks = made.json()
    assert (snacks["name"], snacks["public"], snacks["notes"]) == ("零食", False, [])
    gifts = (
        await client.post("/api/v1/collections", headers=fay.headers, json={"name": "礼物"})
    ).json()["id"]

    for collection in (snacks["id"], snacks["id"], gifts):
        saved = await client.put(
            f"/api/v1/collections/{collection}/notes/{note}", headers=fay.headers
        )
        assert saved.status_code == 204, saved.text
    fays = await _read(client, note, fay)
    assert (fays["saves"], fays["saved"]) == (1, True)
    assert (await _read(client, note, None))["saved"] is False

    mine = (await client.get("/api/v1/collections", headers=fay.headers)).json()
    assert [(c["name"], c["notes"], c["public"]) for c in mine] == [
        ("礼物", 1, False),
        ("零食", 1, False),
    ]
    read = (await client.get(f"/api/v1/collections/{snacks['id']}", headers=fay.headers)).json()
    assert [(n["note_id"], n["title"], n["author_username"]) for n in read["notes"]] == [
        (note, "每日坚果礼盒开箱", "amy")
    ]

    # Out of one collection it is still saved; when the last one goes, it is not.
    out = await client.delete(
        f"/api/v1/collections/{snacks['id']}/notes/{note}", headers=fay.headers
    )
    assert out.status_code == 204, out.text
    assert (await _read(client, note, fay))["saves"] == 1
    deleted = await client.delete(f"/api/v1/collections/{gifts}", headers=fay.headers)
    assert deleted.status_code == 204, deleted.text
    fays = await _read(client, note, fay)
    assert (fays["saves"], fays["saved"]) == (0, False)
    gone = await client.get(f"/api/v1/collections/{gifts}", headers=fay.headers)
    assert refusal(gone) == (404, "COLLECTION_NOT_FOUND", "collection_id")


async def test_collection_names_are_one_line_and_unique_per_owner(
    client: httpx.AsyncClient, container: Container
) -> None:
    fay, sam = await people(client, "fay", "sam")
    made = await client.post("/api/v1/collections", headers=fay.headers, json={"name": "零食"})
    first = made.json()["id"]
    other = (
        await client.post("/api/v1/collections", headers=fay.headers, json={"name": "礼物"})
    ).json()["id"]
    again = await client.post("/api/v1/collections", headers=fay.headers, json={"name": "零食 "})
    assert refusal(again) == (409, "COLLECTION_NAME_TAKEN", "name")
    renamed = await client.patch(
        f"/api/v1/collections/{other}", headers=fay.headers, json={"name": "零食"}
    )
    assert refusal(renamed) == (409, "COLLECTION_NAME_TAKEN", "name")
    samesame = await client.post("/api/v1/collections", headers=sam.headers, json={"name": "零食"})
    assert samesame.status_code == 201, samesame.text  # unique per owner, not across people
    for body in ({"name": "  "}, {"name": "名" * 41}, {"name": "两\n行"}, {"name": ""}):
        refused = await client.post("/api/v1/collections", headers=fay.headers, json=body)
        assert refused.status_code == 422, (body, refused.text)
    renamed = await client.patch(
        f"/api/v1/collections/{first}", headers=fay.headers, json={"name": "坚果"}
    )
    assert renamed.status_code == 200, renamed.text
    assert (renamed.json()["name"], renamed.json()["public"]) == ("坚果", False)
    # Two at the same moment: one is made, the other told the name is taken.
    both = await asyncio.gather(
        *(
            client.post("/api/v1/collections", headers=fay.headers, json={"name": "同名"})
            for _ in "ab"
        )
    )
    assert sorted(r.status_code for r in both) == [201, 409], [r.text for r in both]
    mine = (await client.get("/api/v1/collections", headers=fay.headers)).json()
    assert sorted(c["name"] for c in mine) == ["同名", "坚果", "礼物"]


async def test_someone_elses_collection_is_refused_and_a_private_one_is_not_found(
    client: httpx.AsyncClient, container: Container
) -> None:
    amy, fay, sam = await people(client, "amy", "fay", "sam")
    await befriend(client, amy, fay)
    open_note = await _note(client, amy, "everyone", "给大家看")
    friends_only = await _note(client, amy, "friends", "给朋友看")
    fays = (
        await client.post("/api/v1/collections", headers=fay.headers, json={"name": "好物"})
    ).json()["id"]
    sams = (
        await client.post("/api/v1/collections", headers=sam.headers, json={"name": "我的"})
    ).json()["id"]
    for note in (open_note, friends_only):
        saved = await client.put(f"/api/v1/collections/{fays}/notes/{note}", headers=fay.headers)
        assert saved.status_code == 204, saved.text
    before = await _saved_rows(container)

    # Fay's private collection: Sam (and anyone signed out) is not told it exists.
    for headers in (sam.headers, {}):
        hidden = await client.get(f"/api/v1/collections/{fays}", headers=headers)
        assert refusal(hidden) == (404, "COLLECTION_NOT_FOUND", "collection_id")
    into = await client.put(f"/api/v1/collections/{fays}/notes/{open_note}", headers=sam.headers)
    assert refusal(into) == (404, "COLLECTION_NOT_FOUND", "collection_id")
    # A note Sam may not see cannot go into his own collection either.
    unseen = await client.put(
        f"/api/v1/collections/{sams}/notes/{friends_only}", headers=sam.headers
    )
    assert refusal(unseen) == (404, "NOTE_NOT_FOUND", None)

    public = await client.patch(
        f"/api/v1/collections/{fays}", headers=fay.headers, json={"public": True}
    )
    assert public.json()["public"] is True, public.text
    # Public now: Sam reads it, but only the notes he may see, and still cannot change it.
    for headers in (sam.headers, {}):
        read = await client.get(f"/api/v1/collections/{fays}", headers=headers)
        assert [n["title"] for n in read.json()["notes"]] == ["给大家看"], read.text
        assert "给朋友看" not in read.text
    fay_reads = (await client.get(f"/api/v1/collections/{fays}", headers=fay.headers)).json()
    assert sorted(n["title"] for n in fay_reads["notes"]) == ["给大家看", "给朋友看"]
    into = await client.put(f"/api/v1/collections/{fays}/notes/{open_note}", headers=sam.headers)
    assert refusal(into) == (403, "COLLECTION_NOT_YOURS", "collection_id")
    for attempt in (
        client.delete(f"/api/v1/collections/{fays}/notes/{open_note}", headers=sam.headers),
        client.patch(f"/api/v1/collections/{fays}", headers=sam.headers, json={"name": "x我的"}),
        client.delete(f"/api/v1/collections/{fays}", headers=sam.headers),
    ):
        assert refusal(await attempt)[:2] == (403, "COLLECTION_NOT_YOURS")
    assert await _saved_rows(container) == before
    assert (await _read(client, open_note, sam))["saves"] == 1


async def test_acts_at_the_same_moment_on_a_new_note_all_count(
    client: httpx.AsyncClient, container: Container
) -> None:
    amy, *readers = await people(client, "amy", "fay", "kim", "sam", "bob")
    note = await _note(client, amy, "everyone", "刚发的")
    acts = [
        client.put(f"/api/v1/notes/{note}/{act}", headers=who.headers)
        for who in readers
        for act in ("like", "helpful")
    ]
    done = await asyncio.gather(*acts)
    assert [d.status_code for d in done] == [204] * len(acts), [d.text for d in done]
    assert _counts(await _read(client, note, amy)) == (4, 0, 0, 4)


async def test_two_renames_to_one_name_at_once_leave_one_collection_with_it(
    client: httpx.AsyncClient, container: Container
) -> None:
    (amy,) = await people(client, "amy")
    ids = []
    for name in ("露营", "零食"):
        made = await client.post("/api/v1/collections", headers=amy.headers, json={"name": name})
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
    renamed = await asyncio.gather(
        *(
            client.patch(f"/api/v1/collections/{i}", headers=amy.headers, json={"name": "好物"})
            for i in ids
        )
    )
    assert sorted(r.status_code for r in renamed) == [200, 409], [r.text for r in renamed]
    mine = await client.get("/api/v1/collections", headers=amy.headers)
    assert sorted(c["name"] for c in mine.json()) in (["好物", "零食"], ["好物", "露营"])
