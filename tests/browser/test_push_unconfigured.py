"""A Tuan server without VAPID keys sends no pushes, and Settings says so (issue 24)."""

from __future__ import annotations

from playwright.async_api import expect

from tests.browser.conftest import MOBILE, Site


async def test_without_push_keys_settings_says_there_are_no_notifications(site: Site) -> None:
    mei = await site.person("mei", "Mei")
    page = await site.page(mei, "/settings", locale="en-GB", viewport=MOBILE)
    await expect(page.locator("#push-unavailable")).to_have_text(
        "This Tuan server does not send notifications to devices."
    )
    await expect(page.locator("#push-enable")).to_be_hidden()
    await expect(page.locator("#push-no-devices")).to_be_visible()
