"""Chatting in the browser: two people in two browsers, live; reconnecting without duplicates;
a message that could not be sent offline says so and goes out on retry."""

from __future__ import annotations

import re

from playwright.async_api import expect

from tests.browser.conftest import MOBILE, Site, photo
from tests.factories import PASSWORD, join_open_group, say


async def test_two_people_chat_live_in_two_browsers(site: Site) -> None:
    mei = await site.person("mei", "林美")
    ben = await site.person("ben", "Ben 王")
    cid = await join_open_group(site.client, mei, ben, name="五年级二班家长群")
    await say(site.client, ben, cid, "大家好，我是 Ben")

    # Mei logs in through the page, in Chinese, on a phone.
    mei_page = await site.page(None, "/chats/" + str(cid), viewport=MOBILE)
    await mei_page.get_by_label("用户名").fill("mei")
    await mei_page.get_by_label("密码").fill(PASSWORD)
    await mei_page.get_by_role("button", name="登录").click()
    await expect(mei_page.locator("#chat-title")).to_have_text("五年级二班家长群")
    await expect(mei_page.locator(".message").last).to_contain_text("大家好，我是 Ben")
    # a line the server wrote, said in the reader's language
    await expect(mei_page.locator(".message.system", has_text="Ben 王 加入了群聊")).to_be_visible()

    ben_page = await site.page(ben, "/chats", locale="en-GB", timezone="Europe/London")
    row = ben_page.locator("#chat-list li", has_text="五年级二班家长群")
    await expect(row).to_be_visible()
    await row.get_by_role("link").click()
    await expect(ben_page.locator("#chat-title")).to_have_text("五年级二班家长群")
    await expect(ben_page.locator(".message.system", has_text="Ben 王 joined")).to_be_visible()

    await mei_page.get_by_label("消息").fill("到货啦 🍊 今晚八点取")
    await mei_page.get_by_role("button", name="发送").click()
    await expect(ben_page.locator(".message", has_text="到货啦 🍊 今晚八点取")).to_be_visible()
    await expect(ben_page.locator(".message", has_text="到货啦").locator(".who")).to_have_text(
        "林美"
    )

    await ben_page.get_by_label("Message").fill("Thanks! I'll come at 8")
    await ben_page.keyboard.press("Enter")
    await expect(mei_page.locator(".message", has_text="Thanks! I'll come at 8")).to_be_visible()
    await expect(mei_page.locator(".message.mine[data-seq]", has_text="到货啦")).to_have_count(1)
    # a photo: uploaded with the cookie and the page's CSRF token, shown resized
    await mei_page.locator("#composer-image").set_input_files(
        files=[{"name": "橘子.jpg", "mimeType": "image/jpeg", "buffer": photo()}]
    )
    picture = ben_page.locator(".message img")
    await expect(picture).to_have_attribute("src", re.compile(r"^/thumbs/640/chat/"))
    await expect(picture).to_have_js_property("naturalWidth", 640)
    await site.shoot(mei_page, "chat")

    # Ben's chat list shows the group; Mei's shows her unread count once she leaves.
    await say(site.client, ben, cid, "还有一箱")
    await mei_page.goto("/chats")
    await expect(mei_page.locator("#chat-list li", has_text="五年级二班家长群")).to_contain_text(
        "还有一箱"
    )
    await site.shoot(mei_page, "chats")


async def test_reconnecting_resyncs_without_duplicates_and_offline_sends_can_be_retried(
    site: Site,
) -> None:
    mei = await site.person("mei", "林美")
    ben = await site.person("ben", "Ben")
    cid = await join_open_group(site.client, mei, ben)
    mei_context = await site.context(mei)
    mei_page = await mei_context.new_page()
    await mei_page.goto(f"/chats/{cid}")
    await say(site.client, ben, cid, "第一条")
    await expect(mei_page.locator(".message", has_text="第一条")).to_be_visible()

    await mei_context.set_offline(True)
    await expect(mei_page.locator("#connection-status")).to_be_visible()
    await mei_page.get_by_label("消息").fill("离线时写的")
    await mei_page.get_by_role("button", name="发送").click()
    failed = mei_page.locator(".message.failed", has_text="离线时写的")
    await expect(failed).to_contain_text("未发出")
    await expect(failed.get_by_role("button", name="重试")).to_be_visible()
    for text in ("第二条", "第三条"):
        await say(site.client, ben, cid, text)

    await mei_context.set_offline(False)
    await expect(mei_page.locator("#connection-status")).to_be_hidden(timeout=20_000)
    await expect(mei_page.locator(".message", has_text="第三条")).to_be_visible()
    # what was written offline goes out by itself on reconnecting, once, after what it missed
    sent = mei_page.locator(".message.mine[data-seq]", has_text="离线时写的")
    await expect(sent).to_have_count(1)
    texts = await mei_page.locator(".message .text").all_inner_texts()
    assert texts == ["第一条", "第二条", "第三条", "离线时写的"], texts
    stored = (
        await site.client.get(f"/api/v1/conversations/{cid}/messages", headers=ben.headers)
    ).json()["messages"]
    assert [m["text"] for m in stored if m["kind"] == "text"].count("离线时写的") == 1
