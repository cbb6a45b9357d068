"""The demo commerce data: shops people can browse and buy from, deals running, a team product."""

from __future__ import annotations

import httpx

from tests.e2e.commerce.kit import crowd
from tuan.bootstrap import Container
from tuan.demo.commerce import seed_commerce


async def test_the_demo_seeds_shops_deals_and_team_products_once(
    client: httpx.AsyncClient, container: Container
) -> None:
    people = await crowd(container, 5)
    demo = await seed_commerce(container, [p.id for p in people])
    assert len(demo.shop_ids) == 4 and len(demo.deal_ids) == 4
    again = await seed_commerce(container, [p.id for p in people])
    assert again.shop_ids == []  # seeded once

    viewer = people[4]
    nuts = await client.get("/api/v1/products", params={"q": "坚果"}, headers=viewer.headers)
    assert [p["name"] for p in nuts.json()] == ["每日坚果礼盒 Daily nuts gift box"]
    assert nuts.json()[0]["on_deal"] is True and nuts.json()[0]["price_from"] == 6900
    perfume = demo.product_ids["玫瑰香水 Rose perfume"]
    page = (await client.get(f"/api/v1/products/{perfume}", headers=viewer.headers)).json()
    assert page["skus"][0]["price"] == 1980 and page["skus"][0]["regular_price"] == 9900
    oranges = demo.product_ids["赣南脐橙 Navel oranges"]
    page = (await client.get(f"/api/v1/products/{oranges}", headers=viewer.headers)).json()
    assert page["team_size"] == 3 and page["skus"][0]["team_price"] == 2990
    kids = await client.get(
        "/api/v1/products", params={"category": "children"}, headers=viewer.headers
    )
    assert len(kids.json()) == 3
