"""Leaving Tuan from the settings page (issue 23, ADR 0011), on a phone, in both languages: what
must be settled first is listed with where to settle it and the request is refused while it
is; with nothing pending, the password (a wrong one said beside the field) and a question, then
the log-in page says when the account will be erased, and signing in again cancels it."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from playwright.async_api import Page, expect

from tests.browser.conftest import MOBILE, Site
from tests.e2e.commerce.kit import buy, list_product, merchant, open_shop, settle
from tests.factories import PASSWORD, log_in
from tests.fakes import ShiftableClock
from tuan.web.i18n import format_date, render

WORDS = {
    "zh-CN": {"delete": "注销账号", "yes": "确定注销", "password": "密码"},
    "en": {
        "delete": "Delete my account",
        "yes": "Yes, delete my account",
        "password": "Password",
    },
}


async def ask_to_delete(page: Page, locale: str, password: str) -> None:
    words = WORDS[locale]
    section = page.locator("#leaving")
    await section.get_by_label(words["password"], exact=True).fill(password)
    await section.get_by_role("button", name=words["delete"]).click()
    await expect(section.locator("#deletion-confirm")).to_be_visible()
    await section.get_by_role("button", name=words["yes"]).click()


async def fits_the_phone(page: Page) -> bool:
    return bool(await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
async def test_an_undelivered_order_is_listed_and_keeps_the_account(
    site: Site, locale: str
) -> None:
    keeper = await merchant(site.client, site.container, "amei")
    shop = await open_shop(site.client, keeper)
    product = await list_product(site.client, keeper, shop["id"])
    mei = await site.person("mei", "林美")
    order = await buy(site.client, mei, product["skus"][0]["id"])
    order_link = f"/orders/{order['id']}"
    pending = render(locale, "err.OBLIGATION.order", {"order": order["id"]})

    page = await site.page(mei, "/settings", locale=locale, viewport=MOBILE)
    listed = page.locator("#obligations").get_by_role("link", name=pending)
    await expect(listed).to_have_attribute("href", order_link)
    await expect(page.locator("#obligations-none")).to_be_hidden()

    await ask_to_delete(page, locale, PASSWORD)
    refused = page.locator("#deletion-error")
    await expect(refused).to_contain_text(render(locale, "err.DELETION_BLOCKED", {"count": 1}))
    await expect(refused.get_by_role("link", name=pending)).to_have_attribute("href", order_link)
    assert await fits_the_phone(page)
    await site.shoot(page, f"leaving-refused-{locale}")

    await expect(page).to_have_url(re.compile(r"/settings$"))
    assert (await site.client.get("/api/v1/me", headers=mei.headers)).status_code == 200


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
async def test_leaving_then_signing_in_again_cancels_it(
    site: Site, clock: ShiftableClock, locale: str
) -> None:
    ben = await site.person("ben", "王本")
    page = await site.page(ben, "/settings", locale=locale, viewport=MOBILE)
    await expect(page.locator("#obligations-none")).to_have_text(
        render(locale, "settings.delete_nothing_pending")
    )
    await expect(page.locator("#leaving-intro")).to_contain_text("7")

    await ask_to_delete(page, locale, "not my password at all")
    beside = page.locator("#deletion-password-error")
    await expect(beside).to_have_text(render(locale, "err.WRONG_PASSWORD"))
    await expect(page.locator("#deletion-password")).to_have_attribute("aria-invalid", "true")
    assert (await site.client.get("/api/v1/me", headers=ben.headers)).status_code == 200

    await ask_to_delete(page, locale, PASSWORD)
    await expect(page).to_have_url(re.compile(r"/login\?deletion=requested"))
    erase_after = datetime.fromisoformat(parse_qs(urlparse(page.url).query)["erase_after"][0])
    expected = clock.now() + timedelta(days=7)
    assert abs(erase_after - expected) < timedelta(minutes=1)
    notice = page.locator("#deletion-notice")
    await expect(notice).to_be_visible()
    await expect(notice).to_contain_text(format_date(erase_after, locale))
    when = datetime.fromisoformat(str(await notice.locator("time").get_attribute("datetime")))
    assert when == erase_after
    assert await fits_the_phone(page)
    await site.shoot(page, f"leaving-requested-{locale}")
    # Every session ended, this browser's too.
    assert (await site.client.get("/api/v1/me", headers=ben.headers)).status_code == 401

    clock.advance(days=6)
    await page.fill("#username", "ben")
    await page.fill("#password", PASSWORD)
    await page.get_by_role("button", name=render(locale, "login.submit"), exact=True).click()
    await expect(page).to_have_url(re.compile(r"/settings\?deletion=cancelled$"))
    await expect(page.locator("#deletion-cancelled")).to_have_text(
        render(locale, "settings.deletion_cancelled")
    )
    assert await fits_the_phone(page)

    # The erasure's date passes and the account is still there.
    clock.advance(days=2)
    await settle(site.container)
    assert (await log_in(site.client, "ben")).status_code == 201


async def test_the_login_notice_shows_only_a_date_within_the_waiting_period(
    client: httpx.AsyncClient, clock: ShiftableClock
) -> None:
    """A link cannot make the log-in page announce an erasure that no request could have set."""

    async def notice_for(erase_after: str) -> bool:
        page = await client.get(
            "/login", params={"deletion": "requested", "erase_after": erase_after}
        )
        assert page.status_code == 200
        return 'id="deletion-notice"' in page.text

    assert await notice_for((clock.now() + timedelta(days=6)).isoformat())
    for impossible in ("2020-01-01T00:00:00Z", "2999-01-01T00:00:00Z", "not a date", ""):
        assert not await notice_for(impossible), impossible
