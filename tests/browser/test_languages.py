"""Every page of the web app speaks one language: a walk through all of them, with data in them,
in 简体中文 and in English, that fails on any text in the other script.

What a person can see is read from the page once its data is in: text that is displayed, the
labels a screen reader says (``aria-label``, ``alt``, ``title``, placeholders), the values of
fields, the title. Allowed in either language: what the people in the test wrote themselves
(names, group, shop and product names, messages, reviews), numbers and money, addresses, and the
brand. Elements marked with another ``lang`` (the language switch's "English" and "简体中文")
speak that language by design.

A page added to the app joins the walk with a line in :data:`WALK` (its path, with ``{…}`` filled
from the world built below, who looks at it, what shows once its data is in, and what a person
does there first, such as meeting a refusal); a test fails while a page is left out.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from fastapi.routing import APIRoute
from playwright.async_api import Page, expect

from tests.browser.conftest import Site
from tests.e2e.commerce.kit import buy, checkout, merchant, open_shop, settle
from tests.e2e.loop.loopkit import delivered_order, open_team, review, share_card
from tests.factories import PASSWORD, Person, invite_link, join_open_group, say
from tuan.core.money import CURRENCIES
from tuan.http.routes import app_shell, notes_web, web
from tuan.web.i18n import render

Act = Callable[[Page], Awaitable[None]]


@dataclass(frozen=True)
class Stop:
    """A page of the walk: ``path`` (``{name}`` from :attr:`World.ids`), seen by ``who`` (a key
    of :attr:`World.people`; None: logged out), ready once ``ready`` (a selector) shows, read
    after ``act`` (what a person does there first) if given."""

    path: str
    who: str | None
    ready: str | None = None
    act: Act | None = None


# What a person does on a page before it is read: meet a refusal, said on the page.


async def _too_many(page: Page) -> None:
    form = page.locator("#buy-form")
    await form.locator("#quantity").fill("100000")
    await form.locator("#add-to-cart").click()
    await expect(form.locator(".error")).to_be_visible()


async def _none_in_cart(page: Page) -> None:
    box = page.locator("#cart li input[type=number]").first
    await box.fill("0")
    await box.press("Tab")
    await expect(page.locator("#cart li .error").first).to_be_visible()


async def _blank_group_name(page: Page) -> None:
    form = page.locator("#new-group-form")
    await page.locator("#new-group-form").locator("xpath=ancestor::details/summary").click()
    await form.locator("#group-name").fill("   ")
    await form.locator("button[type=submit]").click()
    await expect(form.locator(".error")).to_be_visible()


async def _short_password(page: Page) -> None:
    form = page.locator("#password-form")
    await form.locator("#current-password").fill("not my password")
    await form.locator("#new-password").fill("a new password, long enough")
    await form.locator("button[type=submit]").click()
    await expect(page.locator("#password-error")).to_be_visible()


async def _ask_to_leave(page: Page, password: str) -> None:
    section = page.locator("#leaving")
    await section.locator("#deletion-password").fill(password)
    await section.locator("#deletion-button").click()
    await section.locator("#deletion-yes").click()


async def _leave_with_a_wrong_password(page: Page) -> None:
    await _ask_to_leave(page, "not my password at all")
    await expect(page.locator("#deletion-password-error")).to_be_visible()


async def _leave_with_things_pending(page: Page) -> None:
    await _ask_to_leave(page, PASSWORD)  # refused: mei owns a group and has orders under way
    await expect(page.locator("#deletion-error li").first).to_be_visible()


WALK: list[Stop] = [
    Stop("/login", None),
    Stop("/login?deletion=requested&erase_after={erase_after}", None, "#deletion-notice"),
    Stop("/signup", None),
    Stop("/offline", "mei"),  # what the service worker shows for a page it never saved
    Stop("/chats", "mei", "#chat-list li"),
    Stop("/chats", "mei", "#chat-list li", _blank_group_name),
    Stop("/chats/{group}", "mei", ".message.kind-review_card"),
    Stop("/chats/{group}", "ben", ".message.kind-product_card"),
    Stop("/chats/{direct}", "mei", ".message"),
    Stop("/groups/{group}/admin", "mei", "#members li"),
    Stop("/groups/{group}/admin", "ben"),  # not an admin: the error page
    Stop("/invite/{invite}", "shopkeeper", "#invite-group"),
    Stop("/notifications", "mei", "#notifications li"),
    Stop("/settings", "mei"),
    Stop("/settings", "mei", None, _short_password),
    Stop("/settings", "mei", "#obligations li", _leave_with_a_wrong_password),
    Stop("/settings", "mei", "#obligations li", _leave_with_things_pending),
    Stop("/settings?deletion=cancelled", "mei", "#deletion-cancelled"),
    Stop("/for-you", "mei"),
    Stop("/products", "mei", "#results li"),
    Stop("/products/{product}", "mei", "#product-body"),
    Stop("/products/{product}", "mei", "#product-body", _too_many),
    Stop("/products/{product}?share={share}", "ben", "#product-body"),
    Stop("/cart", "mei", "#cart li"),
    Stop("/cart", "mei", "#cart li", _none_in_cart),
    Stop("/orders", "mei", "#orders li"),
    Stop("/orders/{delivered}", "mei", "#order-body"),
    Stop("/orders/{pending}", "mei", "#pay-section"),
    Stop("/orders/{paid}", "shopkeeper", "#order-actions button"),
    Stop("/shops", "shopkeeper", "#shops li"),
    Stop("/shops/{shop}/manage", "shopkeeper", "#shop-orders li"),
    Stop("/friends", "mei", "#incoming li"),
    Stop("/people/{person}", "mei", "#groups-in-common li"),
    Stop("/teams/{team}", "ben", "#team-progress"),
    Stop("/notes", "mei"),
    Stop("/notes?tab=following", "mei"),
    Stop("/notes?q=%E6%A9%99%E5%AD%90", "ben"),  # 橙子: words a note has
    Stop("/notes/mine", "mei"),  # the author's own notes, on their profile
    Stop("/people/{person}/notes", "mei"),
    Stop("/notes/collections", "mei"),
    Stop("/notes/collections/{collection}", "mei"),  # none made: the page says so
    Stop("/notes/new", "mei", "#note-form"),
    Stop("/notes/{note}", "ben", ".note-product"),
    Stop("/notes/{note}", None, ".note-product"),  # a note to everyone, signed out
]


@dataclass
class World:
    """What the walk looks at: people, their ids and what they wrote (allowed in any language)."""

    people: dict[str, Person] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)

    def wrote(self, *texts: str) -> None:
        self.written.extend(texts)


async def build_world(site: Site) -> World:
    """A group with chat, a card, a purchase report and a review in it; a direct chat; a shop
    with orders in several states and a team filling; a cart; notifications; an invite."""
    client, world = site.client, World()
    mei = await site.person("mei", "林美")
    ben = await site.person("ben", "王本")
    keeper = await merchant(client, site.container, "amei")
    world.people.update(mei=mei, ben=ben, shopkeeper=keeper)
    world.wrote("林美", "王本", "mei", "ben", "amei")

    shop = await open_shop(client, keeper, name="阿梅的小铺", description="新鲜水果每天到")
    listed = await client.post(
        f"/api/v1/shops/{shop['id']}/products",
        headers=keeper.headers,
        json={
            "name": "赣南脐橙",
            "description": "甜，五斤一箱",
            "skus": [{"label": "五斤装", "price": 3990, "stock": 50, "team_price": 2990}],
            "team_size": 3,
        },
    )
    assert listed.status_code == 201, listed.text
    product = listed.json()
    sku = product["skus"][0]["id"]
    world.wrote("阿梅的小铺", "新鲜水果每天到", "赣南脐橙", "甜，五斤一箱", "五斤装")

    group = await join_open_group(client, mei, ben, name="邻居团购群")
    await say(client, mei, group, "大家好")
    await say(client, ben, group, "明天见", mentions=[mei.id])
    shared = await share_card(client, mei, group, product["id"], text="很甜，推荐")
    assert shared.status_code == 201, shared.text
    share = shared.json()["share_id"]
    world.wrote("邻居团购群", "大家好", "明天见", "很甜，推荐")

    delivered = await delivered_order(client, site.container, ben, keeper, sku, share)
    told = await client.post(
        f"/api/v1/orders/{delivered['id']}/bought-it", headers=ben.headers, json={"text": "收到了"}
    )
    assert told.status_code in (200, 201), told.text
    assert (await review(client, ben, delivered["id"], 5, "真的很甜")).status_code == 201
    mine = await delivered_order(client, site.container, mei, keeper, sku)
    pending = await checkout(client, mei, [{"sku_id": sku, "quantity": 2}])
    assert pending.status_code == 201, pending.text
    paid = await buy(client, ben, sku)
    team = await open_team(client, ben, sku, public=True)  # the product page shows it filling
    in_cart = await client.put(
        f"/api/v1/cart/items/{sku}", headers=mei.headers, json={"quantity": 3}
    )
    assert in_cart.status_code == 200, in_cart.text
    world.wrote("收到了", "真的很甜")

    direct = await client.post(
        "/api/v1/conversations/direct", headers=mei.headers, json={"user_id": ben.id}
    )
    assert direct.status_code == 200, direct.text
    await say(client, ben, direct.json()["id"], "在吗？")
    asked = await client.post(
        "/api/v1/friends/requests", headers=keeper.headers, json={"user_id": mei.id}
    )
    assert asked.status_code == 201, asked.text
    world.wrote("在吗？")
    await settle(site.container)

    note = await client.post(
        "/api/v1/notes",
        headers=mei.headers,
        json={
            "title": "橙子开箱",
            "text": "汁多，很甜",
            "tags": ["水果"],
            "area": "上海·徐汇",
            "audience": "everyone",
            "product_ids": [product["id"]],
        },
    )
    assert note.status_code == 201, note.text
    world.wrote("橙子开箱", "橙子", "汁多，很甜", "#水果", "上海·徐汇")  # 橙子: searched for

    world.ids.update(
        note=note.json()["id"],
        collection=1,
        group=group,
        direct=direct.json()["id"],
        invite=await invite_link(client, mei, group),
        product=product["id"],
        share=share,
        shop=shop["id"],
        delivered=mine["id"],
        pending=pending.json()["id"],
        paid=paid["id"],
        team=team["id"],
        person="ben",
        # where asking to delete an account leads: the log-in page with the erasure's date
        erase_after=quote((site.container.clock.now() + timedelta(days=6)).isoformat(), safe=""),
    )
    return world


# --- reading what a person sees ------------------------------------------------------------------

VISIBLE_TEXT = """(locale) => {
  const seen = [];
  const css = { visibilityProperty: true, checkVisibilityCSS: true };
  const shown = (element) => (element.closest("select") ?? element).checkVisibility(css);
  const foreign = (element) => {
    const marked = element.closest("[lang]");
    return marked !== null && marked !== document.documentElement && marked.lang !== locale;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || ["SCRIPT", "STYLE", "NOSCRIPT"].includes(element.tagName)) continue;
    const text = node.textContent.trim();
    if (text && shown(element) && !foreign(element)) seen.push(text);
  }
  const described =
    "[aria-label], [alt], [title], [placeholder], input:not([type=hidden]), textarea";
  for (const element of document.body.querySelectorAll(described)) {
    if (!shown(element) || foreign(element)) continue;
    for (const name of ["aria-label", "alt", "title", "placeholder"]) {
      const value = element.getAttribute(name);
      if (value && value.trim()) seen.push(value.trim());
    }
    const typed = ["INPUT", "TEXTAREA"].includes(element.tagName)
      && !["checkbox", "radio", "file"].includes(element.type);
    if (typed && element.value.trim()) seen.push(element.value.trim());
  }
  seen.push(document.title);
  return seen;
}"""

# Han characters, and the full-width punctuation that goes with them.
HAN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff01-\uff5e]")
LATIN_WORD = re.compile(r"[A-Za-z]+")
ADDRESS = re.compile(r"(?:https?://|/)[\w./?=&%#:-]+")
# The brand, and currencies by their ISO codes (a shop's choice of CNY, USD…).
ALWAYS_ALLOWED = {"Tuan", *CURRENCIES}


def leaks(texts: list[str], locale: str, written: list[str]) -> list[str]:
    """The texts that have words of the other script once what people wrote is set aside."""
    found = []
    for text in texts:
        if any(words.startswith(text) for words in written):
            continue  # an avatar's initial: the first letter of a name
        rest = text
        for words in sorted(written, key=len, reverse=True):
            rest = rest.replace(words, " ")
        rest = ADDRESS.sub(" ", rest)
        if locale == "en":
            foreign = HAN.findall(rest)
        else:
            foreign = [word for word in LATIN_WORD.findall(rest) if word not in ALWAYS_ALLOWED]
        if foreign:
            found.append(text)
    return found


async def settled(page: Page, locale: str, ready: str | None) -> None:
    """The page with its data in: what it waits for shows, and nothing says "loading"."""
    if ready:
        await expect(page.locator(ready).first).to_be_visible()
    await expect(page.get_by_text(render(locale, "js.loading"), exact=True)).to_have_count(0)
    await page.wait_for_load_state("networkidle")


async def walk(site: Site, world: World, locale: str) -> list[str]:
    # The logo writes the brand in both scripts, in both languages ("团 Tuan").
    allowed = [*world.written, render(locale, "app.brand")]
    pages: dict[str | None, Page] = {}
    problems = []
    for stop in WALK:
        if stop.who not in pages:
            who = world.people[stop.who] if stop.who else None
            pages[stop.who] = await (await site.context(who, locale=locale)).new_page()
        page = pages[stop.who]
        path = stop.path.format(**world.ids)
        await page.goto(path)
        await expect(page.locator("html")).to_have_attribute("lang", locale)
        await settled(page, locale, stop.ready)
        if stop.act:
            await stop.act(page)
        texts = await page.evaluate(VISIBLE_TEXT, locale)
        problems += [
            f"{locale} {path} ({stop.who}): {text!r}" for text in leaks(texts, locale, allowed)
        ]
        problems += [f"{locale} {path} ({stop.who}): {found}" for found in await inaccessible(page)]
    return problems


async def inaccessible(page: Page) -> list[str]:
    """What axe-core (WCAG 2.1 A and AA rules) finds wrong on the page as it stands."""
    from axe_playwright_python.async_playwright import Axe

    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
    options = {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]}
    results = await Axe().run(page, options=options)
    return [
        f"axe {rule['id']} ({rule['impact']}): {[node['target'] for node in rule['nodes']][:3]}"
        for rule in results.response["violations"]
    ]


async def test_every_page_speaks_only_the_readers_language_and_passes_axe(site: Site) -> None:
    world = await build_world(site)
    problems = await walk(site, world, "zh-CN") + await walk(site, world, "en")
    assert not problems, "\n".join(problems)


def test_the_leak_check_sees_the_other_script_and_allows_what_people_wrote() -> None:
    written = ["林美", "Ben Kim"]
    assert leaks(["林美 joined"], "zh-CN", written) == ["林美 joined"]
    allowed = ["Ben Kim 加入了群聊", "¥12.50", "Tuan 团", "/chats/9", "CNY ¥"]
    assert leaks(allowed, "zh-CN", written) == []
    assert leaks(["林美 加入了群聊"], "en", written) == ["林美 加入了群聊"]
    assert leaks(["林美 joined", "Saved。"], "en", written) == ["Saved。"]


def _shape(path: str) -> str:
    """A path with its parameters blanked: ``/chats/{conversation_id:int}`` → ``/chats/{}``."""
    return re.sub(r"\{[^}]*\}", "{}", path.split("?", 1)[0])


def test_the_walk_visits_every_page_of_the_web_app() -> None:
    pages = {
        _shape(route.path)
        for route in [*web.router.routes, *notes_web.router.routes, *app_shell.router.routes]
        if isinstance(route, APIRoute) and "GET" in route.methods
    }
    # a redirect, images, and the installable app's files (tests/browser/test_installable.py)
    not_pages = {"/", "/thumbs/{}/{}", "/manifest.webmanifest", "/sw.js"}
    walked = {_shape(stop.path) for stop in WALK}
    assert sorted(pages - not_pages - walked) == [], "add these pages to WALK"


async def test_the_accessibility_check_sees_what_axe_finds(site: Site) -> None:
    page = await (await site.context()).new_page()
    await page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main>'
        '<img src="/static/favicon.svg"><button></button></main></body></html>'
    )
    found = " ".join(await inaccessible(page))
    assert "image-alt" in found and "button-name" in found
