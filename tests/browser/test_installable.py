"""The installable app (issue 24): a valid manifest in the reader's language with the icons
browsers require, a service worker that installs, the chat list and recent chats readable with no
network, and a message written offline sent exactly once when the network is back."""

from __future__ import annotations

import io
import json
import re

import httpx
import pytest
from playwright.async_api import expect

from tests.browser.conftest import MOBILE, Site, service_worker_registration
from tests.e2e.commerce.kit import storefront
from tests.factories import join_open_group, say
from tuan.settings import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"service_worker": True})


@pytest.mark.parametrize(("language", "name"), [("zh-CN", "团：群聊里的团购"), ("en", "Tuan")])
async def test_the_manifest_is_installable_in_the_readers_language(
    site: Site, language: str, name: str
) -> None:
    from PIL import Image

    async with httpx.AsyncClient(base_url=site.url) as http:
        answer = await http.get("/manifest.webmanifest", headers={"Accept-Language": language})
        assert answer.headers["content-type"].startswith("application/manifest+json")
        manifest = answer.json()
        assert manifest["name"].startswith(name) and manifest["lang"] == language
        assert manifest["display"] == "standalone" and manifest["start_url"].startswith("/")
        assert manifest["theme_color"] and manifest["background_color"]
        sizes = set()
        for icon in manifest["icons"]:
            picture = await http.get(icon["src"])
            width, height = Image.open(io.BytesIO(picture.content)).size
            assert icon["sizes"] == f"{width}x{height}"
            sizes.add((width, icon.get("purpose", "any")))
        assert {(192, "any"), (512, "any"), (512, "maskable")} <= sizes


async def test_recent_chats_read_offline_and_an_offline_message_goes_once(site: Site) -> None:
    mei, ben = await site.person("mei", "林美"), await site.person("ben", "Ben 王")
    cid = await join_open_group(site.client, mei, ben, name="三班家长群")
    await say(site.client, ben, cid, "明早七点集合")
    context = await site.context(mei, viewport=MOBILE)
    page = await context.new_page()
    await page.goto("/chats")
    assert await page.evaluate("navigator.serviceWorker.ready.then((r) => r.active !== null)")
    # Read once online, with the worker in charge: the list and the chat are saved.
    await page.goto("/chats")
    await expect(page.locator("#chat-list li", has_text="三班家长群")).to_be_visible()
    await page.goto(f"/chats/{cid}")
    await expect(page.locator(".message", has_text="明早七点集合")).to_be_visible()

    await context.set_offline(True)
    await page.goto("/friends")  # never saved: the worker's own page says so
    await expect(page.get_by_role("heading", name="网络已断开")).to_be_visible()
    await page.goto("/chats")
    await expect(page.locator("#chat-list li", has_text="三班家长群")).to_be_visible()
    await expect(page.locator("#connection-status")).to_contain_text("本设备保存的内容")
    await page.goto(f"/chats/{cid}")
    await expect(page.locator(".message", has_text="明早七点集合")).to_be_visible()
    await page.get_by_label("消息").fill("收到，我带水")
    await page.get_by_role("button", name="发送").click()
    await expect(page.locator(".message.pending", has_text="收到，我带水")).to_contain_text(
        "未发出"
    )
    await page.reload()  # still offline: the message waits on the device
    await expect(page.locator(".message.pending", has_text="收到，我带水")).to_be_visible()

    await context.set_offline(False)
    await expect(page.locator(".message:not(.pending)", has_text="收到，我带水")).to_be_visible(
        timeout=20_000
    )
    await page.reload()
    await expect(page.locator(".message", has_text="收到，我带水")).to_have_count(1)
    history = await site.client.get(f"/api/v1/conversations/{cid}/messages", headers=ben.headers)
    assert [m["text"] for m in history.json()["messages"]].count("收到，我带水") == 1


async def test_a_push_shows_one_notification_per_chat_that_opens_the_chat(site: Site) -> None:
    mei = await site.person("mei", "林美")
    context = await site.context(mei, viewport=MOBILE)
    await context.grant_permissions(["notifications"])
    page = await context.new_page()
    await page.goto("/chats")
    assert await page.evaluate("navigator.serviceWorker.ready.then((r) => r.active !== null)")
    # The worker is reported to the context a moment after it is ready for the page.
    worker = (
        context.service_workers[0]
        if context.service_workers
        else await context.wait_for_event("serviceworker")
    )
    cdp, registration_id = await service_worker_registration(context, page)

    # A burst in one chat updates one notification; the push service may hand them over out of
    # order, and the older one then does not replace the newer.
    for count in (1, 3, 2):
        push = {
            "title": "三班家长群",
            "body": f"{count} 条新消息",
            "url": "/chats/7#message-42",
            "tag": "chat-7",
            "order": 100 + count,
        }
        await cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": site.url, "registrationId": registration_id, "data": json.dumps(push)},
        )
    shown = """self.registration.getNotifications()
        .then((all) => all.map((n) => [n.title, n.body, n.data.url]))"""
    for _ in range(200):  # a busy machine may take seconds to start the worker for a push
        notifications = await worker.evaluate(shown)
        if notifications and notifications[0][1] == "3 条新消息":
            break
        await page.wait_for_timeout(100)
    await page.wait_for_timeout(300)  # the late, older push has had its turn: it changed nothing
    notifications = await worker.evaluate(shown)
    assert notifications == [["三班家长群", "3 条新消息", "/chats/7#message-42"]]
    await worker.evaluate(
        """self.registration.getNotifications().then((all) => self.dispatchEvent(
             new NotificationEvent("notificationclick", { notification: all[0] })))"""
    )
    await expect(page).to_have_url(re.compile(r"/chats/7#message-42$"))


async def test_a_notifications_link_opens_the_chat_at_its_message(site: Site) -> None:
    mei, ben = await site.person("mei", "林美"), await site.person("ben", "Ben 王")
    cid = await join_open_group(site.client, mei, ben, name="三班家长群")
    seqs = [(await say(site.client, ben, cid, f"第 {n} 条")).json()["seq"] for n in range(80)]
    page = await site.page(mei, f"/chats/{cid}#m{seqs[5]}", viewport=MOBILE)
    linked = page.locator(".message.linked")
    await expect(linked).to_contain_text("第 5 条")  # older than the latest 50: read back to it
    await expect(linked).to_be_in_viewport()


async def test_money_is_never_queued_offline_it_says_it_needs_a_connection(site: Site) -> None:
    store = await storefront(site.client, site.container, price=2550)
    ben = await site.person("ben", "Ben")
    context = await site.context(ben, locale="en-US")
    page = await context.new_page()
    await page.goto(f"/products/{store.product['id']}")
    await page.get_by_role("button", name="Add to cart").click()
    await page.get_by_role("link", name="View cart").click()
    await expect(page.locator("#cart")).to_contain_text("Subtotal")
    await context.set_offline(True)
    await page.get_by_role("button", name="Check out").click()
    await expect(page.get_by_text("This needs a connection; nothing was sent.")).to_be_visible()
    await context.set_offline(False)
    await page.wait_for_timeout(500)  # nothing waits to go out once the network is back
    orders = await site.client.get("/api/v1/orders", headers=ben.headers)
    assert orders.json() == []
