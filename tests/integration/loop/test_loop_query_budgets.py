"""Query budgets: the ratings and social-proof views of an item, and a live card, cost the same
number of SQL statements with one reviewer-buyer or six (the privacy gate filters in bulk)."""

from __future__ import annotations

import httpx

from tests.e2e.commerce.kit import crowd, list_product, merchant, open_shop
from tests.e2e.loop.loopkit import delivered_order, review, share_card, show
from tests.factories import Person, join_open_group, person
from tests.integration.commerce.test_query_budgets import counting
from tuan.bootstrap import Container


async def _statements(
    client: httpx.AsyncClient, container: Container, viewer: Person, paths: list[str]
) -> list[int]:
    counts = []
    for path in paths:
        with counting(container) as statements:
            response = await client.get(path, headers=viewer.headers)
        assert response.status_code == 200, response.text
        counts.append(len(statements))
    return counts


async def test_ratings_proof_and_cards_cost_the_same_for_one_reviewer_or_six(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await merchant(client, container, "shopkeeper")
    shop = await open_shop(client, owner, commission_rate_bp=500)
    viewer = await person(client, "viewer")
    costs = []
    for size in (1, 6):
        item = await list_product(
            client, owner, shop["id"], skus=[{"label": "one", "price": 100, "stock": 20}]
        )
        buyers = await crowd(container, size, prefix=f"b{size}")
        group = await join_open_group(client, viewer, *buyers)
        card = (await share_card(client, viewer, group, item["id"])).json()
        for buyer in buyers:
            await show(client, buyer, "purchases", "shared_groups")
            await show(client, buyer, "ratings", "shared_groups")
            order = await delivered_order(
                client, container, buyer, owner, item["skus"][0]["id"], card["share_id"]
            )
            assert (await review(client, buyer, order["id"], 4)).status_code == 201
        costs.append(
            await _statements(
                client,
                container,
                viewer,
                [
                    f"/api/v1/products/{item['id']}/ratings?group_id={group}",
                    f"/api/v1/products/{item['id']}/social-proof",
                    f"/api/v1/cards/{card['share_id']}",
                ],
            )
        )
    assert costs[0] == costs[1], costs
