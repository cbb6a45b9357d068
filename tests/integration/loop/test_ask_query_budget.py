"""Query budget: an ask's page with its suggested answerers costs the same number of SQL
statements whether one member of the group has a record or six (reputations are recomputed for
all members at once, and the privacy gate filters in bulk)."""

from __future__ import annotations

import httpx

from tests.e2e.commerce.kit import crowd, list_product, merchant, open_shop, settle
from tests.e2e.loop.loopkit import delivered_order, review, share_card, show
from tests.factories import join_open_group, person
from tests.integration.loop.test_loop_query_budgets import _statements
from tuan.bootstrap import Container


async def test_an_ask_page_costs_the_same_with_one_recommender_or_six(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await merchant(client, container, "shopkeeper")
    shop = await open_shop(client, owner, commission_rate_bp=500)
    asker = await person(client, "asker")
    costs = []
    for size in (1, 6):
        item = await list_product(
            client,
            owner,
            shop["id"],
            category="beauty",
            skus=[{"label": "one", "price": 100, "stock": 20}],
        )
        sharers = await crowd(container, size, prefix=f"s{size}")
        buyers = await crowd(container, size, prefix=f"b{size}")
        group = await join_open_group(client, asker, *sharers, *buyers)
        for sharer, buyer in zip(sharers, buyers, strict=True):
            await show(client, buyer, "purchases", "shared_groups")
            await show(client, buyer, "ratings", "shared_groups")
            card = (await share_card(client, sharer, group, item["id"])).json()
            order = await delivered_order(
                client, container, buyer, owner, item["skus"][0]["id"], card["share_id"]
            )
            assert (await review(client, buyer, order["id"], 5)).status_code == 201
        await settle(container)
        asked = await client.post(
            "/api/v1/asks",
            headers=asker.headers,
            json={"text": "求推荐", "conversation_ids": [group], "category": "beauty"},
        )
        assert len(asked.json()["suggested_answerers"]) == min(size, 5), asked.text
        costs.append(
            await _statements(client, container, asker, [f"/api/v1/asks/{asked.json()['id']}"])
        )
    assert costs[0] == costs[1], costs
