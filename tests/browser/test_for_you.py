""" "For you" in the browser: suggestions from a friend's and a group's purchases, each with its
reason in the reader's language, and a friend's purchase gone the moment she hides it."""

from __future__ import annotations

from playwright.async_api import expect

from tests.browser.conftest import MOBILE, Site
from tests.e2e.commerce.kit import buy, list_product, settle, storefront
from tests.e2e.loop.loopkit import befriend, show
from tests.factories import join_open_group


async def test_for_you_explains_each_suggestion_and_respects_a_change_of_mind(
    site: Site,
) -> None:
    store = await storefront(site.client, site.container, price=6800)
    crabs = await list_product(
        site.client,
        store.owner,
        store.shop["id"],
        name="阳澄湖大闸蟹 Hairy crabs",
        category="fresh",
        skus=[{"label": "4 只", "price": 29800, "stock": 20}],
    )
    mei = await site.person("mei", "林美")
    fay = await site.person("fay", "方菲")
    ann = await site.person("ann", "安安")
    bob = await site.person("bob", "鲍勃")
    await befriend(site.client, mei, fay)
    await join_open_group(site.client, ann, mei, bob, name="五年级二班家长群")
    await show(site.client, fay, "purchases", "friends")
    for member in (ann, bob):
        await show(site.client, member, "purchases", "shared_groups")
        await buy(site.client, member, crabs["skus"][0]["id"])
    await buy(site.client, fay, store.product["skus"][0]["id"])
    await settle(site.container)

    page = await site.page(mei, "/for-you", viewport=MOBILE)
    await expect(page.get_by_role("heading", name="为你推荐")).to_be_visible()
    items = page.locator(".for-you-item")
    await expect(items).to_have_count(2)
    await expect(items.nth(0)).to_contain_text("阳澄湖大闸蟹 Hairy crabs")
    await expect(items.nth(0).locator(".price")).to_have_text("¥298.00")
    await expect(items.nth(0).locator(".reason")).to_have_text("五年级二班家长群 里有 2 人买了")
    await expect(items.nth(1).locator(".reason")).to_have_text("方菲 买了")
    await site.shoot(page, "for-you")

    # Fay changes her mind: her purchase leaves Mei's suggestions at once.
    await show(site.client, fay, "purchases", "nobody")
    await page.reload()
    await expect(items).to_have_count(1)
    await page.get_by_label("语言").select_option("en")  # switches at once
    await expect(page.get_by_role("heading", name="For you")).to_be_visible()
    await expect(items.nth(0).locator(".reason")).to_have_text(
        "2 people in 五年级二班家长群 bought this"
    )
    await items.nth(0).get_by_role("link").click()
    await expect(page.locator("#product-name")).to_have_text("阳澄湖大闸蟹 Hairy crabs")
