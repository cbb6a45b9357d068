"""Buying and running orders, the small things a person notices: a quantity the server refuses is
named on the page (never silently changed), the buyer hears when the order ships, cancelling
asks first, the shop's order page leads back to the shop's orders, and the tab has an icon."""

from __future__ import annotations

import re

from playwright.async_api import expect

from tests.browser.conftest import MOBILE, Site
from tests.e2e.commerce.kit import buy, checkout, order_of, storefront


async def test_a_refused_quantity_is_named_on_the_product_page_and_nothing_is_bought(
    site: Site,
) -> None:
    store = await storefront(site.client, site.container, price=3990)
    mei = await site.person("mei", "林美")
    page = await site.page(mei, f"/products/{store.product['id']}", viewport=MOBILE)
    form = page.locator("#buy-form")
    quantity = form.get_by_label("数量", exact=True)
    await quantity.fill("100000")
    await form.get_by_role("button", name="加入购物车").click()
    await expect(form.locator(".error")).to_have_text("“数量”不能大于 99。")
    await expect(form.locator(".ok")).to_be_hidden()  # not "added"
    for typed, said in (
        ("0", "“数量”不能小于 1。"),
        ("-5", "“数量”不能小于 1。"),
        ("2.5", "“数量”必须是整数。"),
        ("", "“数量”不能小于 1。"),
    ):
        await quantity.fill(typed)
        await form.get_by_role("button", name="立即购买").click()
        await expect(form.locator(".error")).to_have_text(said)
    await expect(page).to_have_url(re.compile(rf"/products/{store.product['id']}$"))
    assert (await site.client.get("/api/v1/cart", headers=mei.headers)).json()["lines"] == []
    assert (await site.client.get("/api/v1/orders", headers=mei.headers)).json() == []

    await quantity.fill("2")
    await form.get_by_role("button", name="加入购物车").click()
    await expect(form.locator(".ok")).to_contain_text("已加入购物车")
    await expect(form.locator(".error")).to_be_hidden()


async def test_each_refused_quantity_in_the_cart_is_named_beside_its_line(site: Site) -> None:
    store = await storefront(site.client, site.container, price=3990)
    mei = await site.person("mei", "林美")
    put = await site.client.put(
        f"/api/v1/cart/items/{store.sku_id}", headers=mei.headers, json={"quantity": 2}
    )
    assert put.status_code == 200, put.text

    async def in_cart() -> int:
        cart = (await site.client.get("/api/v1/cart", headers=mei.headers)).json()
        return int(cart["lines"][0]["quantity"])

    for locale, refusals in (
        (
            "zh-CN",
            [
                ("100000", "“数量”不能大于 99。"),
                ("-5", "“数量”不能小于 1。"),
                ("0", "“数量”不能小于 1。"),
            ],
        ),
        (
            "en",
            [("100000", "Quantity must be at most 99."), ("-5", "Quantity must be at least 1.")],
        ),
    ):
        page = await site.page(mei, "/cart", locale=locale)
        line = page.locator("#cart li").first
        box = line.get_by_role("spinbutton")
        await expect(box).to_have_value("2")
        for typed, said in refusals:
            await box.fill(typed)
            await box.press("Tab")
            await expect(line.locator(".error")).to_have_text(said)
            await expect(box).to_have_value(typed)  # what was typed stays, with its reason
            assert await in_cart() == 2

    await box.fill("3")
    await box.press("Tab")
    await expect(page.locator("#cart")).to_contain_text("119.70")  # the subtotal of 3 × 39.90
    await expect(page.locator("#cart li").first.get_by_role("spinbutton")).to_have_value("3")
    await expect(page.locator("#cart li .error:visible")).to_have_count(0)
    assert await in_cart() == 3


async def test_the_buyer_is_told_in_their_language_when_the_shop_ships(site: Site) -> None:
    store = await storefront(site.client, site.container, price=3990)
    ben = await site.person("ben", "王本")
    order = await buy(site.client, ben, store.sku_id)
    order_path = f"/orders/{order['id']}"

    # The shop works in English; its way back from the order is to the shop's orders.
    shop_page = await site.page(store.owner, order_path, locale="en")
    back = shop_page.locator("#order-back")
    await expect(back).to_have_text("‹ Shop orders")
    await expect(back).to_have_attribute("href", f"/shops/{store.shop['id']}/manage")
    await shop_page.get_by_role("button", name="Mark shipped").click()
    await expect(shop_page.locator("#order-state")).to_have_text("Shipped")

    # The buyer reads Chinese: the badge counts it, the notification says it, and leads to it.
    ben_page = await site.page(ben, "/orders")
    await expect(ben_page.locator("#notification-badge")).to_have_text("1")
    await ben_page.get_by_role("link", name=re.compile("^通知")).click()
    shipped = ben_page.locator('#notifications li[data-kind="order_shipped"]')
    await expect(shipped).to_contain_text(f"阿梅的小铺 Mei's shop 已发出你的订单 #{order['id']}")
    await shipped.get_by_role("link").click()
    await expect(ben_page).to_have_url(re.compile(rf"{order_path}$"))
    await expect(ben_page.locator("#order-state")).to_have_text("已发货")
    await expect(ben_page.locator("#order-back")).to_have_attribute("href", "/orders")


async def test_cancelling_an_order_asks_first(site: Site) -> None:
    store = await storefront(site.client, site.container, price=3990)
    mei = await site.person("mei", "林美")
    placed = await checkout(site.client, mei, [{"sku_id": store.sku_id, "quantity": 1}])
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["id"]
    page = await site.page(mei, f"/orders/{order_id}", viewport=MOBILE)

    await page.get_by_role("button", name="取消订单").click()
    question = page.locator("#cancel-confirm")
    await expect(question).to_contain_text("确定要取消这个订单吗？取消后无法恢复。")
    assert (await order_of(site.client, mei, order_id))["status"] == "pending"
    await question.get_by_role("button", name="暂不取消").click()
    await expect(question).to_be_hidden()
    await expect(page.locator("#order-state")).to_have_text("待付款")
    assert (await order_of(site.client, mei, order_id))["status"] == "pending"

    await page.get_by_role("button", name="取消订单").click()
    await page.locator("#cancel-confirm").get_by_role("button", name="确定取消").click()
    await expect(page.locator("#order-state")).to_have_text("已取消")
    assert (await order_of(site.client, mei, order_id))["status"] == "cancelled"


async def test_every_page_has_the_tuan_icon(site: Site) -> None:
    page = await site.page(None, "/login")
    icon = page.locator('link[rel="icon"]')
    await expect(icon).to_have_attribute("type", "image/svg+xml")
    href = await icon.get_attribute("href")
    assert href
    # The page's own policy lets the browser load it (a violation fails the test in conftest).
    loaded = await page.evaluate(
        """async (href) => {
          const image = new Image();
          image.src = href;
          await image.decode();
          return image.naturalWidth > 0;
        }""",
        href,
    )
    assert loaded
    served = await site.client.get(href)
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("image/svg+xml")
