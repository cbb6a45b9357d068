"""Shopping in the browser: a product shared into a group as a card and bought from it, a team
purchase filled from two browsers, the cart, and a shop run from its page."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from PIL import Image
from playwright.async_api import expect

from tests.browser.conftest import MOBILE, Site, photo
from tests.e2e.commerce.kit import buy, storefront
from tests.factories import join_open_group


async def test_a_product_shared_into_a_group_is_bought_from_its_card(site: Site) -> None:
    store = await storefront(site.client, site.container, price=12800, commission_rate_bp=500)
    mei = await site.person("mei", "林美")
    ben = await site.person("ben", "王本")
    cid = await join_open_group(site.client, mei, ben, name="邻居团购群")
    product_id = store.product["id"]
    uploaded = await site.client.post(
        f"/api/v1/products/{product_id}/images",
        headers=store.owner.headers,
        files={"file": ("nuts.jpg", photo(), "image/jpeg")},
    )
    assert uploaded.status_code == 201, uploaded.text

    ben_page = await site.page(ben, f"/chats/{cid}", viewport=MOBILE)
    await expect(ben_page.locator("#chat-title")).to_have_text("邻居团购群")

    mei_page = await site.page(mei, f"/products/{product_id}")
    await expect(mei_page.locator("#product-name")).to_have_text("每日坚果礼盒 Daily nuts")
    await expect(mei_page.locator("#product-price")).to_have_text("¥128.00")
    await site.shoot(mei_page, "product")
    await mei_page.get_by_label("聊天", exact=True).select_option(label="邻居团购群")
    await mei_page.get_by_role("button", name="分享").click()
    await expect(mei_page).to_have_url(re.compile(f"/chats/{cid}$"))
    await expect(mei_page.locator(".product-card")).to_contain_text("每日坚果礼盒")

    card = ben_page.locator(".message .product-card")
    await expect(card).to_contain_text("¥128.00")
    await expect(card.locator(".name")).to_have_text("每日坚果礼盒 Daily nuts")
    await expect(card.locator(".paid-label")).to_have_text("有佣金 · 分享者可得 5% 佣金")
    # the phone gets a copy resized on the server, not the 1200 px upload
    thumbnail = await card.locator("img.product-image").get_attribute("src")
    assert thumbnail and thumbnail.startswith("/thumbs/160/")
    resized = Image.open(io.BytesIO((await site.client.get(thumbnail)).content))
    assert resized.size == (160, 120)
    await card.get_by_role("link", name="去购买").click()
    await expect(ben_page).to_have_url(re.compile(rf"/products/{product_id}\?share=\d+$"))
    await ben_page.get_by_role("button", name="立即购买").click()
    await expect(ben_page).to_have_url(re.compile(r"/orders/\d+$"))
    await expect(ben_page.locator("#order-commission")).to_contain_text("林美")
    await expect(ben_page.locator("#order-commission")).to_contain_text("5%")
    await ben_page.get_by_role("button", name="立即付款").click()
    await expect(ben_page.locator("#order-state")).to_have_text("已付款")
    await site.shoot(ben_page, "order")

    orders = (await site.client.get("/api/v1/orders", headers=ben.headers)).json()
    assert [o["status"] for o in orders] == ["paid"]
    order = (await site.client.get(f"/api/v1/orders/{orders[0]['id']}", headers=ben.headers)).json()
    assert order["share_id"] is not None and order["commission"]["sharer_username"] == "mei"


async def test_a_team_purchase_fills_from_two_browsers(site: Site) -> None:
    store = await storefront(site.client, site.container, price=9900, team_size=2, team_price=6900)
    mei = await site.person("mei", "林美")
    ben = await site.person("ben", "王本")
    product_path = f"/products/{store.product['id']}"

    mei_page = await site.page(mei, product_path)
    await expect(mei_page.locator("#team-offer")).to_contain_text("2 人成团")
    await mei_page.get_by_label("允许任何人在本页加入我的团").check()
    await mei_page.get_by_role("button", name="发起拼团").click()
    await expect(mei_page).to_have_url(re.compile(r"/orders/\d+$"))
    await mei_page.get_by_role("button", name="立即付款").click()
    await expect(mei_page.locator("#order-team-text")).to_contain_text("已拼 1/2 人")

    ben_page = await site.page(ben, product_path, viewport=MOBILE)
    # Ben is a stranger to Mei, whose purchases are private: the team is anonymous to him.
    team = ben_page.locator("#teams li", has_text="有人发起的团")
    await expect(team).to_contain_text("已拼 1/2 人")
    await expect(team.locator("progress")).to_have_attribute("value", "1")
    await expect(team.locator(".countdown")).to_have_text(re.compile(r"^(\d+天 )?\d\d:\d\d:\d\d$"))
    await site.shoot(ben_page, "team-purchase")
    await team.get_by_role("button", name=re.compile("参团")).click()
    await expect(ben_page).to_have_url(re.compile(r"/orders/\d+$"))
    await ben_page.get_by_role("button", name="立即付款").click()
    await expect(ben_page.locator("#order-team-text")).to_contain_text("拼团成功")

    # Mei's page, left open, learns of it without a reload.
    await expect(mei_page.locator("#order-team-text")).to_contain_text("已拼 2/2 人")
    await expect(mei_page.locator("#order-team-progress")).to_have_attribute("value", "2")


async def test_the_cart_checks_out_one_shop_and_the_sandbox_payment_can_fail_safely(
    site: Site,
) -> None:
    store = await storefront(site.client, site.container, price=2550)
    ben = await site.person("ben", "Ben")
    page = await site.page(ben, f"/products/{store.product['id']}", locale="en-US")
    await page.get_by_label("Quantity", exact=True).fill("2")
    await page.get_by_role("button", name="Add to cart").click()
    await page.get_by_role("link", name="View cart").click()
    await expect(page.locator("#cart")).to_contain_text("Subtotal: CN¥51.00")
    await site.shoot(page, "cart")
    await page.get_by_role("button", name="Check out").click()
    await expect(page).to_have_url(re.compile(r"/orders/\d+$"))
    await page.get_by_label("Sandbox payment result (test money only)").select_option("fail")
    await page.get_by_role("button", name="Pay now").click()
    await expect(page.locator("#pay-form .error")).to_contain_text("nothing was charged")
    await page.get_by_label("Sandbox payment result (test money only)").select_option("succeed")
    await page.get_by_role("button", name="Pay now").click()
    await expect(page.locator("#order-state")).to_have_text("Paid")
    await page.goto("/orders")
    await expect(page.locator("#orders li")).to_contain_text("Paid")
    await site.shoot(page, "orders")


async def test_a_shop_lists_a_product_and_ships_its_order(site: Site) -> None:
    store = await storefront(site.client, site.container)
    owner = store.owner
    page = await site.page(owner, "/shops")
    await page.get_by_role("link", name=store.shop["name"]).click()
    await page.get_by_text("上架新商品").click()
    await page.get_by_label("商品名称").fill("云南小粒咖啡 Yunnan coffee")
    await page.get_by_label("价格", exact=True).fill("12.5")
    await page.get_by_label("库存", exact=True).fill("30")
    await page.get_by_role("button", name="上架", exact=True).click()
    listed = page.locator("#shop-products > li", has_text="云南小粒咖啡")
    await expect(listed).to_contain_text("¥12.50")
    await expect(listed).to_contain_text("库存 30")
    await listed.get_by_label("「标准装」增加的库存（负数为减少）").fill("5")
    await listed.get_by_role("button", name="加库存").click()
    await expect(page.locator("#shop-products > li", has_text="云南小粒咖啡")).to_contain_text(
        "库存 35"
    )

    buyer = await site.person("ben", "王本")
    search = await site.page(buyer, "/products?q=咖啡")
    await expect(search.locator("#results .product-card")).to_have_count(1)
    await search.locator("#results .product-card").click()
    await search.get_by_role("button", name="立即购买").click()
    await search.get_by_role("button", name="立即付款").click()
    await expect(search.locator("#order-state")).to_have_text("已付款")

    await page.reload()
    order = page.locator("#shop-orders li").first
    await expect(order).to_contain_text("已付款")
    await site.shoot(page, "shop")
    await order.get_by_role("link").click()
    await page.get_by_role("button", name="发货").click()
    await expect(page.locator("#order-state")).to_have_text("已发货")


async def test_a_running_deal_shows_its_price_and_counts_down(site: Site) -> None:
    store = await storefront(site.client, site.container, price=2550, stock=20)
    now = site.container.clock.now()
    scheduled = await site.client.post(
        f"/api/v1/skus/{store.sku_id}/deals",
        headers=store.owner.headers,
        json={
            "price": 1990,
            "starts_at": now.isoformat(),
            "ends_at": (now + timedelta(hours=2)).isoformat(),
            "stock_cap": 5,
            "per_customer_limit": 2,
        },
    )
    assert scheduled.status_code == 201, scheduled.text
    ben = await site.person("ben", "Ben")
    page = await site.page(ben, f"/products/{store.product['id']}", locale="en-US")
    await expect(page.locator("#product-price")).to_have_text("CN¥19.90")
    await expect(page.locator("#product-regular")).to_have_text("CN¥25.50")
    await expect(page.locator("#deal-label")).to_have_text("Deal price · 5 left · ends in")
    clock = page.locator("#deal-countdown")
    await expect(clock).to_have_text(re.compile(r"^01:59:\d\d$"))
    first = await clock.inner_text()
    await expect(clock).not_to_have_text(first)  # it ticks


async def test_the_order_page_offers_what_the_server_allows_a_refund_after_completion(
    site: Site,
) -> None:
    store = await storefront(site.client, site.container, price=2550)
    ben = await site.person("ben", "Ben")
    order = await buy(site.client, ben, store.sku_id)
    for who, path in ((store.owner, "ship"), (ben, "deliver"), (ben, "complete")):
        done = await site.client.post(f"/api/v1/orders/{order['id']}/{path}", headers=who.headers)
        assert done.status_code == 200, done.text

    buyer_page = await site.page(ben, f"/orders/{order['id']}", locale="en-US")
    await expect(buyer_page.locator("#order-state")).to_have_text("Completed")
    await expect(buyer_page.locator("#order-actions button")).to_have_count(0)
    await expect(buyer_page.locator("#pay-section")).to_be_hidden()

    page = await site.page(store.owner, f"/orders/{order['id']}", locale="en-US")
    await expect(page.locator("#order-state")).to_have_text("Completed")
    offered = page.locator("#order-actions button")
    await expect(offered).to_have_text(["Refund"])
    await offered.click()
    await expect(page.locator("#order-state")).to_have_text("Refunded")
    await expect(page.locator("#order-actions button")).to_have_count(0)


async def test_the_cart_shows_each_shops_subtotal_and_the_total_from_the_server(
    site: Site,
) -> None:
    tea = await storefront(site.client, site.container, owner_name="tea_shop", price=2550)
    nuts = await storefront(site.client, site.container, owner_name="nut_shop", price=1000)
    ben = await site.person("ben", "Ben")
    for sku_id, quantity in ((tea.sku_id, 2), (nuts.sku_id, 3)):
        put = await site.client.put(
            f"/api/v1/cart/items/{sku_id}", headers=ben.headers, json={"quantity": quantity}
        )
        assert put.status_code == 200, put.text
    cart = put.json()
    assert [(s["subtotal"], s["currency"]) for s in cart["shops"]] == [(5100, "CNY"), (3000, "CNY")]
    assert cart["totals"] == [{"currency": "CNY", "amount": 8100}]

    page = await site.page(ben, "/cart", locale="en-US")
    blocks = page.locator("#cart section")
    await expect(blocks).to_have_count(2)
    await expect(blocks.nth(0)).to_contain_text("Subtotal: CN¥51.00")
    await expect(blocks.nth(1)).to_contain_text("Subtotal: CN¥30.00")
    await expect(page.locator("#cart .cart-total")).to_have_text("Total: CN¥81.00")
