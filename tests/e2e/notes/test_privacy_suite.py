"""The notes privacy suite (issue 16): every audience against every kind of viewer, through every
way a note reaches someone — its page, its comments and counts, the Following feed, search, the
author's profile, a forward into a chat, and notifications. Zero leaks: a viewer meets exactly
the notes their relation to the author allows, and nothing derived from the others.

Amy writes one note per audience. Fay is her friend; Gus is in a group with her (not a friend);
Flo follows her and is otherwise a stranger; Sam is a stranger who follows her too; and there is
whoever reads signed out. Following someone grants nothing: Flo and Sam see what strangers see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from tests.e2e.commerce.kit import settle
from tests.e2e.loop.loopkit import befriend
from tests.e2e.notes.test_notes_api import publish
from tests.factories import Person, join_open_group, people
from tuan.bootstrap import Container

AUDIENCES = ("everyone", "friends", "groups", "me")
# Who may see which audience's note, by the viewer's relation to the author.
MAY_SEE = {
    "author": {"everyone", "friends", "groups", "me"},
    "friend": {"everyone", "friends"},
    "group member": {"everyone", "groups"},
    "follower": {"everyone"},
    "stranger": {"everyone"},
    "signed out": {"everyone"},
}


@dataclass
class Circle:
    amy: Person
    viewers: dict[str, Person | None]  # relation → who (None: signed out)
    group_id: int
    notes: dict[str, int]  # audience → note id

    def expected(self, relation: str) -> set[int]:
        return {self.notes[a] for a in MAY_SEE[relation]}


def headers(who: Person | None) -> dict[str, str]:
    return {} if who is None else who.headers


async def circle(client: httpx.AsyncClient) -> Circle:
    amy, fay, gus, flo, sam = await people(client, "amy", "fay", "gus", "flo", "sam")
    await befriend(client, amy, fay)
    group_id = await join_open_group(client, amy, gus)
    for follower in (fay, gus, flo, sam):
        followed = await client.put(f"/api/v1/people/{amy.id}/follow", headers=follower.headers)
        assert followed.status_code == 200, followed.text
    notes = {}
    for audience in AUDIENCES:
        extra: dict[str, Any] = {"group_ids": [group_id]} if audience == "groups" else {}
        made = await publish(
            client, amy, title=f"坚果礼盒 {audience}", audience=audience, tags=["坚果"], **extra
        )
        assert made.status_code == 201, made.text
        notes[audience] = made.json()["id"]
    viewers: dict[str, Person | None] = {
        "author": amy,
        "friend": fay,
        "group member": gus,
        "follower": flo,
        "stranger": sam,
        "signed out": None,
    }
    return Circle(amy, viewers, group_id, notes)


async def test_each_viewer_reads_exactly_the_notes_their_relation_allows(
    client: httpx.AsyncClient, container: Container
) -> None:
    c = await circle(client)
    for relation, who in c.viewers.items():
        seen = c.expected(relation)
        for note_id in c.notes.values():
            page = await client.get(f"/api/v1/notes/{note_id}", headers=headers(who))
            comments = await client.get(f"/api/v1/notes/{note_id}/comments", headers=headers(who))
            wanted = 200 if note_id in seen else 404
            assert (page.status_code, comments.status_code) == (wanted, wanted), (
                relation,
                note_id,
                page.text,
                comments.text,
            )
            if note_id not in seen:  # nothing of it: no title, no count
                assert "坚果" not in page.text + comments.text and "likes" not in page.text

        found = await client.get("/api/v1/notes/search", params={"q": "坚果"}, headers=headers(who))
        by_tag = await client.get(
            "/api/v1/notes/search", params={"tag": "坚果"}, headers=headers(who)
        )
        profile = await client.get(f"/api/v1/people/{c.amy.id}/notes-profile", headers=headers(who))
        for response in (found, by_tag, profile):
            assert response.status_code == 200, (relation, response.text)
        assert {n["id"] for n in found.json()["notes"]} == seen, relation
        assert {n["id"] for n in by_tag.json()["notes"]} == seen, relation
        assert {n["id"] for n in profile.json()["notes"]["notes"]} == seen, relation

        discover = await client.get("/api/v1/notes/discover", headers=headers(who))
        assert discover.status_code == 200, (relation, discover.text)
        offered = {n["note_id"] for n in discover.json()["items"]}
        assert offered <= seen, relation  # never a note outside its audience
        if who is not c.amy:  # a new note to everyone gets a first audience
            assert c.notes["everyone"] in offered, relation

        if who is not None and who is not c.amy:  # each of them follows Amy
            feed = await client.get("/api/v1/notes/following", headers=who.headers)
            assert {n["id"] for n in feed.json()["notes"]} == seen, relation
    assert (await client.get("/api/v1/notes/following")).status_code == 401


async def test_counts_and_comments_move_only_for_those_who_may_see_the_note(
    client: httpx.AsyncClient, container: Container
) -> None:
    c = await circle(client)
    fay, gus = c.viewers["friend"], c.viewers["group member"]
    assert fay is not None and gus is not None
    friends_note = c.notes["friends"]
    # Gus may not see the friends-only note: he cannot like, save or comment on it.
    for method, path in (
        ("PUT", f"/api/v1/notes/{friends_note}/like"),
        ("PUT", f"/api/v1/notes/{friends_note}/helpful"),
        ("POST", f"/api/v1/notes/{friends_note}/comments"),
    ):
        refused = await client.request(method, path, headers=gus.headers, json={"text": "?"})
        assert refused.status_code == 404, (path, refused.text)
    liked = await client.put(f"/api/v1/notes/{friends_note}/like", headers=fay.headers)
    assert liked.status_code == 204, liked.text
    read = await client.get(f"/api/v1/notes/{friends_note}", headers=c.amy.headers)
    assert (read.json()["likes"], read.json()["helpful"], read.json()["comments"]) == (1, 0, 0)


async def test_a_mention_tells_only_people_who_may_see_the_note(
    client: httpx.AsyncClient, container: Container
) -> None:
    c = await circle(client)
    fay, gus, sam = c.viewers["friend"], c.viewers["group member"], c.viewers["stranger"]
    assert fay is not None and gus is not None and sam is not None
    for audience in ("friends", "me"):
        said = await client.post(
            f"/api/v1/notes/{c.notes[audience]}/comments",
            headers=c.amy.headers,
            json={"text": "@fay @gus @sam 你们觉得呢？"},
        )
        assert said.status_code == 201, said.text
    await settle(container)

    async def told(who: Person) -> list[int]:
        got = await client.get("/api/v1/notifications", headers=who.headers)
        return [
            n["data"].get("note_id")
            for n in got.json()["notifications"]
            if n["kind"] == "note_mention"
        ]

    assert await told(fay) == [c.notes["friends"]]  # not the note only Amy sees
    assert await told(gus) == [] and await told(sam) == []


async def test_a_forwarded_note_shows_in_a_chat_only_to_members_who_may_see_it(
    client: httpx.AsyncClient, container: Container
) -> None:
    c = await circle(client)
    gus = c.viewers["group member"]
    assert gus is not None
    for audience, gus_sees in (("friends", "unseen"), ("groups", "shown"), ("everyone", "shown")):
        forwarded = await client.post(
            f"/api/v1/notes/{c.notes[audience]}/forwards",
            headers=c.amy.headers,
            json={"conversation_id": c.group_id},
        )
        assert forwarded.status_code == 201, forwarded.text
        forward_id = forwarded.json()["forward_id"]
        card = await client.get(f"/api/v1/note-cards/{forward_id}", headers=gus.headers)
        assert card.status_code == 200, card.text
        assert card.json()["state"] == gus_sees, audience
        if gus_sees == "unseen":
            assert "坚果" not in card.text
