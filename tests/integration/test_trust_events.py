"""Trust learns from real events: replies, reactions, friendships, introductions."""

from __future__ import annotations

import asyncio

import httpx

from tests.factories import join_open_group, people, say
from tuan.bootstrap import Container
from tuan.trust import queries


async def ties(container: Container, user_id: int) -> dict[int, float]:
    async with asyncio.timeout(10):
        await container.relay.settle()
    async with container.db.read_sessions() as session:
        return (await queries.ties_of(session, {user_id}, container.clock.now())).get(user_id, {})


async def test_replies_and_reactions_strengthen_a_tie(
    client: httpx.AsyncClient, container: Container
) -> None:
    mei, ben, cat = await people(client, "mei", "ben", "cat")
    group = await join_open_group(client, mei, ben, cat)
    before = await ties(container, ben.id)
    assert before[mei.id] == before[cat.id] > 0  # one shared group each, nothing else
    first = (await say(client, mei, group, "谁要车厘子？")).json()
    await say(client, ben, group, "我要！", reply_to_seq=first["seq"])
    await client.put(
        f"/api/v1/conversations/{group}/messages/{first['seq']}/reactions/👍", headers=ben.headers
    )
    after = await ties(container, ben.id)
    assert after[mei.id] > before[mei.id] and after[cat.id] == before[cat.id]


async def test_friendship_is_a_strong_tie_and_trust_transfers_one_layer(
    client: httpx.AsyncClient, container: Container
) -> None:
    mei, ben, cat = await people(client, "mei", "ben", "cat")
    for a, b in ((mei, ben), (ben, cat)):
        await client.post("/api/v1/friends/requests", headers=a.headers, json={"user_id": b.id})
        await client.post("/api/v1/friends/requests", headers=b.headers, json={"user_id": a.id})
    mine = await ties(container, mei.id)
    assert set(mine) == {ben.id}
    async with container.db.read_sessions() as session:
        trust = await queries.trust_from(session, mei.id, container.clock.now())
    assert abs(trust[ben.id] - mine[ben.id]) < 1e-6
    assert 0 < trust[cat.id] < trust[ben.id]  # friend of a friend: trusted, but less


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
    mine = await ties(container, dan.id)
    assert mine[mei.id] > mine[owner.id] > 0
