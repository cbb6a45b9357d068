"""A chat that shows its last message (issue 15): the newest message in full view above the
composer after opening, sending and receiving, also when a photo or a card's details arrive
late, on a phone and on a desktop; a reader who scrolled up is told of new messages instead of
being moved; a message of only spaces is refused in the page's language; a "bought it" in a busy
group in the buyer's own words; the chat list after an edit."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import pytest
from playwright.async_api import expect

from tests.browser.conftest import DESKTOP, MOBILE, Site, photo
from tests.e2e.commerce.kit import buy, storefront
from tests.e2e.loop.loopkit import share_card
from tests.factories import Person, join_open_group, say

if TYPE_CHECKING:
    from playwright.async_api import Page, Route

# The last message of the chat is wholly on screen, above the composer (and, if given, says
# ``text``; with ``null``, it is a photo that has loaded).
LAST_IN_FULL_VIEW = """(text) => {
  const items = document.querySelectorAll("#messages > li");
  const last = items[items.length - 1];
  if (!last) return false;
  if (text !== null && !last.textContent.includes(text)) return false;
  if (text === null) {
    const img = last.querySelector("img");
    if (!img || !img.complete || img.naturalWidth === 0) return false;
  }
  const shown = last.getBoundingClientRect();
  const composer = document.getElementById("composer").getBoundingClientRect();
  return shown.top >= 0 && shown.bottom <= composer.top + 1;
}"""

WORDS = "米粉收到啦，谢谢美美推荐！"


async def in_full_view(page: Page, text: str | None) -> None:
    await page.wait_for_function(LAST_IN_FULL_VIEW, arg=text)


def held_until(released: asyncio.Event) -> Callable[[Route], Awaitable[None]]:
    """A route handler that lets the request through only once ``released`` is set."""

    async def hold(route: Route) -> None:
        await released.wait()
        await route.continue_()

    return hold


async def chat_with_history(site: Site, *, count: int = 30) -> tuple[Person, Person, int]:
    mei = await site.person("mei", "林美")
    ben = await site.person("ben", "王本")
    cid = await join_open_group(site.client, mei, ben, name="五年级二班家长群")
    for n in range(count):
        said = await say(site.client, ben, cid, f"第 {n + 1} 条：明天的团购接龙，大家看一下")
        assert said.status_code == 201, said.text
    return mei, ben, cid


@pytest.mark.parametrize("viewport", [MOBILE, DESKTOP], ids=["phone", "desktop"])
async def test_the_newest_message_is_in_full_view_after_opening_sending_and_receiving(
    site: Site, viewport: dict[str, int]
) -> None:
    store = await storefront(site.client, site.container)
    mei, ben, cid = await chat_with_history(site)
    uploaded = await site.client.post(
        f"/api/v1/conversations/{cid}/images",
        headers=ben.headers,
        files={"file": ("橘子.jpg", photo(), "image/jpeg")},
    )
    assert uploaded.status_code == 201, uploaded.text
    sent = await say(
        site.client, ben, cid, "", kind="image", payload={"key": uploaded.json()["key"]}
    )
    assert sent.status_code == 201, sent.text

    # The photo and a card's live details arrive only when the test lets them.
    photos, cards = asyncio.Event(), asyncio.Event()
    context = await site.context(mei, viewport=viewport)
    await context.route("**/thumbs/640/**", held_until(photos))
    await context.route(re.compile(r"/api/v1/cards/\d+$"), held_until(cards))
    page = await context.new_page()
    await page.goto(f"/chats/{cid}")

    # Opening: the photo, last, is in full view once it has loaded and grown.
    await expect(page.locator(".message img")).to_have_count(1)
    photos.set()
    await in_full_view(page, None)

    # Sending: my message, above the composer.
    await page.get_by_label("消息").fill("我八点到")
    await page.keyboard.press("Enter")
    await expect(page.locator(".message.mine[data-seq]", has_text="我八点到")).to_have_count(1)
    await in_full_view(page, "我八点到")

    # Receiving: Ben's answer, then a card whose price and buttons come later.
    await say(site.client, ben, cid, "好的，门口见")
    await in_full_view(page, "好的，门口见")
    shared = await share_card(site.client, ben, cid, store.product["id"], text="这个坚果好吃")
    assert shared.status_code == 201, shared.text
    await expect(page.locator(".chat-card .card-words")).to_have_text("这个坚果好吃")
    cards.set()
    await expect(page.locator(".chat-card .button.buy")).to_be_visible()
    await in_full_view(page, "去购买")


async def test_a_reader_who_scrolled_up_is_told_of_new_messages_and_taken_down(
    site: Site,
) -> None:
    mei, ben, cid = await chat_with_history(site)
    page = await site.page(mei, f"/chats/{cid}", viewport=MOBILE)
    await in_full_view(page, "第 30 条")
    # Scroll up; the page hears of it before the next frame is drawn.
    await page.evaluate(
        "() => { scrollTo(0, 0); return new Promise((done) => requestAnimationFrame(done)); }"
    )

    await say(site.client, ben, cid, "有人在吗？")
    marker = page.get_by_role("button", name="1 条新消息 ↓")
    await expect(marker).to_be_in_viewport()
    # Left where they were reading: the new message is below, out of view.
    await expect(page.locator(".message", has_text="有人在吗？")).not_to_be_in_viewport()
    assert await page.evaluate("window.scrollY") == 0
    await say(site.client, ben, cid, "明天见")
    await page.get_by_role("button", name="2 条新消息 ↓").click()
    await in_full_view(page, "明天见")
    await expect(page.locator("#new-messages")).to_be_hidden()

    # Back at the bottom, new messages come into view by themselves, with no marker.
    await say(site.client, ben, cid, "好的")
    await in_full_view(page, "好的")
    await expect(page.locator("#new-messages")).to_be_hidden()


async def test_a_message_of_only_spaces_is_refused_in_the_pages_language(site: Site) -> None:
    mei, ben, cid = await chat_with_history(site, count=1)
    page = await site.page(mei, f"/chats/{cid}", viewport=MOBILE)
    await expect(page.locator(".message", has_text="第 1 条")).to_be_visible()
    await page.get_by_label("消息").fill("   ")
    await page.get_by_role("button", name="发送").click()
    refusal = page.locator("#composer-error")
    await expect(refusal).to_have_text("请先输入内容：只有空格的消息不会发出。")
    await expect(refusal).to_be_in_viewport()
    await expect(page.get_by_label("消息")).to_be_focused()
    await expect(page.locator(".message.mine")).to_have_count(0)
    await page.get_by_label("消息").fill("你好")
    await expect(refusal).to_be_hidden()

    english = await site.page(ben, f"/chats/{cid}", locale="en-US")
    await english.get_by_label("Message").fill(" \n ")
    await english.keyboard.press("Enter")
    await expect(english.locator("#composer-error")).to_have_text(
        "Type something first: a message of only spaces is not sent."
    )
    stored = await site.client.get(f"/api/v1/conversations/{cid}/messages", headers=ben.headers)
    assert [m["text"] for m in stored.json()["messages"] if m["kind"] == "text"] == [
        "第 1 条：明天的团购接龙，大家看一下"
    ]


async def test_the_chat_list_shows_an_edited_newest_message_and_keeps_its_chat_on_top(
    site: Site,
) -> None:
    mei = await site.person("mei", "林美")
    ben = await site.person("ben", "王本")
    busy = await join_open_group(site.client, mei, ben, name="五年级二班家长群")
    quiet = await join_open_group(site.client, mei, ben, name="小区群")
    await say(site.client, ben, quiet, "小区今晚停水")
    newest = (await say(site.client, ben, busy, "明天八点取货")).json()
    edited = await site.client.patch(
        f"/api/v1/conversations/{busy}/messages/{newest['seq']}",
        headers=ben.headers,
        json={"text": "明天九点取货"},
    )
    assert edited.status_code == 200, edited.text

    page = await site.page(mei, "/chats", viewport=MOBILE)
    rows = page.locator("#chat-list li")
    await expect(rows).to_have_count(2)
    await expect(rows.first.locator(".title")).to_have_text("五年级二班家长群")
    await expect(rows.first.locator(".preview")).to_have_text("明天九点取货")
    await expect(rows.nth(1).locator(".title")).to_have_text("小区群")
    await expect(rows.nth(1).locator(".preview")).to_have_text("小区今晚停水")


async def test_in_a_busy_group_the_buyers_words_and_mention_arrive_as_a_new_message(
    site: Site,
) -> None:
    store = await storefront(site.client, site.container, price=1990)
    mei = await site.person("mei", "林美")
    ben = await site.person("ben", "王本")
    others = [await site.person(f"buyer{n}", f"邻居{n}") for n in range(3)]
    cid = await join_open_group(site.client, mei, ben, *others, name="邻居团购群")
    card = await share_card(site.client, mei, cid, store.product["id"], text="米粉很好吃")
    assert card.status_code == 201, card.text
    share_id = card.json()["share_id"]
    for buyer in others:  # three reports within the hour: a busy group
        order = await buy(site.client, buyer, store.sku_id, share_id=share_id)
        said = await site.client.post(
            f"/api/v1/orders/{order['id']}/bought-it", headers=buyer.headers
        )
        assert said.status_code == 201, said.text

    mei_page = await site.page(mei, f"/chats/{cid}", viewport=MOBILE)
    await expect(mei_page.locator(".message.kind-purchase_report")).to_have_count(3)
    order = await buy(site.client, ben, store.sku_id, share_id=share_id)
    ben_page = await site.page(ben, f"/orders/{order['id']}", viewport=MOBILE)
    await ben_page.get_by_label("说两句（可选）").fill(WORDS)
    await ben_page.locator("#tell-group").get_by_role("button", name="告诉群里").click()

    # The order page says what was posted, and where, with a way there.
    done = ben_page.locator("#bought-done")
    await expect(done).to_contain_text("已告诉群里。 发在「邻居团购群」。")
    await expect(done.get_by_role("link", name="邻居团购群")).to_have_attribute(
        "href", f"/chats/{cid}"
    )
    await expect(done.locator("q")).to_have_text(WORDS)
    await expect(done.locator(".mention")).to_have_text("@林美")

    # Mei's open chat: a new message at the bottom, from Ben, in his words, mentioning her.
    last = mei_page.locator("#messages > li").last
    await expect(last).to_have_class(re.compile(r"\bkind-purchase_report\b"))
    await expect(last.locator(".who")).to_have_text("王本")
    await expect(last.locator(".text")).to_have_text(WORDS)
    await expect(last.locator(".mention")).to_have_text("@林美")
    await expect(mei_page.locator(".message.kind-purchase_report")).to_have_count(4)
    await expect(mei_page.locator(".message.kind-purchase_digest")).to_have_count(0)
    await in_full_view(mei_page, WORDS)

    # Later, the order page still says it.
    await ben_page.reload()
    await expect(done.locator("q")).to_have_text(WORDS)
    await expect(done.get_by_role("link", name="邻居团购群")).to_be_visible()
