"""The social loop in the browser: a card shared into a group, bought from by a friend whose
"bought it" reaches the sharer's open chat without a reload; a review written on the order page
(markup in it stays text); privacy settings deciding what a friend's social-proof panel shows;
and a group's norms set by its admin and enforced when a member shares."""

from __future__ import annotations

import re

from playwright.async_api import expect

from tests.browser.conftest import MOBILE, Site, photo
from tests.browser.test_safety import assert_nothing_ran
from tests.e2e.commerce.kit import buy, list_product, settle, storefront
from tests.e2e.loop.loopkit import befriend, delivered_order, share_card, show
from tests.factories import join_open_group

REVIEW = '<img src=x onerror="window.pwned=9"><script>window.pwned=10</script> 偏轻，不值'


async def test_a_friend_buys_from_a_card_and_bought_it_appears_live_for_the_sharer(
    site: Site,
) -> None:
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

    # Mei shares it from the product page, with her words; her chat opens with the card in it.
    mei_page = await site.page(mei, f"/products/{product_id}")
    await expect(mei_page.locator("#product-name")).to_have_text("每日坚果礼盒 Daily nuts")
    await mei_page.get_by_label("聊天", exact=True).select_option(label="邻居团购群")
    await mei_page.get_by_label("说两句（可选）").fill("孩子很爱吃，推荐！")
    await mei_page.get_by_role("button", name="分享").click()
    await expect(mei_page).to_have_url(re.compile(f"/chats/{cid}$"))
    await expect(mei_page.locator(".chat-card .card-words")).to_have_text("孩子很爱吃，推荐！")

    # Ben sees the live card: price now, the paid-share label, and a Buy button with the share.
    ben_page = await site.page(ben, f"/chats/{cid}", viewport=MOBILE)
    card = ben_page.locator(".message .chat-card")
    await expect(card.locator(".price")).to_have_text("¥128.00")
    await expect(card.locator(".paid-label")).to_have_text("有佣金 · 分享者可得 5% 佣金")
    await expect(card.locator(".card-words")).to_have_text("孩子很爱吃，推荐！")
    buy_link = card.get_by_role("link", name="去购买")
    await expect(buy_link).to_have_attribute(
        "href", re.compile(rf"^/products/{product_id}\?share=\d+$")
    )
    await card.get_by_role("button", name="0 人点赞").click()
    await expect(card.get_by_role("button", name="1 人点赞")).to_have_attribute(
        "aria-pressed", "true"
    )
    await site.shoot(ben_page, "chat-product-card")
    # Ben asks under the card; what he typed stays text.
    await card.get_by_role("button", name="💬 0 条评论").click()
    await card.get_by_label("写评论").fill("<b>几袋？</b> 一袋多少克")
    await card.get_by_role("button", name="发送").click()
    await expect(card.locator(".comments li .text")).to_have_text("<b>几袋？</b> 一袋多少克")
    await expect(card.get_by_role("button", name="💬 1 条评论")).to_be_visible()
    await buy_link.click()
    await ben_page.get_by_role("button", name="立即购买").click()
    await expect(ben_page).to_have_url(re.compile(r"/orders/\d+$"))
    await ben_page.get_by_role("button", name="立即付款").click()
    await expect(ben_page.locator("#order-state")).to_have_text("已付款")

    # After paying: "Tell the group", which posts into the chat the card came from.
    tell = ben_page.locator("#tell-group")
    await expect(tell).to_be_visible()
    await ben_page.get_by_label("说两句（可选）").fill("已下单，等收货")
    await tell.get_by_role("button", name="告诉群里").click()
    await expect(ben_page.locator("#bought-done")).to_contain_text("已告诉群里")

    # Mei's chat, left open, shows the report without a reload, mentioning her.
    report = mei_page.locator(".message.kind-purchase_report")
    await expect(report).to_contain_text("买到了")
    await expect(report.locator(".text")).to_have_text("已下单，等收货")
    await expect(report.locator(".mention")).to_have_text("@林美")
    await expect(report.locator(".who")).to_have_text("王本")
    await site.shoot(mei_page, "chat-bought-it")
    # Mei reads Ben's question under her card, and likes and answers his report.
    mei_card = mei_page.locator(".message .chat-card")
    await mei_card.locator(".comments-toggle").click()
    await expect(mei_card.locator(".comments li .text")).to_have_text("<b>几袋？</b> 一袋多少克")
    await report.get_by_role("button", name="0 人点赞").click()
    await expect(report.get_by_role("button", name="1 人点赞")).to_have_attribute(
        "aria-pressed", "true"
    )
    await report.get_by_role("button", name="💬 0 条评论").click()
    await report.get_by_label("写评论").fill("收到货告诉我好不好吃")
    await report.get_by_role("button", name="发送").click()
    await expect(report.locator(".comments li .name")).to_have_text("林美")
    await assert_nothing_ran(mei_page)
    await site.shoot(mei_page, "chat-comments")

    orders = (await site.client.get("/api/v1/orders", headers=ben.headers)).json()
    order = (await site.client.get(f"/api/v1/orders/{orders[0]['id']}", headers=ben.headers)).json()
    assert order["commission"]["sharer_username"] == "mei"


async def test_a_team_card_shows_its_fill_and_leads_into_the_team(site: Site) -> None:
    store = await storefront(site.client, site.container, price=9900, team_size=2, team_price=6900)
    mei = await site.person("mei", "林美")
    ben = await site.person("ben", "王本")
    cid = await join_open_group(site.client, mei, ben, name="团购群")
    opened = await site.client.post(
        "/api/v1/teams",
        headers={**mei.headers, "Idempotency-Key": "team-card-1"},
        # A private team: the card carries its code to the group Mei chose to post it in.
        json={"sku_id": store.sku_id, "quantity": 1, "allow_public_join": False},
    )
    assert opened.status_code == 201, opened.text
    team_id = opened.json()["team"]["id"]
    paid = await site.client.post(
        f"/api/v1/orders/{opened.json()['order']['id']}/payments",
        headers=mei.headers,
        json={"sandbox_outcome": "succeed"},
    )
    assert paid.status_code == 201, paid.text
    shared = await share_card(site.client, mei, cid, store.product["id"], team_id=team_id)
    assert shared.status_code == 201, shared.text

    page = await site.page(ben, f"/chats/{cid}", viewport=MOBILE)
    card = page.locator(".chat-card")
    await expect(card.locator(".team-count")).to_have_text("已拼 1/2 人")
    await expect(card.locator("progress")).to_have_attribute("value", "1")
    await expect(card.locator(".card-team .countdown")).to_have_text(
        re.compile(r"^(\d+天 )?\d\d:\d\d:\d\d$")
    )
    # Its name leads to the team's own page (a private team's link carries its code); Ben joins.
    await card.get_by_role("link", name=store.product["name"]).click()
    await expect(page).to_have_url(re.compile(rf"/teams/{team_id}\?code=[\w-]+$"))
    await page.get_by_role("button", name=re.compile("参团")).click()
    await expect(page).to_have_url(re.compile(r"/orders/\d+$"))
    await page.get_by_role("button", name="立即付款").click()
    await expect(page.locator("#order-team-text")).to_contain_text("拼团成功")


async def test_a_review_written_on_the_order_page_shows_its_markup_as_text(site: Site) -> None:
    store = await storefront(site.client, site.container, price=5900)
    mei = await site.person("mei", "林美")
    ben = await site.person("ben", "王本")
    cid = await join_open_group(site.client, mei, ben, name="同事群")
    shared = await share_card(site.client, mei, cid, store.product["id"])
    assert shared.status_code == 201, shared.text
    order = await delivered_order(
        site.client, site.container, ben, store.owner, store.sku_id, shared.json()["share_id"]
    )

    mei_page = await site.page(mei, f"/chats/{cid}", locale="en-US")
    await expect(mei_page.locator(".chat-card .price")).to_have_text("CN¥59.00")
    await expect(mei_page.locator(".chat-card .paid-label")).to_have_text(
        "Paid share · the sharer earns 10% commission"
    )

    page = await site.page(ben, f"/orders/{order['id']}", viewport=MOBILE)
    await expect(page.locator("#order-state")).to_have_text("已送达")
    review = page.locator("#review-section")
    await review.get_by_label("2 星").check()
    await review.get_by_label("评价内容").fill(REVIEW)
    await review.get_by_label("照片（最多 9 张）").set_input_files(
        {"name": "nuts.jpg", "mimeType": "image/jpeg", "buffer": photo(800, 600)}
    )
    await site.shoot(page, "write-review")
    await review.get_by_role("button", name="发布评价").click()
    # What was posted, and where: the chat's name, a link to it (no raw ",http://…").
    await expect(page.locator("#review-done")).to_have_text("评价已发布。 发在「同事群」。")
    await expect(page.locator("#review-done").get_by_role("link")).to_have_attribute(
        "href", f"/chats/{cid}"
    )
    await expect(page.locator("#review-done")).not_to_contain_text("http")
    # Back on the order later, the page knows: no second review offered.
    await page.reload()
    await expect(page.locator("#review-done")).to_contain_text("评价已发布")
    await expect(page.locator("#review-form")).to_be_hidden()

    # Live in the sharer's chat: stars, the words as typed, the photo resized on the server.
    card = mei_page.locator(".message.kind-review_card")
    await expect(card.locator(".review-text")).to_have_text(REVIEW)
    await expect(card.locator(".stars")).to_have_attribute("aria-label", "2 stars")
    await expect(card.locator(".pill")).to_have_text("Verified purchase")
    await expect(card.locator(".report-kind")).to_have_text("Reviewed 每日坚果礼盒 Daily nuts")
    src = await card.locator(".card-photos img").get_attribute("src")
    assert src and src.startswith("/thumbs/320/")
    await site.shoot(mei_page, "chat-review")
    await assert_nothing_ran(mei_page)

    # On the product page the author sees their own review, as text.
    await page.goto(f"/products/{store.product['id']}")
    mine = page.locator("#reviews .review")
    await expect(mine.locator(".review-text")).to_have_text(REVIEW)
    await expect(page.locator("#rating-overall")).to_contain_text("2.0")
    await assert_nothing_ran(page)
    await page.reload()
    await page.wait_for_load_state("networkidle")
    await assert_nothing_ran(page)


async def test_hiding_purchases_in_settings_removes_them_from_a_friends_social_proof(
    site: Site,
) -> None:
    store = await storefront(site.client, site.container)
    olive = await site.person("olive", "奥莉")
    fay = await site.person("fay", "菲菲")
    await befriend(site.client, olive, fay)
    group = await join_open_group(site.client, olive, fay, name="小区妈妈群")
    await show(site.client, olive, "purchases", "friends")
    await show(site.client, olive, "ratings", "friends")
    order = await delivered_order(site.client, site.container, olive, store.owner, store.sku_id)
    reviewed = await site.client.post(
        f"/api/v1/orders/{order['id']}/reviews",
        headers=olive.headers,
        json={"stars": 5, "text": "很新鲜"},
    )
    assert reviewed.status_code == 201, reviewed.text
    await settle(site.container)
    product_path = f"/products/{store.product['id']}"

    fay_page = await site.page(fay, product_path, viewport=MOBILE)
    await expect(fay_page.locator("#proof-friends li")).to_have_text(["奥莉"])
    await expect(fay_page.locator("#proof-friend-reviews li")).to_contain_text(["奥莉"])
    await expect(fay_page.locator("#proof-groups li")).to_contain_text(["小区妈妈群"])
    await expect(fay_page.locator("#rating-friends")).to_contain_text("5.0")
    await fay_page.locator("#social-proof").scroll_into_view_if_needed()
    await site.shoot(fay_page, "product-social-proof")

    # Olive hides her purchases from everyone.
    settings = await site.page(olive, "/settings")
    purchases = settings.get_by_label("谁能看到我买了什么")
    await expect(purchases).to_have_value("friends")
    await purchases.select_option("nobody")
    await expect(settings.locator("#privacy-form .ok")).to_be_visible()
    saved = (await site.client.get("/api/v1/me/privacy", headers=olive.headers)).json()
    assert saved["purchases"] == {"audience": "nobody", "group_ids": []}

    await fay_page.reload()
    await expect(fay_page.locator("#proof-friends li")).to_have_text(["还没有你能看到的好友买过。"])
    await expect(fay_page.locator("#proof-groups li")).to_have_text(
        ["你的群里还没有你能看到的人买过。"]
    )
    # her rating is a separate choice, still shown to friends
    await expect(fay_page.locator("#proof-friend-reviews li")).to_contain_text(["奥莉"])

    # Then to chosen groups only: Fay is in the chosen group, so she sees it again.
    await purchases.select_option("groups")
    chooser = settings.locator("#purchases-audience .audience-groups")
    await expect(chooser).to_be_visible()
    await chooser.get_by_label("小区妈妈群").check()
    await expect(settings.locator("#privacy-form .ok")).to_be_visible()
    await site.shoot(settings, "privacy-settings")
    saved = (await site.client.get("/api/v1/me/privacy", headers=olive.headers)).json()
    assert saved["purchases"] == {"audience": "groups", "group_ids": [group]}
    await fay_page.reload()
    await expect(fay_page.locator("#proof-friends li")).to_have_text(["奥莉"])


async def test_an_admin_sets_a_promotion_cap_and_sharing_past_it_is_refused(site: Site) -> None:
    store = await storefront(site.client, site.container)
    other = await list_product(
        site.client,
        store.owner,
        store.shop["id"],
        name="洗衣液 Laundry liquid",
        skus=[{"label": "2L", "price": 3900, "stock": 10}],
    )
    mei = await site.person("mei", "林美")
    ben = await site.person("ben", "王本")
    gid = await join_open_group(site.client, mei, ben, name="邻居群")

    admin = await site.page(mei, f"/groups/{gid}/admin")
    norms = admin.locator("#norms-form")
    await expect(norms.get_by_label("不允许再分享有争议的商品")).to_be_checked()
    await norms.get_by_label("每人每天最多分享商品数").fill("1")
    await norms.get_by_role("button", name="保存").click()
    await expect(norms.locator(".ok")).to_be_visible()
    await site.shoot(admin, "group-norms")
    got = (await site.client.get(f"/api/v1/groups/{gid}/norms", headers=ben.headers)).json()
    assert got["promotion_cap"] == 1

    page = await site.page(ben, f"/products/{store.product['id']}")
    await page.get_by_label("聊天", exact=True).select_option(label="邻居群")
    await page.get_by_role("button", name="分享").click()
    await expect(page).to_have_url(re.compile(f"/chats/{gid}$"))
    await expect(page.locator(".chat-card")).to_have_count(1)
    await page.goto(f"/products/{other['id']}")
    await page.get_by_label("聊天", exact=True).select_option(label="邻居群")
    await page.get_by_role("button", name="分享").click()
    await expect(page.locator("#share-form .error")).to_contain_text("明天再试")
    await expect(page).to_have_url(re.compile(r"/products/\d+$"))


async def test_a_bought_it_report_needs_a_payment_first(site: Site) -> None:
    """The order page offers "Tell the group" only once paid, and only for a shared purchase."""
    store = await storefront(site.client, site.container)
    ben = await site.person("ben", "Ben")
    order = await buy(site.client, ben, store.sku_id)
    page = await site.page(ben, f"/orders/{order['id']}", locale="en-US")
    await expect(page.locator("#order-state")).to_have_text("Paid")
    await expect(page.locator("#tell-group")).to_be_hidden()
    await expect(page.locator("#review-section")).to_be_hidden()
