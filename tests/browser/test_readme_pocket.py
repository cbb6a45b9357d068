"""README's "In your pocket" pictures (issue 24), each a test in both languages at phone width:
the app as opened from the home screen (the manifest's start_url); a real push, as Tuan posts it
to a push service and the app's service worker shows it, drawn as a lock screen would (a headless
browser has no notification tray); the device in Settings with do not disturb; a chat read with
the network off, a reply waiting on the device to go."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    MOBILE,
    Site,
    service_worker_registration,
)
from tests.browser.test_languages import VISIBLE_TEXT, leaks
from tests.e2e.push.pushservice import BrowserDevice, LocalPushService, pushing_settings
from tests.factories import Person, join_open_group, say
from tuan.push.vapid import generate_keys
from tuan.settings import Settings
from tuan.web.i18n import render

KEYS = generate_keys()
ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile"
LANGUAGES = ["zh-CN", "en"]


@dataclass(frozen=True)
class Words:
    """What the people in the pictures call themselves and write, in each picture's language."""

    mei: str
    ben: str
    lan: str
    class_group: str
    fruit_group: str
    gate: str
    mention: str
    strawberries: str
    weekend: str
    reply: str

    @property
    def written(self) -> list[str]:
        return [value for value in vars(self).values() if isinstance(value, str)]


WORDS = {
    "zh-CN": Words(
        mei="林美",
        ben="王本",
        lan="陈兰",
        class_group="三班家长群",
        fruit_group="小区水果团",
        gate="明早七点校门口集合",
        mention="@林美 记得带两瓶水，谢谢！",
        strawberries="今晚的草莓到了，八点取货",
        weekend="周六一起去超市吗？",
        reply="收到，我带水",
    ),
    "en": Words(
        mei="Mei Lin",
        ben="Ben Wong",
        lan="Lan Chen",
        class_group="Class 3 parents",
        fruit_group="Street fruit team",
        gate="We meet at the school gate at 7 tomorrow",
        mention="@Mei Lin could you bring two bottles of water? Thanks!",
        strawberries="The strawberries are in, pick up at 8 tonight",
        weekend="Shopping together on Saturday?",
        reply="Got it, I'll bring water",
    ),
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return pushing_settings(settings, KEYS, service_worker=True)


@pytest.fixture(scope="module")
async def chinese_chromium(browser: Browser) -> AsyncIterator[Browser]:
    """Chromium whose own language is Chinese, as on a Chinese phone: it draws time fields in
    its own language (22:30, not 10:30 PM), whatever the page's. Needs its Chinese resources
    (Debian's chromium-l10n); without them the fields read as in English."""
    launched = await browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=CHROMIUM_ARGS,
        headless=True,
        env={**os.environ, "LANGUAGE": "zh_CN"},
    )
    yield launched
    await launched.close()


@pytest.fixture
def site(site: Site, locale: str, chinese_chromium: Browser) -> Site:
    """The site, seen from a phone in the picture's language."""
    return replace(site, browser=chinese_chromium) if locale == "zh-CN" else site


@pytest.fixture
async def push_service() -> AsyncIterator[LocalPushService]:
    service = LocalPushService(KEYS[1])
    await service.start()
    yield service
    await service.stop()


@dataclass
class Neighbours:
    mei: Person
    ben: Person
    lan: Person
    class_group: int
    fruit_group: int
    dm: int


async def neighbours(site: Site, locale: str) -> Neighbours:
    """Mei (reading in ``locale``), her friend Ben, and Lan: a class's parents' group, a fruit
    team she muted, and a direct chat with Ben."""
    words = WORDS[locale]
    mei = await site.person("mei", words.mei)
    ben = await site.person("ben", words.ben)
    lan = await site.person("lan", words.lan)
    await site.client.patch("/api/v1/me", headers=mei.headers, json={"locale": locale})
    class_group = await join_open_group(site.client, ben, mei, lan, name=words.class_group)
    fruit_group = await join_open_group(site.client, lan, mei, ben, name=words.fruit_group)
    muted = await site.client.put(
        f"/api/v1/conversations/{fruit_group}/mute", headers=mei.headers, json={"forever": True}
    )
    assert muted.status_code == 200, muted.text
    for asking, answering in ((mei, ben), (ben, mei)):
        await site.client.post(
            "/api/v1/friends/requests", headers=asking.headers, json={"user_id": answering.id}
        )
    made = await site.client.post(
        "/api/v1/conversations/direct", headers=ben.headers, json={"user_id": mei.id}
    )
    assert made.status_code in (200, 201), made.text
    return Neighbours(mei, ben, lan, class_group, fruit_group, int(made.json()["id"]))


async def chatter(site: Site, them: Neighbours, words: Words) -> None:
    await say(site.client, them.lan, them.fruit_group, words.strawberries)
    await say(site.client, them.ben, them.dm, words.weekend)
    await say(site.client, them.ben, them.class_group, words.gate)
    mentioned = await say(
        site.client, them.ben, them.class_group, words.mention, mentions=[them.mei.id]
    )
    assert mentioned.status_code == 201, mentioned.text


async def with_the_app(
    site: Site, who: Person, locale: str, *, notifications: bool = False
) -> tuple[BrowserContext, Page]:
    """``who``'s phone with the chat list open and the app's service worker running."""
    context = await site.context(who, locale=locale, viewport=MOBILE)
    if notifications:
        await context.grant_permissions(["notifications"])
    page = await context.new_page()
    await page.goto("/chats")
    assert await page.evaluate("navigator.serviceWorker.ready.then((r) => r.active !== null)")
    return context, page


async def no_other_language(page: Page, locale: str, *names: str) -> None:
    """Nothing on the page is in the other language, once what people wrote (and ``names``,
    proper names like a browser's) is set aside."""
    written = [*WORDS[locale].written, render(locale, "app.brand"), *names]
    assert leaks(await page.evaluate(VISIBLE_TEXT, locale), locale, written) == []


@pytest.mark.parametrize("locale", LANGUAGES)
async def test_opened_from_the_home_screen_it_is_the_chat_list(site: Site, locale: str) -> None:
    words = WORDS[locale]
    them = await neighbours(site, locale)
    await chatter(site, them, words)
    _, page = await with_the_app(site, them.mei, locale)
    manifest = await page.evaluate(
        """fetch(document.querySelector("link[rel=manifest]").href).then((r) => r.json())"""
    )
    assert manifest["display"] == "standalone" and manifest["lang"] == locale

    # As the phone opens it: at the manifest's start_url, in its own window (a screenshot has no
    # browser bar either way; Chromium cannot emulate display-mode, and Tuan's styles do not ask).
    await page.goto(manifest["start_url"])
    rows = page.locator("#chat-list li")
    await expect(rows).to_have_count(3)
    await expect(rows.first).to_contain_text(words.mention)  # the newest chat first
    unread = render(locale, "js.unread_count", {"count": 2})
    await expect(rows.filter(has_text=words.class_group).get_by_label(unread)).to_have_text("2")
    await expect(rows.filter(has_text=words.ben)).to_contain_text(words.weekend)
    fruit = rows.filter(has_text=words.fruit_group)
    await expect(fruit).to_contain_text(words.strawberries)
    await expect(fruit.locator(".muted-flag")).to_contain_text(render(locale, "js.muted"))
    await no_other_language(page, locale)
    await site.shoot(page, f"pocket-installed-{locale}", phone_only=True)


async def shown_by_the_worker(
    site: Site, context: BrowserContext, page: Page, payload: dict[str, Any]
) -> dict[str, str]:
    """Hands a push's payload to the app's service worker as the browser would on its arrival,
    and returns the notification the worker showed: title, body, icon."""
    worker = (
        context.service_workers[0]
        if context.service_workers
        else await context.wait_for_event("serviceworker")
    )
    cdp, registration_id = await service_worker_registration(context, page)
    await cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": site.url, "registrationId": registration_id, "data": json.dumps(payload)},
    )
    shown = """self.registration.getNotifications()
        .then((all) => all.map((n) => ({ title: n.title, body: n.body, icon: n.icon })))"""
    for _ in range(200):  # a busy machine may take seconds to start the worker for a push
        notifications: list[dict[str, str]] = await worker.evaluate(shown)
        if notifications:
            break
        await page.wait_for_timeout(100)
    # If none shows, say what the worker saw: its clients (a chat in front is not notified).
    seen = """self.clients.matchAll({ type: "window" })
        .then((all) => all.map((c) => [c.url, c.focused]))"""
    assert len(notifications) == 1, (payload, await worker.evaluate(seen))
    return notifications[0]


# A phone's lock screen, drawn: what fills it is the notification the service worker showed.
LOCK_SCREEN = """<!doctype html>
<html><head><meta charset="utf-8"><style>
  body { margin: 0; min-height: 812px; font-family: sans-serif; color: #fff;
         background: linear-gradient(180deg, #0b5cad 0%, #123a63 55%, #1d1f2b 100%); }
  #clock { font-size: 76px; font-weight: 300; text-align: center; padding-top: 96px; }
  #date { font-size: 17px; text-align: center; opacity: 0.9; margin-bottom: 40px; }
  .notification { margin: 0 12px; padding: 12px 14px; border-radius: 22px; color: #1d1f2b;
                  background: rgba(255, 255, 255, 0.92); display: flex; gap: 12px; }
  .notification img { width: 40px; height: 40px; border-radius: 10px; flex: none; }
  .app { font-size: 13px; color: #555; }
  .title { font-weight: 600; font-size: 15px; margin: 2px 0; }
  .body { font-size: 15px; line-height: 1.35; }
</style></head><body>
  <div id="clock"></div><div id="date"></div>
  <div class="notification" role="alert">
    <img alt=""><div><div class="app"></div><div class="title"></div><div class="body"></div></div>
  </div>
</body></html>"""

FILL_LOCK_SCREEN = """([shown, app]) => {
  const now = new Date();
  const time = new Intl.DateTimeFormat(navigator.language, { hour: "2-digit", minute: "2-digit",
    hourCycle: "h23" }).format(now);
  document.getElementById("clock").textContent = time;
  document.getElementById("date").textContent = new Intl.DateTimeFormat(navigator.language,
    { weekday: "long", month: "long", day: "numeric" }).format(now);
  document.querySelector(".app").textContent = `${app} · ${time}`;
  document.querySelector(".title").textContent = shown.title;
  document.querySelector(".body").textContent = shown.body;
  const icon = document.querySelector(".notification img");
  icon.src = shown.icon;
  return icon.decode().then(() => icon.naturalWidth);
}"""


async def subscribed_phone(
    site: Site, push_service: LocalPushService, who: Person
) -> BrowserDevice:
    phone = push_service.new_device()
    made = await site.client.post(
        "/api/v1/me/push-subscriptions",
        headers={**who.headers, "User-Agent": ANDROID},
        json=phone.subscription_json(),
    )
    assert made.status_code == 201, made.text
    shown = await site.client.put(
        "/api/v1/me/push-settings", headers=who.headers, json={"show_text": True}
    )
    assert shown.status_code == 204, shown.text
    return phone


async def pushes_titled(
    push_service: LocalPushService, phone: BrowserDevice, title: str
) -> list[dict[str, Any]]:
    async with asyncio.timeout(15):
        while not (found := [p for p in push_service.to(phone) if p["title"] == title]):
            await asyncio.sleep(0.05)
    return found


@pytest.mark.parametrize("locale", LANGUAGES)
async def test_a_mention_arrives_as_a_notification_in_the_readers_language(
    site: Site, push_service: LocalPushService, locale: str
) -> None:
    words = WORDS[locale]
    them = await neighbours(site, locale)
    phone = await subscribed_phone(site, push_service, them.mei)
    await chatter(site, them, words)
    # What Tuan posted, decrypted with the phone's own key.
    title = render(locale, "notifications.mention", {"actor": words.ben})
    (pushed,) = await pushes_titled(push_service, phone, title)
    assert pushed["body"] == words.mention
    assert pushed["url"].startswith(f"/chats/{them.class_group}#m")
    assert push_service.rejected == []

    context, page = await with_the_app(site, them.mei, locale, notifications=True)
    shown = await shown_by_the_worker(site, context, page, pushed)
    assert (shown["title"], shown["body"]) == (title, words.mention)
    assert shown["icon"] == f"{site.url}/static/icons/icon-192.png"

    lock_screen = await context.new_page()
    await lock_screen.set_content(LOCK_SCREEN)
    app = render(locale, "app.short_name")
    assert await lock_screen.evaluate(FILL_LOCK_SCREEN, [shown, app]) == 192
    await expect(lock_screen.get_by_role("alert")).to_contain_text(words.mention)
    await site.shoot(lock_screen, f"pocket-notification-{locale}", phone_only=True)


@pytest.mark.parametrize(
    ("locale", "time_zone"), [("zh-CN", "Asia/Shanghai"), ("en", "Europe/London")]
)
async def test_the_phone_is_listed_with_do_not_disturb_hours(
    site: Site, push_service: LocalPushService, locale: str, time_zone: str
) -> None:
    them = await neighbours(site, locale)
    await subscribed_phone(site, push_service, them.mei)
    page = await site.page(
        them.mei, "/settings", locale=locale, timezone=time_zone, viewport=MOBILE
    )
    section = page.locator("#push")
    this_device = render(locale, "js.push_this_device", {"label": "Chrome · Android"})
    await expect(section.locator("#push-devices li")).to_contain_text(this_device)
    await expect(section.get_by_label(render(locale, "settings.push_show_text"))).to_be_checked()
    quiet = section.locator("#quiet-hours")
    await quiet.get_by_label(render(locale, "settings.quiet_from"), exact=True).fill("22:30")
    await quiet.get_by_label(render(locale, "settings.quiet_until"), exact=True).fill("07:00")
    await quiet.get_by_label(render(locale, "settings.quiet_hours_on")).check()
    wanted = {"start": "22:30", "end": "07:00", "time_zone": time_zone}
    for _ in range(30):
        mine = await site.client.get("/api/v1/me/push-subscriptions", headers=them.mei.headers)
        if mine.json()["quiet_hours"] == wanted:
            break
        await page.wait_for_timeout(100)
    assert mine.json()["quiet_hours"] == wanted
    await no_other_language(page, locale, "Chrome · Android")
    await site.shoot(page, f"pocket-push-settings-{locale}", phone_only=True, part=section)


@pytest.mark.parametrize("locale", LANGUAGES)
async def test_offline_a_saved_chat_reads_and_a_reply_waits_on_the_device(
    site: Site, locale: str
) -> None:
    words = WORDS[locale]
    them = await neighbours(site, locale)
    await chatter(site, them, words)
    context, page = await with_the_app(site, them.mei, locale)
    # Read once online, with the worker in charge: the list and the chat are saved.
    await page.goto("/chats")
    await expect(page.locator("#chat-list li", has_text=words.class_group)).to_be_visible()
    await page.goto(f"/chats/{them.class_group}")
    await expect(page.locator(".message", has_text=words.mention)).to_be_visible()

    await context.set_offline(True)
    await page.goto("/chats")
    await expect(page.locator("#chat-list li", has_text=words.class_group)).to_be_visible()
    await page.goto(f"/chats/{them.class_group}")
    status = page.locator("#connection-status")
    await expect(status).to_have_text(render(locale, "js.offline_saved"))
    await expect(page.locator(".message", has_text=words.gate)).to_be_visible()
    await page.get_by_label(render(locale, "chat.message_label")).fill(words.reply)
    await page.get_by_role("button", name=render(locale, "chat.send")).click()
    waiting = page.locator(".message.pending", has_text=words.reply)
    await expect(waiting).to_contain_text(render(locale, "js.offline_not_sent"))
    await page.reload()  # still offline: the reply waits on the device
    await expect(waiting).to_be_visible()
    await no_other_language(page, locale)
    await site.shoot(page, f"pocket-offline-{locale}", phone_only=True)

    await context.set_offline(False)
    await expect(page.locator(".message:not(.pending)", has_text=words.reply)).to_be_visible(
        timeout=20_000
    )
    # The page's own requests after sending (its read marker) finish before the test does.
    await page.wait_for_load_state("networkidle")
