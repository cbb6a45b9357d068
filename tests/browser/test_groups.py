"""Running a group from the browser: an invite link made on the admin page, a request to join
from it, the admin told by a notification and approving it; settings and language."""

from __future__ import annotations

import re

from playwright.async_api import expect

from tests.browser.conftest import MOBILE, Site
from tests.factories import make_group


async def test_an_admin_invites_and_approves_someone_who_asks_to_join(site: Site) -> None:
    mei = await site.person("mei", "林美")
    ben = await site.person("ben", "王本")
    group_id = await make_group(
        site.client,
        mei,
        name="五年级二班家长群",
        join_policy="approval",
        join_question="孩子叫什么名字？",
    )

    admin = await site.page(mei, f"/chats/{group_id}")
    await admin.get_by_role("link", name="群管理").click()
    await expect(admin.get_by_role("heading", level=1)).to_contain_text("五年级二班家长群")
    await admin.get_by_label("最多使用次数").fill("5")
    await admin.get_by_role("button", name="生成邀请链接").click()
    link = admin.get_by_label("邀请链接（复制后分享）")
    await expect(link).to_have_value(re.compile(r"/invite/[\w-]+$"))
    url = await link.input_value()
    await expect(admin.locator("#invite-links")).to_contain_text("已用 0/5 次")

    visitor = await site.page(ben, url, viewport=MOBILE)
    await expect(visitor.locator("#invite-group")).to_have_text("五年级二班家长群")
    await visitor.get_by_label("孩子叫什么名字？").fill("王小明")
    await site.shoot(visitor, "invite")
    await visitor.get_by_role("button", name="加入").click()
    await expect(visitor.locator("#join-requested")).to_be_visible()

    await admin.goto("/notifications")
    request = admin.locator(".notification", has_text="王本 申请加入「五年级二班家长群」")
    await expect(request).to_be_visible()
    await site.shoot(admin, "notifications")
    await request.get_by_role("link").click()
    pending = admin.locator("#join-requests li").first
    await expect(pending).to_contain_text("王本")
    await expect(pending).to_contain_text("王小明")
    await site.shoot(admin, "group-admin")
    await pending.get_by_role("button", name="同意").click()
    await expect(pending).to_contain_text("已同意")
    await expect(admin.locator("#members")).to_contain_text("王本")
    # the owner is offered what the server allows on each member, nothing on herself
    ben_row = admin.locator("#members li", has_text="王本")
    await expect(ben_row.get_by_role("button", name="设为管理员")).to_be_visible()
    await expect(ben_row.get_by_role("button", name="移出")).to_be_visible()
    await expect(admin.locator("#members li", has_text="林美").get_by_role("button")).to_have_count(
        0
    )

    await visitor.goto("/chats")
    await expect(visitor.locator("#chat-list")).to_contain_text("五年级二班家长群")


async def test_switching_language_and_a_privacy_choice_are_kept(site: Site) -> None:
    mei = await site.person("mei", "林美")
    page = await site.page(mei, "/settings")
    receipts = page.get_by_label("让别人看到我读到哪里（已读回执）")
    await expect(page.locator("#privacy-status")).to_be_hidden()
    await expect(receipts).not_to_be_checked()  # private by default, and the page says so
    await expect(page.locator("#read-receipts-hint")).to_contain_text("默认：关闭")
    await site.shoot(page, "settings")
    await receipts.check()
    await expect(page.locator("#privacy-form .ok")).to_be_visible()
    preferences = await site.client.get("/api/v1/me/chat-preferences", headers=mei.headers)
    assert preferences.json() == {"share_read_receipts": True}

    await page.get_by_label("语言").select_option("en")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await expect(page.get_by_label("Show others how far I have read")).to_be_checked()
    me = (await site.client.get("/api/v1/me", headers=mei.headers)).json()
    assert me["locale"] == "en"


async def test_logging_in_and_signing_up_pages(site: Site) -> None:
    page = await site.page(None, "/signup", viewport=MOBILE)
    await page.get_by_label("用户名").fill("林小美")
    await page.get_by_label("昵称").fill("小美")
    await page.get_by_label("密码").fill("short")
    await page.get_by_role("button", name="创建账号").click()
    # the browser's own check stops a too-short password before it is sent
    await expect(page).to_have_url(re.compile("/signup$"))
    await page.get_by_label("密码").fill("a long enough password")
    await page.get_by_role("button", name="创建账号").click()
    await expect(page).to_have_url(re.compile("/chats$"))
    await expect(page.locator("#chat-list-status")).to_contain_text("还没有聊天")
    await page.get_by_role("button", name="退出登录").click()
    await expect(page).to_have_url(re.compile("/login$"))
    await page.get_by_label("用户名").fill("林小美")
    await page.get_by_label("密码").fill("wrong password!")
    await page.get_by_role("button", name="登录").click()
    await expect(page.get_by_role("alert")).to_have_text("用户名或密码不正确。")
    await site.shoot(page, "login")
