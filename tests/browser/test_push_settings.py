"""Notifications on this device, in Settings (issue 24): the browser is asked for permission only
when the person presses the button, never on load; their devices are listed and removable;
"show message text" is off until they turn it on."""

from __future__ import annotations

import pytest
from playwright.async_api import expect

from tests.browser.conftest import MOBILE, Site
from tests.e2e.push.pushservice import BrowserDevice, pushing_settings
from tuan.push.vapid import generate_keys
from tuan.settings import Settings

KEYS = generate_keys()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return pushing_settings(settings, KEYS, service_worker=True)


async def test_devices_are_listed_and_removed_and_nothing_asks_on_load(site: Site) -> None:
    mei = await site.person("mei", "林美")
    # This browser's session subscribed (a browser here cannot reach a real push service).
    phone = BrowserDevice("t", "http://127.0.0.1:9/push/t").subscription_json()
    subscribed = await site.client.post(
        "/api/v1/me/push-subscriptions", headers=mei.headers, json=phone
    )
    assert subscribed.status_code == 201, subscribed.text

    page = await site.page(mei, "/settings", viewport=MOBILE)
    section = page.locator("#push")
    await expect(section.get_by_role("heading", name="本设备的通知")).to_be_visible()
    await expect(section.get_by_role("button", name="开启通知")).to_be_visible()
    await expect(section.locator("#push-devices li")).to_contain_text("（本设备）")
    assert await page.evaluate("Notification.permission") == "default"  # nobody was asked

    show_text = section.get_by_label("在通知中显示消息内容")
    await expect(show_text).not_to_be_checked()
    await show_text.check()
    mine = await site.client.get("/api/v1/me/push-subscriptions", headers=mei.headers)
    for _ in range(20):
        if mine.json()["show_text"]:
            break
        await page.wait_for_timeout(100)
        mine = await site.client.get("/api/v1/me/push-subscriptions", headers=mei.headers)
    assert mine.json()["show_text"] is True

    await section.locator("#push-devices li").get_by_role("button", name="移除").click()
    await expect(section.locator("#push-no-devices")).to_be_visible()
    left = await site.client.get("/api/v1/me/push-subscriptions", headers=mei.headers)
    assert left.json()["devices"] == []


async def test_do_not_disturb_hours_are_kept_on_the_devices_clock(site: Site) -> None:
    ben = await site.person("ben", "Ben 王")
    page = await site.page(ben, "/settings", viewport=MOBILE, locale="en", timezone="Europe/Berlin")
    section = page.locator("#quiet-hours")
    await expect(page.get_by_role("group", name="Do not disturb")).to_be_visible()
    await section.get_by_label("From").fill("23:30")
    await section.get_by_label("until").fill("06:45")
    await section.get_by_label("Hold notifications during these hours").check()
    wanted = {"start": "23:30", "end": "06:45", "time_zone": "Europe/Berlin"}
    for _ in range(30):
        mine = await site.client.get("/api/v1/me/push-subscriptions", headers=ben.headers)
        if mine.json()["quiet_hours"] == wanted:
            break
        await page.wait_for_timeout(100)
    assert mine.json()["quiet_hours"] == wanted

    await section.get_by_label("until").fill("23:30")  # the same as the start: refused, said
    await expect(page.locator("#push .error")).to_contain_text("not the same time")
    await page.reload()
    await expect(page.locator("#quiet-on")).to_be_checked()
    await expect(page.locator("#quiet-end")).to_have_value("06:45")
