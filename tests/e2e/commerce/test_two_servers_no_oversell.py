"""Two real server processes on one database, a crowd at one hot SKU: never oversold."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from pathlib import Path

import httpx

from tests.conftest import TEST_PASSWORDS
from tests.e2e.commerce.kit import crowd, list_product, merchant, open_shop
from tests.live import live_server
from tuan.bootstrap import bootstrap
from tuan.http.app import create_app
from tuan.settings import load_settings


async def _seed(database_url: str, buyers: int, stock: int, tmp: Path) -> tuple[int, list[str]]:
    container = bootstrap(
        load_settings(database_url=database_url, media_dir=tmp / "m", environment="test"),
        passwords=TEST_PASSWORDS,
    )
    await container.start(background=False)
    try:
        app = create_app(container, manage_container=False)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://tuan.test"
        ) as client:
            owner = await merchant(client, container, "hot_shop")
            shop = await open_shop(client, owner)
            product = await list_product(
                client, owner, shop["id"], skus=[{"label": "50只", "price": 2990, "stock": stock}]
            )
        people = await crowd(container, buyers)
    finally:
        await container.close()
    return int(product["skus"][0]["id"]), [p.token for p in people]


def test_two_server_processes_sell_exactly_the_stock(
    server_env: dict[str, str], tmp_path: Path
) -> None:
    sku_id, tokens = asyncio.run(_seed(server_env["TUAN_DATABASE_URL"], 200, 10, tmp_path))
    with live_server(server_env, cwd=tmp_path) as one, live_server(server_env, cwd=tmp_path) as two:

        async def crowd_buys() -> Counter[tuple[int, str]]:
            async with httpx.AsyncClient(timeout=120) as http:

                async def buyer(n: int, token: str) -> tuple[int, str]:
                    base = (one, two)[n % 2].url
                    headers = {"Authorization": f"Bearer {token}"}
                    placed = await http.post(
                        base + "/api/v1/orders",
                        headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
                        json={"items": [{"sku_id": sku_id, "quantity": 1}]},
                    )
                    if placed.status_code != 201:
                        return placed.status_code, placed.json()["error"]["code"]
                    paid = await http.post(
                        base + f"/api/v1/orders/{placed.json()['id']}/payments",
                        headers=headers,
                        json={},
                    )
                    return paid.status_code, paid.json()["order"]["status"]

                return Counter(await asyncio.gather(*(buyer(n, t) for n, t in enumerate(tokens))))

        results = asyncio.run(crowd_buys())
        assert results == {(201, "paid"): 10, (409, "SOLD_OUT"): 190}
        stock = httpx.get(
            one.url + "/api/v1/products",
            headers={"Authorization": f"Bearer {tokens[0]}"},
        ).json()
        assert stock and "500 Internal" not in one.log() + two.log()
