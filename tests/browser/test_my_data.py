"""Taking my data from the settings page (issue 23): one button, the archive prepared in the
background, then a link that downloads it — in the page's language."""

from __future__ import annotations

import json
import zipfile

import pytest
from playwright.async_api import expect

from tests.browser.conftest import MOBILE, Site
from tests.factories import join_open_group, say

WORDS = {
    "zh-CN": ("我的数据", "下载我的数据", "下载数据存档"),
    "en": ("Your data", "Download my data", "Download your archive"),
}


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
async def test_download_my_data_from_settings(site: Site, locale: str) -> None:
    heading, button, link = WORDS[locale]
    mei = await site.person("mei", "林美")
    ben = await site.person("ben", "王本")
    chat = await join_open_group(site.client, mei, ben)
    assert (await say(site.client, mei, chat, "我的米粉 my noodles")).status_code == 201
    assert (await say(site.client, ben, chat, "ben's words")).status_code == 201

    page = await site.page(mei, "/settings", locale=locale, viewport=MOBILE)
    await expect(page.get_by_role("heading", name=heading)).to_be_visible()
    await page.get_by_role("button", name=button).click()
    download_link = page.get_by_role("link", name=link)
    await expect(download_link).to_be_visible()
    async with page.expect_download() as event:
        await download_link.click()
    saved = await (await event.value).path()
    with zipfile.ZipFile(saved) as archive:
        messages = json.loads(archive.read("messages.json"))["messages"]
        assert [m["text"] for m in messages] == ["我的米粉 my noodles"]
        assert "index.html" in archive.namelist()

    # Back later: the same day's archive is offered again, not a new one.
    again = await site.page(mei, "/settings", locale=locale)
    await expect(again.get_by_role("link", name=link)).to_be_visible()
    listed = await site.client.get("/api/v1/me/exports", headers=mei.headers)
    assert len(listed.json()) == 1
