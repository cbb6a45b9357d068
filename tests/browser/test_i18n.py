"""The page's ``t()`` reads the catalogues as the server does: the browser's CLDR picks the same
plural variant and writes the same numbers, percents and lists as Babel; and a refusal the API
explains shows on the page in the page's language."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Site
from tuan.web.i18n import format_number, format_percent, render

# (key, values) pairs whose rendering must agree between Babel (server) and Intl (browser).
SAMPLES: list[tuple[str, dict[str, Any]]] = [
    ("js.digest", {"count": 1}),
    ("js.digest", {"count": 3}),
    ("js.digest", {"count": 1200}),
    ("js.member_count", {"count": 1}),
    ("js.rating_count", {"count": 2}),
    ("err.BODY_TOO_LARGE", {"limit": 1_000_000}),
    ("err.INVALID_INPUT.text_too_long", {"field": "text", "count": 1}),
    ("err.INVALID_INPUT.text_too_long", {"field": "text", "count": 4000}),
    ("err.INVALID_INPUT.one_of", {"field": "policy", "choices": ["open", "approval", "verified"]}),
    ("js.team_progress", {"paid": 1}),  # a value not given stays as written
]
SCRIPT = """async ([samples, rates]) => {
  const boot = await import("/static/js/boot.js");
  return {
    texts: samples.map(([key, values]) => boot.t(key, values)),
    percents: rates.map((bp) => boot.percent(bp)),
    numbers: [boot.formatNumber(1234567), boot.formatNumber(4.26, { maximumFractionDigits: 1 })],
  };
}"""
RATES = [500, 525, 1250, 0]


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
async def test_the_browser_renders_the_catalogue_as_babel_does(site: Site, locale: str) -> None:
    page = await site.page(None, "/login", locale=locale)
    rendered = await page.evaluate(SCRIPT, [SAMPLES, RATES])
    assert rendered["texts"] == [render(locale, key, values) for key, values in SAMPLES]
    assert rendered["percents"] == [format_percent(bp, locale) for bp in RATES]
    assert rendered["numbers"] == [format_number(1234567, locale), "4.3"]
    if locale == "en":
        assert rendered["texts"][:2] == ["1 person bought it", "3 people bought it"]
    else:
        assert rendered["texts"][1] == "3 人买到了"


REFUSED_EDIT = """async () => {
  const { api } = await import("/static/js/api.js");
  try { await api("PATCH", "/me", { display_name: "长".repeat(65) }); }
  catch (error) { return error.message; }
}"""


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "Display name is at most 64 characters."), ("zh-CN", "“昵称”最多 64 个字符。")],
)
async def test_a_refusal_shows_on_the_page_in_the_pages_language(
    site: Site, locale: str, expected: str
) -> None:
    mei = await site.person("mei")
    page = await site.page(mei, "/settings", locale=locale)
    assert await page.evaluate(REFUSED_EDIT) == expected
