"""The main loop with a keyboard only (issue 24): open a chat, send, open a card, buy, pay and
tell the group, pressing Tab, typing and Enter; never a mouse."""

from __future__ import annotations

import re

from playwright.async_api import Locator, Page, expect

from tests.browser.conftest import MOBILE, Site
from tests.e2e.commerce.kit import storefront
from tests.e2e.loop.loopkit import share_card
from tests.factories import join_open_group

MOST_TABS = 150


async def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until ``target`` has the focus (as a keyboard user moves through the page)."""
    await expect(target).to_be_visible()
    for _ in range(MOST_TABS):
        await page.keyboard.press("Tab")
        if await target.evaluate("(element) => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


async def test_the_whole_loop_works_from_the_keyboard(site: Site) -> None:
    store = await storefront(site.client, site.container, price=3990)
    mei, ben = await site.person("mei", "林美"), await site.person("ben", "王本")
    cid = await join_open_group(site.client, mei, ben, name="邻居团购群")
    shared = await share_card(site.client, mei, cid, store.product["id"], text="很甜，推荐")
    assert shared.status_code == 201, shared.text

    page = await site.page(ben, "/chats", viewport=MOBILE)
    await tab_to(page, page.locator("#chat-list li", has_text="邻居团购群").get_by_role("link"))
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(re.compile(f"/chats/{cid}$"))

    await tab_to(page, page.get_by_label("消息"))
    await page.keyboard.type("我也想要一箱")
    await page.keyboard.press("Enter")
    await expect(page.locator(".message:not(.pending)", has_text="我也想要一箱")).to_be_visible()

    await tab_to(page, page.locator(".chat-card").get_by_role("link", name="去购买"))
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(re.compile(r"/products/\d+\?share=\d+$"))
    await tab_to(page, page.get_by_role("button", name="立即购买"))
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(re.compile(r"/orders/\d+$"))
    await tab_to(page, page.get_by_role("button", name="立即付款"))
    await page.keyboard.press("Enter")
    await expect(page.locator("#order-state")).to_have_text("已付款")

    await tab_to(page, page.get_by_label("说两句（可选）"))
    await page.keyboard.type("已下单，等收货")
    await tab_to(page, page.locator("#tell-group").get_by_role("button", name="告诉群里"))
    await page.keyboard.press("Enter")
    await expect(page.locator("#bought-done")).to_contain_text("已告诉群里")

    history = await site.client.get(f"/api/v1/conversations/{cid}/messages", headers=mei.headers)
    kinds = [(m["kind"], m["text"]) for m in history.json()["messages"]]
    assert ("purchase_report", "已下单，等收货") in kinds and ("text", "我也想要一箱") in kinds
