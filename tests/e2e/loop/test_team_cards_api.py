"""A team card leads the people who can see it into the team: a private team's card carries its
join code to the conversation a member chose, and no further."""

from __future__ import annotations

import httpx

from tests.e2e.commerce.kit import settle, storefront
from tests.e2e.loop.loopkit import open_team, share_card
from tests.factories import join_open_group, people
from tuan.bootstrap import Container


async def test_a_private_team_card_lets_the_group_join_and_goes_no_further(
    client: httpx.AsyncClient, container: Container
) -> None:
    store = await storefront(client, container, team_size=3, team_price=6900)
    mei, ben, cat, dan = await people(client, "mei", "ben", "cat", "dan")
    group = await join_open_group(client, mei, ben, cat)
    private = await open_team(client, mei, store.sku_id, public=False)
    card = await share_card(client, mei, group, store.product["id"], team_id=private["id"])
    assert card.status_code == 201, card.text
    share_id = card.json()["share_id"]

    seen = (await client.get(f"/api/v1/cards/{share_id}", headers=ben.headers)).json()
    mine = (await client.get(f"/api/v1/teams/{private['id']}", headers=mei.headers)).json()
    assert seen["team"]["code"] == mine["code"] and mine["code"]
    joined = await client.post(
        f"/api/v1/teams/{private['id']}/join",
        headers={**ben.headers, "Idempotency-Key": "ben-joins"},
        json={"code": seen["team"]["code"], "share_id": share_id},
    )
    assert joined.status_code == 201, joined.text
    without = await client.post(
        f"/api/v1/teams/{private['id']}/join",
        headers={**dan.headers, "Idempotency-Key": "dan-guesses"},
        json={},
    )
    assert without.status_code == 404  # Dan is not in the group: no card, no code, no team

    # Cat (no team member) cannot carry the private team elsewhere.
    elsewhere = await join_open_group(client, cat, dan)
    forwarded = await client.post(
        f"/api/v1/cards/{share_id}/forward",
        headers=cat.headers,
        json={"conversation_id": elsewhere},
    )
    assert forwarded.status_code == 404, forwarded.text
    assert (await client.get(f"/api/v1/cards/{share_id}", headers=dan.headers)).status_code == 404
    await settle(container)


async def test_a_public_team_card_needs_no_code(
    client: httpx.AsyncClient, container: Container
) -> None:
    store = await storefront(client, container, team_size=2, team_price=6900)
    mei, ben = await people(client, "mei", "ben")
    group = await join_open_group(client, mei, ben)
    public = await open_team(client, mei, store.sku_id, public=True)
    card = await share_card(client, mei, group, store.product["id"], team_id=public["id"])
    seen = await client.get(f"/api/v1/cards/{card.json()['share_id']}", headers=ben.headers)
    assert seen.json()["team"]["code"] is None
