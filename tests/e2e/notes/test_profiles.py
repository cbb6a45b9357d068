"""A person's notes profile (issue 16, ADR 0013): counts of followers and following, whether I
follow them, their notes I may see (signed out: notes to everyone), paged newest first, and
their public collections counted over notes I may see. Private collections are not shown.

The world (tests.e2e.notes.test_notes_api): Amy writes notes; Fay is her friend; Sam a stranger.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.e2e.notes.test_follows import follow
from tests.e2e.notes.test_notes_api import publish, refusal, world
from tests.factories import people
from tuan.bootstrap import Container
from tuan.core.uow import UnitOfWork
from tuan.notes.models import Collection, CollectionNote


async def collect(
    uow: UnitOfWork, *, owner_id: int, name: str, public: bool, note_ids: list[int]
) -> None:
    """A collection with notes in it (the collections API is another part of issue 16)."""
    collection = Collection(owner_id=owner_id, name=name, public=public, created_at=uow.now)
    uow.session.add(collection)
    await uow.session.flush()
    for note_id in note_ids:
        uow.session.add(
            CollectionNote(collection_id=collection.id, note_id=note_id, created_at=uow.now)
        )


async def profile(
    client: httpx.AsyncClient, user_id: int, headers: dict[str, str], **params: Any
) -> dict[str, Any]:
    got = await client.get(
        f"/api/v1/people/{user_id}/notes-profile", headers=headers, params=params
    )
    assert got.status_code == 200, got.text
    body: dict[str, Any] = got.json()
    return body


async def test_each_reader_sees_the_notes_and_collection_counts_the_audience_allows(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    (bob,) = await people(client, "bob")
    ids = {}
    for title, audience in (("给大家", "everyone"), ("给朋友", "friends"), ("给自己", "me")):
        ids[audience] = (await publish(client, w.amy, title=title, audience=audience)).json()["id"]
    bobs = (await publish(client, bob, title="Bob 的", audience="friends")).json()["id"]
    await follow(client, w.sam.headers, w.amy.id)
    await follow(client, w.amy.headers, bob.id)
    await container.run(
        collect, owner_id=w.amy.id, name="好物", public=True, note_ids=[*ids.values(), bobs]
    )
    await container.run(collect, owner_id=w.amy.id, name="秘密", public=False, note_ids=[])

    readers = {"amy": w.amy.headers, "fay": w.fay.headers, "sam": w.sam.headers, "signed out": {}}
    notes = {
        "amy": ["给自己", "给朋友", "给大家"],
        "fay": ["给朋友", "给大家"],  # her friend
        "sam": ["给大家"],  # a follower, a stranger
        "signed out": ["给大家"],
    }
    for reader, headers in readers.items():
        seen = await profile(client, w.amy.id, headers)
        assert [n["title"] for n in seen["notes"]["notes"]] == notes[reader], reader
        assert (seen["username"], seen["followers"], seen["following"]) == ("amy", 1, 1)
        assert seen["followed_by_you"] is (reader == "sam"), reader
        # The private collection is not there; the public one counts only what the reader may
        # see (Bob's friends-only note counts for nobody here: none is Bob's friend).
        assert [(c["name"], c["notes"]) for c in seen["collections"]] == [
            ("好物", len(notes[reader]))
        ], reader
    assert "秘密" not in (await client.get(f"/api/v1/people/{w.amy.id}/notes-profile")).text

    first = await profile(client, w.amy.id, w.amy.headers, limit=2)
    assert [n["title"] for n in first["notes"]["notes"]] == ["给自己", "给朋友"]
    rest = await profile(
        client, w.amy.id, w.amy.headers, limit=2, before=first["notes"]["next_before"]
    )
    assert ([n["title"] for n in rest["notes"]["notes"]], rest["notes"]["next_before"]) == (
        ["给大家"],
        None,
    )


async def test_no_profile_for_no_one_nor_for_someone_who_blocked_the_reader(
    client: httpx.AsyncClient, container: Container
) -> None:
    w = await world(client, container)
    await publish(client, w.amy, title="给大家", audience="everyone")
    for user_id in (0, 2**40):  # the deleted-user tombstone, and nobody at all
        missing = await client.get(f"/api/v1/people/{user_id}/notes-profile")
        assert refusal(missing)[:2] == (404, "USER_NOT_FOUND"), user_id
    await client.put(f"/api/v1/blocks/{w.sam.id}", headers=w.amy.headers)
    blocked = await client.get(f"/api/v1/people/{w.amy.id}/notes-profile", headers=w.sam.headers)
    assert refusal(blocked)[:2] == (404, "USER_NOT_FOUND")
    assert "给大家" not in blocked.text
    # Amy, who blocked Sam, still sees his profile; the follower list is hers alone.
    assert (await profile(client, w.sam.id, w.amy.headers))["username"] == "sam"
    assert (await client.get("/api/v1/me/followers", headers={})).status_code == 401
