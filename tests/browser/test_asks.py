"""Asking a group for a recommendation in the browser: the asker posts the composer's words as a
request, a friend finds a product and recommends it from the request's card, the answer's card
arrives in the chat, and the asker chooses it. Markup in the request stays text; an empty request
and a recommendation the group's norms refuse each say why, where the person is looking."""

from __future__ import annotations

import re

from playwright.async_api import expect

from tests.browser.conftest import MOBILE, Site
from tests.browser.test_safety import assert_nothing_ran
from tests.e2e.commerce.kit import storefront
from tests.factories import join_open_group

QUESTION = '想给孩子买点坚果零食，<b>有推荐吗？</b><img src=x onerror="window.pwned=11">'
PRODUCT = "每日坚果礼盒 Daily nuts"
REASON = "孩子很爱吃，<i>一天一包</i>"


async def test_a_friend_recommends_a_product_on_a_request_and_the_asker_chooses_it(
    site: Site,
) -> None:
    store = await storefront(site.client, site.container, price=12800)
    product_id = store.product["id"]
    mei = await site.person("mei", "林美")
    ben = await site.person("ben", "王本")
    cid = await join_open_group(site.client, mei, ben, name="邻居团购群")

    ben_page = await site.page(ben, f"/chats/{cid}", viewport=MOBILE)
    await expect(ben_page.locator("#chat-title")).to_have_text("邻居团购群")
    mei_page = await site.page(mei, f"/chats/{cid}")
    await expect(mei_page.locator("#chat-title")).to_have_text("邻居团购群")
    ask_action = mei_page.get_by_role("button", name="求推荐", exact=True)

    # Nothing typed yet: the request is refused where she looks, and nothing is posted.
    await ask_action.click()
    await expect(mei_page.locator("#composer-error")).to_have_text("请先写下你想找什么。")
    await expect(mei_page.get_by_label("消息")).to_be_focused()

    await mei_page.get_by_label("消息").fill(QUESTION)
    await ask_action.click()
    mine = mei_page.locator(".message.kind-recommendation_ask")
    await expect(mine.locator(".report-kind")).to_have_text("求推荐")
    await expect(mine.locator(".report-card .text")).to_have_text(QUESTION)
    await expect(mei_page.get_by_label("消息")).to_have_value("")
    await expect(mei_page.locator("#chat-status")).to_be_hidden()
    await expect(mine.locator(".ask-answers")).to_have_text("还没有人推荐。")
    # The asker chooses; she does not recommend to herself.
    await expect(mine.get_by_role("button", name="推荐一个")).to_have_count(0)
    ask_id = await mine.locator(".report-card").get_attribute("data-ask-id")
    assert ask_id and ask_id.isdigit()

    # Ben's open chat shows the request live, with his way to answer it.
    request = ben_page.locator(".message.kind-recommendation_ask")
    await expect(request.locator(".report-card .text")).to_have_text(QUESTION)
    await expect(request.locator(".who")).to_have_text("林美")
    await request.get_by_role("button", name="推荐一个").click()
    await expect(request.get_by_role("button", name="推荐一个")).to_have_attribute(
        "aria-expanded", "true"
    )
    await expect(request.get_by_label("搜索商品")).to_be_focused()
    await request.get_by_label("搜索商品").fill("坚果")
    await request.get_by_role("button", name="搜索", exact=True).click()
    found = request.locator(".ask-results li")
    await expect(found).to_have_count(1)
    await expect(found.locator(".name")).to_have_text(PRODUCT)
    await expect(found.locator(".price")).to_have_text("¥128.00")
    await request.get_by_label("推荐理由（可选）").fill(REASON)
    await site.shoot(ben_page, "chat-ask-recommend")
    await request.get_by_role("button", name=f"推荐「{PRODUCT}」").click()
    await expect(request.locator(".ask-status")).to_have_text(f"已推荐「{PRODUCT}」。")
    await expect(request.locator(".ask-recommend")).to_be_hidden()

    # The answer is a product card in the chat, with his reason, for both of them.
    for page in (ben_page, mei_page):
        answer_card = page.locator(".message.kind-product_card")
        await expect(answer_card.locator(".ask-reply")).to_have_text("回复求推荐")
        await expect(answer_card.locator(".card-words")).to_have_text(REASON)
        await expect(answer_card.locator(".card-live .name")).to_have_text(PRODUCT)
    # Ben sees his answer listed, and cannot choose for Mei.
    await expect(request.locator(".ask-answer .name")).to_have_text(PRODUCT)
    await expect(request.get_by_role("button", name=re.compile("就选这个"))).to_have_count(0)

    # Mei's request lists the answer (arrived live) and she chooses it.
    answer = mine.locator(".ask-answer")
    await expect(answer).to_have_count(1)
    await expect(answer.get_by_role("link", name=PRODUCT)).to_have_attribute(
        "href", re.compile(rf"^/products/{product_id}\?share=\d+$")
    )
    await expect(answer.locator(".ask-answer-by .hint")).to_have_text("王本 推荐")
    await expect(answer.locator(".chosen-mark")).to_have_count(0)
    await site.shoot(mei_page, "chat-ask-answered")
    await answer.get_by_role("button", name=f"就选这个：{PRODUCT}").click()
    await expect(answer.locator(".chosen-mark")).to_have_text("✓ 已选")
    await expect(answer).to_have_class(re.compile(r"\bchosen\b"))
    await expect(answer.get_by_role("button", name=re.compile("就选这个"))).to_have_count(0)
    await site.shoot(mei_page, "chat-ask")

    got = await site.client.get(f"/api/v1/asks/{ask_id}", headers=mei.headers)
    assert got.status_code == 200, got.text
    ask = got.json()
    assert ask["status"] == "chosen"
    assert [a["product_id"] for a in ask["answers"]] == [product_id]
    assert ask["chosen_share_id"] == ask["answers"][0]["share_id"]
    assert ask["answers"][0]["answerer_display_name"] == "王本"

    # Ben's open chat shows the choice at once, and that the request no longer takes answers.
    request = ben_page.locator(".message.kind-recommendation_ask")
    await expect(request.locator(".ask-answer .chosen-mark")).to_have_text("✓ 已选")
    await expect(request).to_contain_text("提问的人已经选好了。")
    await expect(request.get_by_role("button", name="推荐一个")).to_be_hidden()
    await expect(request.locator(".meta")).not_to_contain_text("已编辑")
    await ben_page.reload()  # and so does a fresh load of it
    await expect(request.locator(".ask-answer .chosen-mark")).to_have_text("✓ 已选")
    for page in (mei_page, ben_page):
        await assert_nothing_ran(page)


async def test_a_recommendation_the_groups_norms_refuse_says_why_on_the_request(
    site: Site,
) -> None:
    store = await storefront(site.client, site.container)
    mei = await site.person("mei", "Mei")
    ben = await site.person("ben", "Ben")
    gid = await join_open_group(site.client, mei, ben, name="No ads")
    capped = await site.client.patch(
        f"/api/v1/groups/{gid}/norms", headers=mei.headers, json={"promotion_cap": 0}
    )
    assert capped.status_code == 200, capped.text
    asked = await site.client.post(
        "/api/v1/asks",
        headers=mei.headers,
        json={"text": "Any good nuts for the kids?", "conversation_ids": [gid]},
    )
    assert asked.status_code == 201, asked.text

    page = await site.page(ben, f"/chats/{gid}", locale="en-GB", viewport=MOBILE)
    request = page.locator(".message.kind-recommendation_ask")
    await expect(request.locator(".ask-answers")).to_have_text("No recommendations yet.")
    await request.get_by_role("button", name="Recommend a product").click()
    await request.get_by_label("Search products").fill("nuts")
    await request.get_by_role("button", name="Search", exact=True).click()
    await request.get_by_label("Why you recommend it (optional)").fill("We buy these every week")
    await request.get_by_role("button", name=f"Recommend {store.product['name']}").click()
    # The page shows the API's own explanation (the server fills in the group's numbers).
    await expect(request.locator(".ask-status")).to_have_text(
        re.compile(
            r"^This group .+ a day, and you have reached (it|that) today\. Try again tomorrow\.$"
        )
    )
    # Nothing was posted, and what he wrote is still there to try again later.
    await expect(page.locator(".message.kind-product_card")).to_have_count(0)
    await expect(request.get_by_label("Why you recommend it (optional)")).to_have_value(
        "We buy these every week"
    )
    await expect(request.locator(".ask-answers")).to_have_text("No recommendations yet.")
    await site.shoot(page, "chat-ask-refused")
