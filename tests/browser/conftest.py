"""Browser tests: Debian's Chromium, headless, driven by Playwright against a real server.

The server is the in-loop uvicorn of ``live_app`` (so a test can also set things up through the
API with ``client``). No browser is ever downloaded: without ``/usr/bin/chromium`` or the
playwright package these tests skip with the reason, and under ``CI=true`` they fail instead.

Every page is watched: a JavaScript error, a console error or a Content-Security-Policy violation
fails the test that caused it. Screenshots go to a temporary directory, or to
``docs/screenshots/`` with ``TUAN_SCREENSHOTS=1`` (how README's are made).
"""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import httpx
import pytest

from tests.conftest import IN_CI, REPO_ROOT
from tests.factories import Person, person
from tuan.bootstrap import Container

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, CDPSession, Locator, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MOBILE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 860}
TIMEOUT_MS = 10_000


def photo(width: int = 1200, height: int = 900) -> bytes:
    """A JPEG like a phone photo (a gradient, so it compresses like a real one)."""
    from PIL import Image

    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def _unavailable(reason: str) -> NoReturn:
    if IN_CI:
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        await launched.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.environ.get("TUAN_SCREENSHOTS") == "1":
        target = REPO_ROOT / "docs" / "screenshots"
        target.mkdir(parents=True, exist_ok=True)
        return target
    return tmp_path_factory.mktemp("screenshots")


@dataclass
class Site:
    """The server under test and the people using it, each in their own browser context."""

    url: str
    host: str
    client: httpx.AsyncClient
    container: Container
    browser: Browser
    screenshots: Path
    contexts: list[BrowserContext] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    async def person(self, username: str, display_name: str | None = None) -> Person:
        return await person(self.client, username, display_name=display_name)

    async def context(
        self,
        who: Person | None = None,
        *,
        locale: str = "zh-CN",
        timezone: str = "Asia/Shanghai",
        viewport: dict[str, int] | None = None,
    ) -> BrowserContext:
        """A fresh browser (its own cookies) for ``who``, logged in when given."""
        context = await self.browser.new_context(
            locale=locale,
            timezone_id=timezone,
            viewport=viewport or DESKTOP,  # type: ignore[arg-type]
            base_url=self.url,
        )
        context.set_default_timeout(TIMEOUT_MS)
        if who is not None:
            await context.add_cookies(
                [
                    {
                        "name": "tuan_session",
                        "value": who.token,
                        "url": self.url,
                        "httpOnly": True,
                        "sameSite": "Lax",
                    }
                ]
            )
        context.on("page", self._watch)
        self.contexts.append(context)
        return context

    async def page(self, who: Person | None = None, path: str = "/", **options: Any) -> Page:
        context = await self.context(who, **options)
        page = await context.new_page()
        await page.goto(path)
        return page

    def _watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: {error}"))
        page.on(
            "console",
            lambda message: (
                self.problems.append(f"{page.url}: console: {message.text}")
                if message.type == "error" and not _expected(message.text)
                else None
            ),
        )

    async def shoot(
        self, page: Page, name: str, *, phone_only: bool = False, part: Locator | None = None
    ) -> None:
        """Screenshots of the page (or only ``part`` of it) at phone width (375 px) and, unless
        ``phone_only``, on a desktop."""
        original = page.viewport_size
        sizes = (("mobile", MOBILE),) if phone_only else (("mobile", MOBILE), ("desktop", DESKTOP))
        for label, size in sizes:
            await page.set_viewport_size(size)  # type: ignore[arg-type]
            await page.wait_for_timeout(150)
            path = str(self.screenshots / f"{name}-{label}.png")
            clip = await _around(page, part) if part is not None else None
            await page.screenshot(path=path, full_page=True, clip=clip)  # type: ignore[arg-type]
        if original:
            await page.set_viewport_size(original)


async def _around(page: Page, part: Locator) -> dict[str, float]:
    """The page's full width, from a little above ``part`` to a little below it."""
    await page.evaluate("window.scrollTo(0, 0)")
    box = await part.bounding_box()
    assert box is not None, "the part to photograph is not shown"
    width = float(await page.evaluate("document.documentElement.clientWidth"))
    top = max(0.0, box["y"] - 12)
    return {"x": 0, "y": top, "width": width, "height": box["y"] + box["height"] + 12 - top}


async def service_worker_registration(
    context: BrowserContext, page: Page
) -> tuple[CDPSession, str]:
    """A DevTools session watching service workers, and the id it knows the page's worker's
    registration by (to hand it a push as the browser would on its arrival)."""
    cdp = await context.new_cdp_session(page)
    registrations: list[dict[str, str]] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    await cdp.send("ServiceWorker.enable")
    scope = await page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    for _ in range(50):
        if any(r["scopeURL"] == scope for r in registrations):
            break
        await page.wait_for_timeout(100)
    return cdp, next(r["registrationId"] for r in registrations if r["scopeURL"] == scope)


def _expected(text: str) -> bool:
    # A refused API call shows its message on the page; the browser also logs the status line.
    return "the server responded with a status of" in text or "ERR_INTERNET_DISCONNECTED" in text


@pytest.fixture
async def site(
    live_app: str,
    client: httpx.AsyncClient,
    container: Container,
    browser: Browser,
    screenshot_dir: Path,
) -> AsyncIterator[Site]:
    made = Site(
        url=f"http://{live_app}",
        host=live_app,
        client=client,
        container=container,
        browser=browser,
        screenshots=screenshot_dir,
    )
    try:
        yield made
    finally:
        for context in made.contexts:
            await context.close()
    assert not made.problems, "\n".join(made.problems)
