"""Shops, products, SKUs, images and search — Chinese and English — on either database."""

from __future__ import annotations

import io
from datetime import timedelta

import httpx
import pytest
from PIL import Image

from tests.e2e.commerce.kit import buy, list_product, merchant, open_shop, storefront
from tests.factories import person
from tuan.bootstrap import Container
from tuan.catalog.service import set_merchant_approval


async def test_only_verified_or_approved_users_open_shops(
    client: httpx.AsyncClient, container: Container
) -> None:
    lin = await person(client, "lin")
    refused = await client.post("/api/v1/shops", headers=lin.headers, json={"name": "小店"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "MERCHANT_NOT_APPROVED"
    await container.run(set_merchant_approval, username="lin")
    assert (
        await client.post("/api/v1/shops", headers=lin.headers, json={"name": "小店"})
    ).status_code == 201
    await container.run(set_merchant_approval, username="lin", approved=False)
    assert (
        await client.post("/api/v1/shops", headers=lin.headers, json={"name": "又一家"})
    ).status_code == 403
    mine = await client.get("/api/v1/me/shops", headers=lin.headers)
    assert [s["name"] for s in mine.json()] == ["小店"]


async def test_a_shop_is_changed_by_its_owner_only(
    client: httpx.AsyncClient, container: Container
) -> None:
    owner = await merchant(client, container, "mei_shop")
    shop = await open_shop(client, owner, commission_rate_bp=300)
    other = await person(client, "lin")
    denied = await client.patch(
        f"/api/v1/shops/{shop['id']}", headers=other.headers, json={"name": "x"}
    )
    assert denied.status_code == 403
    changed = await client.patch(
        f"/api/v1/shops/{shop['id']}", headers=owner.headers, json={"commission_rate_bp": 800}
    )
    assert changed.json()["commission_rate_bp"] == 800
    too_high = await client.patch(
        f"/api/v1/shops/{shop['id']}", headers=owner.headers, json={"commission_rate_bp": 9000}
    )
    assert too_high.status_code == 422 and too_high.json()["error"]["field"] == "commission_rate_bp"


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("坚果", ["每日坚果礼盒"]),
        ("每日坚果", ["每日坚果礼盒"]),
        ("果", ["每日坚果礼盒", "新鲜水果拼盘"]),
        ("水果", ["新鲜水果拼盘"]),
        ("nut", ["每日坚果礼盒"]),
        ("NUTS", ["每日坚果礼盒"]),
        ("dish soap", ["Dish soap 洗洁精"]),
        ("洗洁", ["Dish soap 洗洁精"]),
        ("坚果 soap", []),
        ("榴莲", []),
        ("!!!", []),
    ],
)
async def test_search_finds_chinese_inside_words_and_english_by_prefix(
    client: httpx.AsyncClient, container: Container, query: str, found: list[str]
) -> None:
    owner = await merchant(client, container, "mei_shop")
    shop = await open_shop(client, owner)
    for name, description in (
        ("每日坚果礼盒", "Mixed nuts, 30 daily packs"),
        ("新鲜水果拼盘", "当季水果"),
        ("Dish soap 洗洁精", "Lemon, 1.5 L"),
    ):
        await list_product(client, owner, shop["id"], name=name, description=description)
    response = await client.get("/api/v1/products", params={"q": query}, headers=owner.headers)
    assert response.status_code == 200
    assert sorted(p["name"] for p in response.json()) == sorted(found)


async def test_search_follows_renames_and_leaves_out_archived_products(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container)
    owner = front.owner
    product_id = front.product["id"]
    renamed = await client.patch(
        f"/api/v1/products/{product_id}", headers=owner.headers, json={"name": "手工牛轧糖 Nougat"}
    )
    assert renamed.status_code == 200

    async def names(q: str) -> list[str]:
        found = await client.get("/api/v1/products", params={"q": q}, headers=owner.headers)
        return [p["name"] for p in found.json()]

    assert await names("牛轧") == ["手工牛轧糖 Nougat"] and await names("礼盒") == []
    await buy(client, await person(client, "lin"), front.sku_id)
    removed = await client.delete(f"/api/v1/products/{product_id}", headers=owner.headers)
    assert removed.json() == {"id": product_id, "outcome": "archived"}
    assert await names("牛轧") == []
    page = await client.get(f"/api/v1/products/{product_id}", headers=owner.headers)
    assert page.json()["status"] == "archived"  # old orders still show what was bought


async def test_a_product_nobody_ordered_is_deleted_outright(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container)
    stranger = await person(client, "lin")
    denied = await client.delete(
        f"/api/v1/products/{front.product['id']}", headers=stranger.headers
    )
    assert denied.status_code == 403
    removed = await client.delete(
        f"/api/v1/products/{front.product['id']}", headers=front.owner.headers
    )
    assert removed.json()["outcome"] == "deleted"
    assert (
        await client.get(f"/api/v1/products/{front.product['id']}", headers=stranger.headers)
    ).status_code == 404
    assert (
        await client.get("/api/v1/products", params={"q": "坚果"}, headers=stranger.headers)
    ).json() == []


async def test_an_archived_product_cannot_be_bought(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container)
    buyer = await person(client, "lin")
    await buy(client, buyer, front.sku_id)
    await client.delete(f"/api/v1/products/{front.product['id']}", headers=front.owner.headers)
    from tests.e2e.commerce.kit import checkout

    refused = await checkout(client, buyer, [{"sku_id": front.sku_id, "quantity": 1}])
    assert refused.status_code == 410 and refused.json()["error"]["code"] == "PRODUCT_ARCHIVED"


async def test_skus_prices_and_stock_deltas(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container, stock=3)
    added = await client.post(
        f"/api/v1/products/{front.product['id']}/skus",
        headers=front.owner.headers,
        json={"label": "1.5kg", "price": 17800, "stock": 4},
    )
    assert [s["label"] for s in added.json()["skus"]] == ["750g", "1.5kg"]
    duplicate = await client.post(
        f"/api/v1/products/{front.product['id']}/skus",
        headers=front.owner.headers,
        json={"label": "1.5kg", "price": 1, "stock": 1},
    )
    assert duplicate.status_code == 409 and duplicate.json()["error"]["code"] == "SKU_LABEL_TAKEN"
    more = await client.patch(
        f"/api/v1/skus/{front.sku_id}", headers=front.owner.headers, json={"add_stock": 5}
    )
    assert more.json()["skus"][0]["stock"] == 8
    negative = await client.patch(
        f"/api/v1/skus/{front.sku_id}", headers=front.owner.headers, json={"add_stock": -9}
    )
    assert (
        negative.status_code == 409
        and negative.json()["error"]["code"] == "STOCK_WOULD_GO_NEGATIVE"
    )
    free = await client.patch(
        f"/api/v1/skus/{front.sku_id}", headers=front.owner.headers, json={"price": 0}
    )
    assert free.status_code == 422 and free.json()["error"]["field"] == "price"


async def test_product_text_is_checked(client: httpx.AsyncClient, container: Container) -> None:
    owner = await merchant(client, container, "mei_shop")
    shop = await open_shop(client, owner)
    for body, field in (
        ({"name": "bad\x00name", "skus": [{"label": "a", "price": 1}]}, "name"),
        ({"name": "bad\x07bell", "skus": [{"label": "a", "price": 1}]}, "name"),
        ({"name": "ok", "category": "weapons", "skus": [{"label": "a", "price": 1}]}, "category"),
        ({"name": "ok", "skus": []}, "skus"),
        ({"name": "ok", "skus": [{"label": "a", "price": 1}], "team_size": 1}, "team_size"),
    ):
        response = await client.post(
            f"/api/v1/shops/{shop['id']}/products", headers=owner.headers, json=body
        )
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error.get("field") == field or f"{field}:" in error["message"]
    assert (await client.get("/api/v1/products", headers=owner.headers)).json() == []


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2400, 1200), (200, 80, 40)).save(out, format="JPEG")
    return out.getvalue()


async def test_product_images_are_checked_resized_and_removable(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container)
    url = f"/api/v1/products/{front.product['id']}/images"
    added = await client.post(
        url, headers=front.owner.headers, files={"file": ("a.jpg", _jpeg(), "image/jpeg")}
    )
    assert added.status_code == 201, added.text
    image = added.json()["images"][0]
    assert (image["width"], image["height"]) == (1600, 800)
    assert (await client.get(image["url"])).status_code == 200
    fake = await client.post(
        url, headers=front.owner.headers, files={"file": ("a.jpg", b"not an image", "image/jpeg")}
    )
    assert fake.status_code == 415
    stranger = await person(client, "lin")
    denied = await client.post(
        url, headers=stranger.headers, files={"file": ("a.jpg", _jpeg(), "image/jpeg")}
    )
    assert denied.status_code == 403
    removed = await client.delete(f"{url}/{image['id']}", headers=front.owner.headers)
    assert removed.json()["images"] == []
    cards = (await client.get("/api/v1/products", headers=stranger.headers)).json()
    assert cards[0]["image_url"] is None


async def test_overlapping_deals_on_one_sku_are_refused(
    client: httpx.AsyncClient, container: Container
) -> None:
    front = await storefront(client, container)
    now = container.clock.now()

    async def deal(start: int, end: int) -> httpx.Response:
        return await client.post(
            f"/api/v1/skus/{front.sku_id}/deals",
            headers=front.owner.headers,
            json={
                "price": 5000,
                "starts_at": (now + timedelta(hours=start)).isoformat(),
                "ends_at": (now + timedelta(hours=end)).isoformat(),
                "stock_cap": 3,
                "per_customer_limit": 1,
            },
        )

    assert (await deal(1, 3)).status_code == 201
    clash = await deal(2, 4)
    assert clash.status_code == 409 and clash.json()["error"]["code"] == "DEAL_OVERLAPS"
    assert (await deal(3, 5)).status_code == 201
    pricier = await client.post(
        f"/api/v1/skus/{front.sku_id}/deals",
        headers=front.owner.headers,
        json={
            "price": 9900,
            "starts_at": now.isoformat(),
            "ends_at": (now + timedelta(minutes=10)).isoformat(),
            "stock_cap": 1,
            "per_customer_limit": 1,
        },
    )
    assert pricier.status_code == 422 and pricier.json()["error"]["code"] == "INVALID_DEAL"
    naive = await client.post(
        f"/api/v1/skus/{front.sku_id}/deals",
        headers=front.owner.headers,
        json={
            "price": 1,
            "starts_at": "2026-11-22T10:00:00",
            "ends_at": "2026-11-23T10:00:00",
            "stock_cap": 1,
            "per_customer_limit": 1,
        },
    )
    assert naive.status_code == 422 and naive.json()["error"]["field"] == "starts_at"


async def test_categories_are_listed_in_chinese_and_english(client: httpx.AsyncClient) -> None:
    lin = await person(client, "lin")
    categories = (await client.get("/api/v1/categories", headers=lin.headers)).json()
    assert {"slug": "fresh", "name_zh": "生鲜水果", "name_en": "Fresh food & fruit"} in categories
