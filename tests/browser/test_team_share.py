"""A private team purchase shared the way friends share one: its opener pays, posts the team's
card into a group chat from the order page; a friend in that chat joins through the card and
pays; the opener watches the team fill without reloading, on the card and on the team's own page
(at phone width), and is told that it filled. The order history says "paid" once."""

from __future__ import annotations

import re

from playwright.async_api import expect

from tests.browser.conftest import MOBILE, Site
from tests.e2e.commerce.kit import settle, storefront
from tests.factories import join_open_group


async def test_a_friend_joins_a_private_team_through_its_card_and_the_opener_sees_it_fill(
    site: Site,
) -> None:
    store = await storefront(site.client, site.container, price=9900, team_size=2, team_price=6900)
    mei = await site.person("mei", "林美")
    ben = await site.person("ben", "王本")
    cid = await join_open_group(site.client, mei, ben, name="邻居团购群")
    product_id = store.product["id"]

    # Mei opens a private team (the default) and pays: the order page invites her to share it.
    mei_page = await site.page(mei, f"/products/{product_id}")
    await mei_page.get_by_role("button", name="发起拼团").click()
    await expect(mei_page).to_have_url(re.compile(r"/orders/\d+$"))
    await mei_page.get_by_role("button", name="立即付款").click()
    invite = mei_page.locator("#order-team-invite")
    await expect(invite.get_by_role("heading", name="邀请好友参团")).to_be_visible()
    link = await invite.get_by_label("拼团链接").input_value()
    assert re.fullmatch(rf"{re.escape(site.url)}/teams/\d+\?code=[\w-]+", link), link
    await invite.get_by_label("把拼团卡片发到").select_option(label="邻居团购群")
    await invite.get_by_label("说两句（可选）").fill("再来一人就成团！")
    await invite.get_by_role("button", name="发送拼团卡片").click()
    await expect(mei_page).to_have_url(re.compile(rf"/chats/{cid}$"))
    mei_card = mei_page.locator(".team-card")
    await expect(mei_card.locator(".team-count")).to_have_text("已拼 1/2 人")
    await expect(mei_card.get_by_role("link", name="查看拼团")).to_be_visible()

    # The team's own page, from the link, on Mei's phone.
    team_page = await site.page(mei, link.removeprefix(site.url), viewport=MOBILE)
    await expect(team_page.locator("#team-progress-text")).to_have_text("已拼 1/2 人")
    await expect(team_page.locator("#team-product")).to_have_text(store.product["name"])
    await expect(team_page.locator("#team-price")).to_contain_text("69.00")
    await expect(
        team_page.locator("#team-invite").get_by_role("button", name="复制链接")
    ).to_be_visible()
    width = await team_page.evaluate("document.documentElement.scrollWidth")
    assert width <= MOBILE["width"], width
    await site.shoot(team_page, "team-page")

    # Ben, in the group on his phone, joins from the card and pays.
    ben_page = await site.page(ben, f"/chats/{cid}", viewport=MOBILE)
    ben_card = ben_page.locator(".team-card")
    await expect(ben_card.locator(".card-words")).to_have_text("再来一人就成团！")
    await expect(ben_card.locator(".team-count")).to_have_text("已拼 1/2 人")
    await site.shoot(ben_page, "team-card")
    await ben_card.get_by_role("button", name=re.compile(r"69\.00 参团$")).click()
    await expect(ben_page).to_have_url(re.compile(r"/orders/\d+$"))
    await ben_page.get_by_role("button", name="立即付款").click()
    await expect(ben_page.locator("#order-team-text")).to_contain_text("拼团成功")

    # Mei sees it fill where she is, without reloading: the card in her chat and the team page.
    await expect(mei_card.locator(".team-count")).to_have_text("已拼 2/2 人")
    await expect(mei_card.locator(".team-state")).to_have_text("拼团成功！")
    await expect(team_page.locator("#team-progress-text")).to_have_text("已拼 2/2 人")
    await expect(team_page.locator("#team-state")).to_have_text("拼团成功！")
    await expect(team_page.locator("#team-invite")).to_be_hidden()

    # She is told that it filled, and her order's history says "paid" once.
    await settle(site.container)
    await mei_page.goto("/notifications")
    told = mei_page.locator("li.notification[data-kind='team_filled']")
    await expect(told).to_contain_text(f"「{store.product['name']}」拼团已成团")
    await told.get_by_role("link").click()
    await expect(mei_page).to_have_url(re.compile(r"/orders/\d+$"))
    history = mei_page.locator("#order-history li")
    await expect(history).to_have_count(3)
    await expect(history.filter(has_text="已付款")).to_have_count(1)
    await expect(history.filter(has_text="拼团成功，订单已确认")).to_have_count(1)


async def test_a_stranger_with_a_wrong_code_meets_no_team(site: Site) -> None:
    store = await storefront(site.client, site.container, price=9900, team_size=2, team_price=6900)
    mei = await site.person("mei", "林美")
    dan = await site.person("dan", "丁丹")
    opened = await site.client.post(
        "/api/v1/teams",
        headers={**mei.headers, "Idempotency-Key": "stranger-team"},
        json={"sku_id": store.sku_id},
    )
    team_id = opened.json()["team"]["id"]
    page = await site.page(dan, f"/teams/{team_id}?code=not-the-code-1", viewport=MOBILE)
    refusal = "这个团不存在或未公开，请通过分享链接加入。"
    await expect(page.get_by_role("alert")).to_have_text(refusal)
    await expect(page.locator("#team")).to_have_count(0)
