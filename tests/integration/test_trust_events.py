"""Trust learns from real events: replies, reactions, friendships, introductions."""

from __future__ import annotations

import asyncio

import httpx

from tests.factories import Person, join_open_group, people, say
from tuan.bootstrap import Container
from tuan.trust import queries


async def ties(container: Container, user_id: int, *others: Person) -> dict[int, float]:
    """How much ``user_id`` may trust each of ``others`` (left out: no tie at all)."""
    async with asyncio.timeout(10):
        await container.relay.settle()
    async with container.db.read_sessions() as session:
        found = await queries.trust_seen_by(
            session, user_id, {o.id for o in others}, container.clock.now()
        )
    return {person: tie for person, tie in found.items() if tie > 0}


async def test_replies_and_reactions_strengthen_a_tie(
    client: httpx.AsyncClient, container: Container
) -> None:
    mei, ben, cat = await people(client, "mei", "ben", "cat")
    group = await join_open_group(client, mei, ben, cat)
    before = await ties(container, ben.id, mei, cat)
    assert before[mei.id] == before[cat.id] > 0  # one shared group each, nothing else
    first = (await say(client, mei, group, "谁要车厘子？")).json()
    await say(client, ben, group, "我要！", reply_to_seq=first["seq"])
    await client.put(
        f"/api/v1/conversations/{group}/messages/{first['seq']}/reactions/👍", headers=ben.headers
    )
    after = await ties(container, ben.id, mei, cat)
    assert after[mei.id] > before[mei.id] and after[cat.id] == before[cat.id]


async def test_friendship_is_a_strong_tie_and_trust_does_not_pass_through_a_friend(
    client: httpx.AsyncClient, container: Container
) -> None:
    mei, ben, cat = await people(client, "mei", "ben", "cat")
    for a, b in ((mei, ben), (ben, cat)):
        await client.post("/api/v1/friends/requests", headers=a.headers, json={"user_id": b.id})
        await client.post("/api/v1/friends/requests", headers=b.headers, json={"user_id": a.id})
    mine = await ties(container, mei.id, ben, cat)
    # Ben's ties are not Mei's to read: they can carry purchases Ben hides from her.
    assert set(mine) == {ben.id} and mine[ben.id] > 0.4


async def test_an_introduction_ties_the_introducer_and_the_newcomer(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner, mei, dan = await people(client, "owner", "mei", "dan")
    group = await join_open_group(client, owner, mei)
    await client.patch(
        f"/api/v1/groups/{group}", headers=owner.headers, json={"join_policy": "introduced"}
    )
    await client.post(
        f"/api/v1/groups/{group}/introductions", headers=mei.headers, json={"user_id": dan.id}
    )
    invitation = (await client.get("/api/v1/me/group-invitations", headers=dan.headers)).json()[0][
        "id"
    ]
    await client.post(f"/api/v1/me/group-invitations/{invitation}/accept", headers=dan.headers)
    mine = await ties(container, dan.id, mei, owner)
    assert mine[mei.id] > mine[owner.id] > 0
