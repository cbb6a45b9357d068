"""Someone who erased their account, as the others see what they left (ADR 0011): their messages
say "This message was deleted" under the name "Deleted user" (已注销用户); others' "@name" for
them, the lines the server wrote about them, their mention's notification and a direct chat
with them name the deleted user too. In the reader's language, never the tombstone's stored
English name in Chinese, and never as a link to a profile.

Ben leaves Tuan the way a person does (asks, waits the 7 days, the erasure runs), so the pages
are checked against what the erasure really leaves.
"""

from __future__ import annotations

import httpx
from playwright.async_api import Page, expect

from tests.browser.conftest import Site
from tests.e2e.commerce.kit import settle, storefront
from tests.e2e.loop.loopkit import share_card
from tests.factories import PASSWORD, Person, join_open_group, log_in, say
from tests.fakes import ShiftableClock


async def _befriend(client: httpx.AsyncClient, a: Person, b: Person) -> None:
    for asker, other in ((a, b), (b, a)):
        asked = await client.post(
            "/api/v1/friends/requests", headers=asker.headers, json={"user_id": other.id}
        )
        assert asked.status_code == 201, asked.text


async def _no_profile_link(page: Page) -> None:
    await expect(page.locator('a[href^="/people/"]')).to_have_count(0)


async def _world(site: Site, clock: ShiftableClock) -> tuple[Person, int, int]:
    """Mei, a group and a direct chat where Ben wrote, shared a card and mentioned her, and
    where Mei wrote "@ben"; then Ben left Tuan."""
    store = await storefront(site.client, site.container, price=12800)
    mei = await site.person("mei", "林美")
    ben = await site.person("ben", "王本")
    group = await join_open_group(site.client, mei, ben, name="邻居团购群")
    await _befriend(site.client, mei, ben)
    direct = await site.client.post(
        "/api/v1/conversations/direct", headers=mei.headers, json={"user_id": ben.id}
    )
    direct_id = direct.json()["id"]
    said = await say(site.client, ben, group, "明天见 @林美", mentions=[mei.id])
    assert said.status_code == 201, said.text
    assert (await say(site.client, mei, group, "@ben 好的")).status_code == 201
    shared = await share_card(
        site.client, ben, group, store.product["id"], text="孩子很爱吃，推荐！"
    )
    assert shared.status_code == 201, shared.text
    assert (await say(site.client, ben, direct_id, "在吗")).status_code == 201

    leaving = await site.client.post(
        "/api/v1/me/deletion", headers=ben.headers, json={"password": PASSWORD}
    )
    assert leaving.status_code == 202, leaving.text
    clock.advance(days=7, seconds=1)
    await settle(site.container)
    assert (await log_in(site.client, "ben")).status_code == 401  # he is gone
    again = (await log_in(site.client, "mei")).json()["token"]
    return Person(mei.id, "mei", again), group, direct_id


async def test_what_an_erased_person_left_names_the_deleted_user_in_each_language(
    site: Site, clock: ShiftableClock
) -> None:
    mei, group, direct_id = await _world(site, clock)
    for locale, name, deleted, other_name in (
        ("zh-CN", "已注销用户", "此消息已删除。", "Deleted user"),
        ("en-US", "Deleted user", "This message was deleted.", "已注销用户"),
    ):
        page = await site.page(mei, f"/chats/{group}", locale=locale)
        # His text and his card's message keep their places, as deleted messages.
        erased = page.locator("#messages .message.erased")
        await expect(erased).to_have_count(2)
        for n in range(2):
            await expect(erased.nth(n).locator(".who")).to_have_text(name)
            await expect(erased.nth(n).locator(".text")).to_have_text(deleted)
        # Her "@ben" names the deleted user; so does the line saying he joined.
        await expect(page.locator("#messages .message.mine .text")).to_have_text(f"@{name} 好的")
        joined = page.locator("#messages .message.system").filter(has_text=name)
        await expect(joined).to_have_count(1)
        await _no_profile_link(page)
        shown = await page.locator("#messages").inner_text()
        for gone in (other_name, "~deleted", "王本", "明天见", "孩子很爱吃"):
            assert gone not in shown, gone

        chats = await site.page(mei, "/chats", locale=locale)
        row = chats.locator(f'#chat-list li[data-conversation-id="{direct_id}"]')
        await expect(row.locator(".title")).to_have_text(name)
        await expect(row.locator(".preview")).to_contain_text(deleted)
        assert other_name not in await chats.locator("#chat-list").inner_text()

        direct = await site.page(mei, f"/chats/{direct_id}", locale=locale)
        await expect(direct.locator("#chat-title")).to_have_text(name)
        await expect(direct.locator("#messages .message .who")).to_have_text(name)
        await _no_profile_link(direct)

        notices = await site.page(mei, "/notifications", locale=locale)
        mention = notices.locator('li.notification[data-kind="mention"]')
        await expect(mention).to_contain_text(name)
        assert other_name not in await mention.inner_text()
        await _no_profile_link(notices)
    await site.shoot(page, "deleted-user-in-chat")


async def test_the_deleted_user_has_no_profile_page(site: Site) -> None:
    mei = await site.person("mei", "林美")
    page = await site.page(mei, "/people/~deleted")
    await expect(page.locator("#person")).to_have_count(0)
    await expect(page.locator("main")).to_contain_text("找不到这个人")
