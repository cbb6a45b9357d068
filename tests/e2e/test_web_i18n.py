"""The two catalogues (简体中文, English) hold the same keys, and every key the templates and the
JavaScript ask for exists; choosing the language from Accept-Language."""

from __future__ import annotations

import re
import string
from importlib.resources import files

import pytest

from tuan.groups.domain import SYSTEM_LINES
from tuan.web.i18n import (
    LOCALES,
    PLACEHOLDER,
    Entry,
    Translator,
    catalogue,
    choose_locale,
    from_accept_language,
    placeholders,
    plural_categories,
)

WEB = files("tuan.web")
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([\w.]+)["']""")
# Keys built at run time from a value: the families and the values they take.
DYNAMIC = {
    "policy.": ("open", "approval", "introduced", "verified"),
    "js.policy_": ("open", "approval", "introduced", "verified"),
    "js.role_": ("owner", "admin", "member"),
    "js.status_": ("pending", "paid", "shipped", "delivered", "completed", "cancelled", "refunded"),
    "js.team_status_": ("forming", "open", "filled", "expired", "cancelled"),
    # an order's history names a step that kept the status for what happened
    "js.history_": ("team_filled", "partial_refund"),
    "js.deal_state_": ("upcoming", "active", "sold_out", "ended"),
    # every line a group writes into its chat, and the one said for a code a page does not know
    "js.sys_": (*SYSTEM_LINES, "group_changed"),
    "notifications.about_": (
        "product_card",
        "purchase_report",
        "review_card",
        "purchase_digest",
        "recommendation_ask",
        "team_card",
    ),
}


def _sources() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in WEB.joinpath("templates").iterdir()]
    stack = [WEB.joinpath("static", "js")]
    while stack:
        folder = stack.pop()
        for entry in folder.iterdir():
            if entry.is_dir():
                stack.append(entry)
            elif entry.name.endswith(".js"):
                texts.append(entry.read_text(encoding="utf-8"))
    return texts


def _placeholders(entry: Entry) -> set[tuple[str, str]]:
    """Each ``{name}`` or ``{name:format}`` in any variant of ``entry``, as (name, format)."""
    texts = [entry] if isinstance(entry, str) else list(entry.values())
    return {(m[1], m[2] or "") for text in texts for m in PLACEHOLDER.finditer(text)}


def test_both_catalogues_have_the_same_keys_and_placeholders() -> None:
    english, chinese = catalogue("en"), catalogue("zh-CN")
    assert set(english) == set(chinese)
    for key, entry in english.items():
        assert _placeholders(entry) == _placeholders(chinese[key]), key
        for locale, found in (("en", entry), ("zh-CN", chinese[key])):
            texts = [found] if isinstance(found, str) else list(found.values())
            assert all(text.strip() for text in texts), (locale, key)
            # Python's formatter reads the same placeholders (no stray or unbalanced brace).
            for text in texts:
                parsed = {f for _, f, _, _ in string.Formatter().parse(text) if f}
                assert parsed == {name for name, _ in _placeholders(text)}, (locale, key)


def test_plural_entries_have_exactly_the_categories_of_their_language() -> None:
    for locale in LOCALES:
        for key, entry in catalogue(locale).items():
            if isinstance(entry, dict):
                assert set(entry) == plural_categories(locale), (locale, key)
                assert "count" in placeholders(entry), (locale, key)


def test_every_key_the_pages_use_exists() -> None:
    keys = set(catalogue("en"))
    used = {key for source in _sources() for key in LITERAL_KEY.findall(source)}
    used |= {prefix + value for prefix, values in DYNAMIC.items() for value in values}
    literal_prefixes = {k for k in used if k.endswith((".", "_"))}
    assert literal_prefixes <= set(DYNAMIC), literal_prefixes - set(DYNAMIC)
    assert sorted(used - literal_prefixes - keys) == []


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"),
        ("en-GB,en;q=0.9,zh-CN;q=0.8", "en"),
        ("zh-Hant-TW", "zh-CN"),
        ("de-DE,de;q=0.9", None),
        ("en;q=0.2, zh;q=0.9", "zh-CN"),
        ("zh;q=0, en", "en"),
        ("en;q=abc, zh", "zh-CN"),
        ("", None),
    ],
)
def test_accept_language_picks_the_best_supported_language(
    header: str, expected: str | None
) -> None:
    assert from_accept_language(header) == expected


def test_the_account_choice_then_the_cookie_then_the_browser_decide() -> None:
    assert choose_locale(cookie="en", account="zh-CN", accept_language="en") == "zh-CN"
    assert choose_locale(cookie="zh-CN", account=None, accept_language="en") == "zh-CN"
    assert choose_locale(cookie="xx", account=None, accept_language="zh") == "zh-CN"
    assert choose_locale(cookie=None, account=None, accept_language="fr") == "en"


def test_translations_fill_in_values() -> None:
    for locale in LOCALES:
        text = Translator(locale)("js.team_progress", paid=1, size=3)
        assert "1" in text and "3" in text
    assert Translator("zh-CN")("no.such.key") == "no.such.key"
