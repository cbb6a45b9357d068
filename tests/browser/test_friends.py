"""Friends in the browser: from a group's member list to a profile, a friend request answered on
the friends page, a direct chat opened from the profile, and the privacy choice "friends" then
showing the new friend's purchase in a product's social proof (and not to anyone else). The new
pages speak only the reader's language, and the profile fits a phone."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import MOBILE, Site
from tests.e2e.commerce.kit import storefront
from tests.factories import Person, join_open_group
from tuan.accounts.service import set_verified

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


async def fits_the_screen(page: Page) -> bool:
    return bool(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


async def test_a_friend_made_in_a_group_chats_directly_and_sees_what_i_bought(
    site: Site,
) -> None:
    store = await storefront(site.client, site.container)
    product_path = f"/products/{store.product['id']}"
    mei = await site.person("mei", "林美")
    ben = await site.person("ben", "王本")
    cat = await site.person("cat", "陈可")  # in the group too, but nobody's friend
    group = await join_open_group(site.client, mei, ben, cat, name="邻居团购群")
    await site.container.run(set_verified, username="ben")

    # Mei, on her phone, opens the group's member list and goes to Ben's profile from it.
    mei_page = await site.page(mei, f"/chats/{group}", viewport=MOBILE)
    members = mei_page.get_by_role("button", name="成员")
    await expect(members).to_have_attribute("aria-expanded", "false")
    await members.click()
    panel = mei_page.locator("#members-panel")
    await expect(panel.locator("#members-heading")).to_have_text("3 位成员")
    await expect(panel.locator(".person-name")).to_have_text(["林美", "王本", "陈可"])
    await expect(panel.locator(".avatar")).to_have_count(3)
    await expect(panel.locator(".verified")).to_have_count(1)  # Ben is real-name verified
    await panel.get_by_role("link", name="王本").click()
    await expect(mei_page).to_have_url(re.compile(rf"/people/ben\?group={group}$"))
    await expect(mei_page.locator("#person-name")).to_have_text("王本")
    await expect(mei_page.locator("#person-verified")).to_have_text("已实名认证")
    await expect(mei_page.locator("#tie-status")).to_have_text("你们还不是好友。")
    await expect(mei_page.locator("#groups-in-common li")).to_have_text(["邻居团购群"])
    assert await fits_the_screen(mei_page)
    await site.shoot(mei_page, "profile")
    await mei_page.get_by_role("button", name="加好友").click()
    await expect(mei_page.locator("#tie-status")).to_have_text("已发送好友申请，等待对方回复。")

    # Ben answers on his friends page; Cat is offered to him as someone from his group.
    ben_page = await site.page(ben, "/friends", viewport=MOBILE)
    await expect(ben_page.locator("#groupmates .person-name")).to_have_text(["陈可"])
    await expect(ben_page.locator("#groupmates li")).to_contain_text(["1 个共同的群：邻居团购群"])
    request = ben_page.locator("#incoming li", has_text="林美")
    await request.get_by_role("button", name="接受").click()
    await expect(ben_page.locator("#friends .person-name")).to_have_text(["林美"])
    await expect(ben_page.locator("#incoming li")).to_have_text(["暂时没有好友申请。"])
    assert await fits_the_screen(ben_page)
    await site.shoot(ben_page, "friends")

    # Mei starts a direct chat from Ben's profile; they exchange a message.
    await mei_page.reload()
    await expect(mei_page.locator("#tie-status")).to_have_text("你们是好友。")
    await mei_page.get_by_role("button", name="发消息").click()
    await expect(mei_page).to_have_url(re.compile(r"/chats/\d+$"))
    direct = int(mei_page.url.rsplit("/", 1)[1])
    assert direct != group
    await expect(mei_page.locator("#chat-title")).to_have_text("王本")
    await mei_page.get_by_label("消息", exact=True).fill("你好，周末一起拼团吗？")
    await mei_page.get_by_role("button", name="发送").click()
    await ben_page.goto("/chats")
    await ben_page.locator(f".chat-list a[href='/chats/{direct}']").click()
    await expect(ben_page.locator(".message .text")).to_have_text(["你好，周末一起拼团吗？"])
    await ben_page.get_by_label("消息", exact=True).fill("好呀！")
    await ben_page.get_by_role("button", name="发送").click()
    await expect(mei_page.locator(".message .text")).to_have_text(
        ["你好，周末一起拼团吗？", "好呀！"]
    )

    # Ben lets his friends see his purchases, then buys.
    await ben_page.goto("/settings")
    await ben_page.get_by_label("谁能看到我买了什么").select_option("friends")
    await expect(ben_page.locator("#privacy-form .ok")).to_be_visible()
    await ben_page.goto(product_path)
    await ben_page.get_by_role("button", name="立即购买").click()
    await expect(ben_page).to_have_url(re.compile(r"/orders/\d+$"))
    await ben_page.get_by_role("button", name="立即付款").click()
    await expect(ben_page.locator("#order-state")).to_have_text("已付款")

    # His friend Mei sees it on the product; Cat, in the same group but not his friend, does not.
    await mei_page.goto(product_path)
    await expect(mei_page.locator("#proof-friends li")).to_have_text(["王本"])
    cat_page = await site.page(cat, product_path)
    await expect(cat_page.locator("#proof-friends li")).to_have_text(["还没有你能看到的好友买过。"])
    await expect(cat_page.locator("#proof-groups li")).to_have_text(
        ["你的群里还没有你能看到的人买过。"]
    )


async def test_blocking_from_a_profile_asks_first_and_can_be_undone(site: Site) -> None:
    mei = await site.person("mei", "林美")
    troll = await site.person("troll", "捣乱的人")
    await join_open_group(site.client, mei, troll, name="小区群")

    page = await site.page(mei, "/people/troll", viewport=MOBILE)
    await expect(page.locator("#person-actions button")).to_have_text(["发消息", "加好友", "屏蔽"])
    await page.get_by_role("button", name="屏蔽").click()
    confirm = page.locator("#person-confirm")
    await expect(confirm).to_contain_text("确定屏蔽 捣乱的人 吗？")
    await confirm.get_by_role("button", name="屏蔽").click()
    await expect(page.locator("#tie-status")).to_contain_text("你已屏蔽此人")
    await expect(page.locator("#person-actions button")).to_have_text(["取消屏蔽"])
    await expect(page.locator("#groups-in-common li")).to_have_text(
        ["只有对方的好友和同群的人能看到。"]
    )
    # Troll no longer finds Mei at all.
    troll_page = await site.page(troll, "/people/mei")
    await expect(troll_page.locator("[role=alert]")).to_have_text("找不到这个人。")

    await page.get_by_role("button", name="取消屏蔽").click()
    await expect(page.locator("#person-actions button")).to_have_text(["发消息", "加好友", "屏蔽"])


NAMES = {
    "zh-CN": {"mei": "林美", "ben": "王本", "cat": "陈可", "group": "邻居团购群"},
    "en": {"mei": "Mei Lin", "ben": "Ben Wang", "cat": "Cat Chen", "group": "Neighbours"},
}


async def _page_text(page: Page, *selectors: str) -> str:
    texts = [await page.locator(selector).inner_text() for selector in selectors]
    return "\n".join(texts)


def _leaks(locale: str, text: str, user_content: list[str]) -> list[str]:
    for content in sorted(user_content, key=len, reverse=True):
        text = text.replace(content, " ")
    text = re.sub(r"@\w+", " ", text)  # usernames
    if locale == "en":
        return CJK.findall(text)
    return [word for word in LATIN_WORD.findall(text) if word != "TA"]


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
async def test_the_people_pages_speak_only_the_readers_language(site: Site, locale: str) -> None:
    names = NAMES[locale]
    mei = await site.person("mei", names["mei"])
    ben = await site.person("ben", names["ben"])
    cat = await site.person("cat", names["cat"])
    group = await join_open_group(site.client, mei, ben, cat, name=names["group"])
    await _ask(site, cat, mei)
    content = list(names.values())

    page = await site.page(mei, "/friends", locale=locale)
    await expect(page.locator("#incoming .person-name")).to_have_text([names["cat"]])
    await expect(page.locator("#groupmates .person-name")).to_have_text([names["ben"]])
    assert _leaks(locale, await _page_text(page, "nav", "main"), content) == []

    await page.goto("/people/ben")
    await expect(page.locator("#person-actions button")).to_have_count(3)
    await expect(page.locator("#reputation li")).to_have_count(1)
    assert _leaks(locale, await _page_text(page, "nav", "main"), content) == []

    await page.goto("/people/cat")
    await expect(page.locator("#person-actions button")).to_have_count(4)  # message, accept…
    assert _leaks(locale, await _page_text(page, "main"), content) == []

    await page.goto(f"/chats/{group}")
    await page.locator("#members-toggle").click()
    await expect(page.locator("#member-list li")).to_have_count(3)
    assert _leaks(locale, await _page_text(page, ".chat-header", "#members-panel"), content) == []


async def _ask(site: Site, who: Person, whom: Person) -> None:
    asked = await site.client.post(
        "/api/v1/friends/requests", headers=who.headers, json={"user_id": whom.id}
    )
    assert asked.status_code == 201, asked.text
