"""The web app's two languages, 简体中文 and English: choosing one per request, and its strings.

Catalogues are JSON files in ``locales/`` (one flat object of ``key: text`` each, with ``{name}``
placeholders); the keys starting ``js.`` or ``err.`` are also handed to the page's JavaScript.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

LOCALES = ("zh-CN", "en")
DEFAULT_LOCALE = "en"
SCRIPT_PREFIXES = ("js.", "err.")


def supported(locale: str | None) -> str | None:
    """``locale`` as one of :data:`LOCALES`, or None (any Chinese variant reads 简体中文)."""
    if not locale:
        return None
    tag = locale.strip().lower()
    if tag == "zh" or tag.startswith("zh-"):
        return "zh-CN"
    if tag == "en" or tag.startswith("en-"):
        return "en"
    return None


def from_accept_language(header: str | None) -> str | None:
    """The best of our locales for an ``Accept-Language`` header, by its q-values."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        found = supported(tag)
        if found and quality > 0:
            ranked.append((-quality, index, found))
    return min(ranked)[2] if ranked else None


def choose_locale(*, cookie: str | None, account: str | None, accept_language: str | None) -> str:
    """The account's saved choice wins (it follows the person to a new device), then this
    browser's cookie, then what the browser asks for."""
    return (
        supported(account)
        or supported(cookie)
        or from_accept_language(accept_language)
        or DEFAULT_LOCALE
    )


@cache
def catalogue(locale: str) -> dict[str, str]:
    text = files("tuan.web").joinpath("locales", f"{locale}.json").read_text(encoding="utf-8")
    loaded: dict[str, str] = json.loads(text)
    return loaded


class Translator:
    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.messages = catalogue(locale)

    def __call__(self, key: str, **values: Any) -> str:
        # A missing key shows itself instead of breaking the page; a test keeps catalogues whole.
        text = self.messages.get(key) or catalogue(DEFAULT_LOCALE).get(key) or key
        return text.format(**values) if values else text

    def for_script(self) -> dict[str, str]:
        return {k: v for k, v in self.messages.items() if k.startswith(SCRIPT_PREFIXES)}
