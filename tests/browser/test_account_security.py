"""Settings → Account security in a real browser: change the password (the phone's session ends,
this one stays), then log out everywhere."""

from __future__ import annotations

import re

from playwright.async_api import expect

from tests.browser.conftest import Site
from tests.factories import PASSWORD, log_in


async def test_changing_the_password_and_logging_out_everywhere(site: Site) -> None:
    mei = await site.person("mei", "林美")
    phone_token = (await log_in(site.client, "mei")).json()["token"]
    page = await site.page(mei, "/settings")

    await expect(page.locator("#security-heading")).to_have_text("账号安全")
    await page.fill("#current-password", "not my password")
    await page.fill("#new-password", "a much better passphrase")
    await page.click("#password-form button[type=submit]")
    await expect(page.locator("#password-error")).to_have_text("当前密码不正确。")

    await page.fill("#current-password", PASSWORD)
    await page.fill("#new-password", "a much better passphrase")
    await page.click("#password-form button[type=submit]")
    await expect(page.locator("#password-saved")).to_have_text(
        "密码已修改，其他设备上的登录已全部退出。"
    )
    await site.shoot(page, "settings-security")
    phone = await site.client.get("/api/v1/me", headers={"Authorization": f"Bearer {phone_token}"})
    assert phone.status_code == 401

    await page.click("#logout-everywhere-form button[type=submit]")
    await expect(page).to_have_url(re.compile("/login$"))
    await page.goto("/chats")
    await expect(page).to_have_url(re.compile("/login"))
