"""Nothing in a push says more than its receiver may see: a purchase its buyer keeps hidden (the
default) reaches nobody's phone, not through a share, not through a team purchase."""

from __future__ import annotations

import json

import httpx

from tests.e2e.commerce.kit import buy, pay, storefront
from tests.e2e.loop.loopkit import open_team, share_card
from tests.e2e.push.pushservice import LocalPushService
from tests.e2e.push.test_push import settle, subscribe
from tests.factories import join_open_group, people
from tuan.bootstrap import Container


async def test_a_hidden_purchase_is_never_pushed_to_someone_who_may_not_see_it(
    client: httpx.AsyncClient, container: Container, push_service: LocalPushService
) -> None:
    store = await storefront(client, container, team_size=3, team_price=6900)
    mei, ben = await people(client, "mei", "zhou_ben")
    cid = await join_open_group(client, mei, ben, name="三班家长群")
    phone = push_service.new_device()
    assert (await subscribe(client, mei, phone)).status_code == 201
    await client.put("/api/v1/me/push-settings", headers=mei.headers, json={"show_text": True})
    card = await share_card(client, mei, cid, store.product["id"])
    assert card.status_code == 201, card.text
    team = await open_team(client, mei, store.sku_id, public=True)
    await settle(container)
    before = len(push_service.to(phone))

    # Ben buys through Mei's card and joins her team; his purchases are hidden from everyone.
    await buy(client, ben, store.sku_id, share_id=card.json()["share_id"])
    joined = await client.post(
        f"/api/v1/teams/{team['id']}/join",
        headers={**ben.headers, "Idempotency-Key": "ben-joins-mei"},
        json={},
    )
    assert joined.status_code == 201, joined.text
    assert (await pay(client, ben, joined.json()["order"]["id"])).status_code == 201
    await push_service.wait_for(phone, before + 1)  # the team's news, which names nobody
    await settle(container)

    pushes = push_service.to(phone)[before:]
    assert [p["body"] for p in pushes] == [
        f"Your team for {store.product['name']} needs just one more person: 2 of 3 paid. "
        "Invite someone before the deadline."
    ]
    assert "zhou" not in json.dumps(pushes, ensure_ascii=False)
