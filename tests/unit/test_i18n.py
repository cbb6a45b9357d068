"""Words in the catalogues: Babel's CLDR rules render plurals, numbers, money and dates per
language; a refusal is said from ``err.<CODE>`` with its parameters; every error code has both
languages, and neither catalogue leaks into the other."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

import tuan
from tuan.core.errors import ErrorKind, TuanError
from tuan.norms.errors import NewMemberCooldown
from tuan.web.i18n import (
    GENERIC_BY_KIND,
    LOCALES,
    PLACEHOLDER,
    Entry,
    catalogue,
    error_message,
    fill,
    format_datetime,
    format_money,
    format_number,
    format_percent,
    refusal_message,
    render,
)

# Letters of the Han script and the full-width punctuation that goes with them.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
ENGLISH_WORD = r"[A-Za-z]+(?:['’.-][A-Za-z]+)*"
# Two English words in a row: the start of a sentence. One word may stand in Chinese text: a brand
# (Tuan, WeChat), a format (JPEG, JSON), a header name (Idempotency-Key), true / false.
ENGLISH_RUN = re.compile(rf"{ENGLISH_WORD}(?:\s+{ENGLISH_WORD})+")
# The logo writes the brand in both scripts, in both languages.
BRAND_KEYS = {"app.brand"}


def _texts(entry: Entry) -> list[str]:
    return [entry] if isinstance(entry, str) else list(entry.values())


def _words(text: str) -> str:
    """``text`` with spaces normalised (CLDR separates a time and its AM/PM by a narrow space)."""
    return re.sub(r"\s", " ", text)


# --- Babel: plurals, numbers, money, dates -------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "count", "expected"),
    [
        ("en", 1, "1 person bought it"),
        ("en", 3, "3 people bought it"),
        ("en", 0, "0 people bought it"),
        ("en", 1200, "1,200 people bought it"),
        ("zh-CN", 1, "1 人买到了"),
        ("zh-CN", 3, "3 人买到了"),
    ],
)
def test_a_count_picks_its_plural_by_the_languages_cldr_rule(
    locale: str, count: int, expected: str
) -> None:
    assert render(locale, "js.digest", {"count": count}) == expected


def test_a_plural_without_a_count_reads_other() -> None:
    assert render("en", "js.member_count") == "{count:number} members"


@pytest.mark.parametrize(
    ("amount", "currency", "english", "chinese"),
    [
        (1250, "CNY", "CN¥12.50", "¥12.50"),
        (123456, "USD", "$1,234.56", "US$1,234.56"),
        (500, "JPY", "¥500", "JP¥500"),
    ],
)
def test_money_from_minor_units_reads_the_way_each_language_writes_it(
    amount: int, currency: str, english: str, chinese: str
) -> None:
    assert format_money(amount, currency, "en") == english
    assert format_money(amount, currency, "zh-CN") == chinese
    value = {"amount": amount, "currency": currency}
    assert fill("You save {amount:money}", "en", {"amount": value}) == f"You save {english}"


def test_numbers_percents_and_dates_follow_the_locale() -> None:
    assert format_number(1234567, "en") == "1,234,567"
    assert (format_percent(525, "en"), format_percent(500, "zh-CN")) == ("5.25%", "5%")
    noon = datetime(2026, 12, 1, 4, 30, tzinfo=UTC)  # 12:30 in China
    assert _words(format_datetime(noon, "en")) == "Dec 1, 2026, 12:30 PM"
    assert format_datetime(noon, "zh-CN") == "2026年12月1日 12:30"
    assert format_datetime("2026-12-01T04:30:00Z", "zh-CN") == "2026年12月1日 12:30"
    when = fill("ends {when:datetime}", "en", {"when": noon})
    assert _words(when) == "ends Dec 1, 2026, 12:30 PM"


def test_lists_join_the_way_each_language_joins_them() -> None:
    choices = {"field": "policy", "choices": ["open", "approval", "verified"]}
    assert render("en", "err.INVALID_INPUT.one_of", choices) == (
        "policy must be open, approval, or verified."
    )
    assert render("zh-CN", "err.INVALID_INPUT.one_of", choices) == (
        "“policy”只能是 open、approval或verified。"
    )


def test_a_placeholder_without_a_value_stays_and_an_unknown_key_shows_itself() -> None:
    assert render("en", "js.team_progress", {"paid": 1}) == "1 of {size} joined"
    assert render("zh-CN", "no.such.key") == "no.such.key"
    assert fill("{n:money}", "en", {"n": 5}) == "5"  # a value of the wrong shape reads as itself


# --- refusals ------------------------------------------------------------------------------------


def test_a_refusal_is_said_from_its_code_in_the_readers_language() -> None:
    assert error_message("zh-CN", "WRONG_CREDENTIALS", {}, fallback="x") == "用户名或密码不正确。"
    limit = {"limit": 65536}
    assert error_message("en", "BODY_TOO_LARGE", limit, fallback="x") == (
        "The request body is larger than 65,536 bytes."
    )
    assert error_message("en", "NO_SUCH_CODE", {}, fallback="Its own words.") == "Its own words."


def test_a_reason_picks_a_more_specific_sentence_when_the_catalogue_has_one() -> None:
    nul = {"reason": "nul_in_url"}
    assert error_message("zh-CN", "BAD_REQUEST", nul, fallback="x") == "网址中含有空字符（NUL）。"
    other = {"reason": "no_such_reason"}
    assert error_message("zh-CN", "BAD_REQUEST", other, fallback="x") == "请求格式有误。"


def test_a_sentence_needing_a_parameter_the_refusal_lacks_is_passed_over() -> None:
    missing = {"reason": "missing"}  # "{field} is required", but no field was named
    assert error_message("zh-CN", "INVALID_INPUT", missing, fallback="x") == "请求内容无效。"


def test_a_sentence_a_domain_composed_stays_for_english_readers_only() -> None:
    composed = NewMemberCooldown("New members can share products here after 24 hours.")
    assert refusal_message("en", composed) == composed.message
    assert refusal_message("zh-CN", composed) == render("zh-CN", "err.NORM_NEW_MEMBER_COOLDOWN")
    plain = NewMemberCooldown()
    assert refusal_message("en", plain) == render("en", "err.NORM_NEW_MEMBER_COOLDOWN")


# --- the catalogues ------------------------------------------------------------------------------


def _every_error_class() -> Iterator[type[TuanError]]:
    for info in pkgutil.walk_packages(tuan.__path__, "tuan."):
        # Entry points run when imported; migrations run only under Alembic.
        if info.name.endswith("__main__") or info.name.startswith("tuan.migrations"):
            continue
        importlib.import_module(info.name)
    stack = [TuanError]
    while stack:
        error = stack.pop()
        yield error
        stack.extend(error.__subclasses__())


def test_every_error_code_is_said_in_both_languages() -> None:
    codes = {error.code for error in _every_error_class()}
    assert len(codes) > 100  # the walk found the domains' errors, not only the base classes
    for locale in LOCALES:
        missing = sorted(code for code in codes if f"err.{code}" not in catalogue(locale))
        assert missing == [], locale


def test_every_kind_of_refusal_has_a_sentence_that_needs_no_parameter() -> None:
    for locale in LOCALES:
        for kind in ErrorKind:
            entry = catalogue(locale)[f"err.{GENERIC_BY_KIND[kind]}"]
            assert isinstance(entry, str) and not PLACEHOLDER.search(entry), (locale, kind)


def test_a_refusal_missing_its_sentences_parameters_is_never_said_in_english_to_chinese() -> None:
    lacking = {"reason": "text_too_long"}  # "{field} is at most {count} characters", neither given
    said = error_message("zh-CN", "INVALID_INPUT", lacking, fallback="English", generic="CONFLICT")
    assert said == "请求内容无效。"
    for locale, expected in (("zh-CN", "内容太大了。"), ("en", "English")):
        said = error_message(locale, "BODY_TOO_LARGE", {}, fallback="English", generic="TOO_LARGE")
        assert said == expected


def test_english_has_no_chinese() -> None:
    for key, entry in catalogue("en").items():
        if key not in BRAND_KEYS:
            assert not [t for t in _texts(entry) if CJK.search(t)], key


def test_chinese_has_no_english_sentence() -> None:
    for key, entry in catalogue("zh-CN").items():
        for text in _texts(entry):
            bare = PLACEHOLDER.sub("", text)  # a value (a name, a field) may be in any language
            assert not ENGLISH_RUN.search(bare), (key, text)
            assert CJK.search(bare), (key, text)  # nothing left untranslated


@pytest.mark.parametrize("locale", LOCALES)
def test_a_catalogue_entry_is_a_sentence_or_its_plural_forms(locale: str) -> None:
    """A key slipped inside another entry's plural forms is lost to ``t()`` (the page shows the
    bare key), while the file still parses."""
    plural_forms = {"zero", "one", "two", "few", "many", "other"}
    misplaced = {
        key: sorted(set(entry) - plural_forms)
        for key, entry in catalogue(locale).items()
        if isinstance(entry, dict) and not set(entry) <= plural_forms
    }
    assert misplaced == {}
