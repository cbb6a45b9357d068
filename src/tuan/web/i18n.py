"""The web app's two languages, 简体中文 and English: choosing one per request, and every sentence
rendered from the locale catalogues with Babel's CLDR data for plurals, numbers, money and dates.

The catalogue scheme
--------------------
``locales/<locale>.json`` is one flat JSON object, ``key → entry``; both catalogues hold the same
keys. An entry is

- a **string** with placeholders: ``{name}`` (the value as text) or ``{name:format}``, where
  ``format`` is ``number`` (grouped digits), ``money`` (the value is ``{"amount": minor units,
  "currency": "CNY"}``), ``wait`` (seconds, said in the largest whole unit, rounded up: "2
  minutes", "2分钟"), ``percent`` (the value is in basis points, Tuan's unit for rates:
  ``525`` → 5.25%), ``and`` / ``or`` (a list, joined the language's way: "a, b and c", "a、b或c"),
  ``date``, ``time`` or ``datetime`` (a ``datetime`` or ISO 8601 text); or
- an **object of plural variants**, keyed by CLDR plural category and chosen by the ``count``
  parameter with the locale's CLDR rule. Each locale's object has exactly the categories its
  language distinguishes: ``{"one": "{count} person", "other": "{count} people"}`` in ``en.json``,
  ``{"other": "{count} 人"}`` in ``zh-CN.json``. A missing or non-numeric count reads ``other``.

A placeholder without a value stays as written (a test keeps callers and catalogues in step).
The keys starting ``js.`` or ``err.`` are also handed to the page's JavaScript, whose ``t()`` in
``static/js/boot.js`` reads the same scheme with the browser's CLDR (``Intl.PluralRules``,
``Intl.NumberFormat``, ``Intl.DateTimeFormat``).

Refusals
--------
A domain raises an error with a stable ``code`` and the parameters of its sentence
(``details``, ``field``), never a sentence of its own. The edge says it with
:func:`refusal_message`: the entry ``err.<CODE>``, or ``err.<CODE>.<reason>`` when the details
carry a ``reason`` (one code, distinct causes: ``InvalidDeal(details={"reason":
"ends_before_start"})``), filled with the details; the ``field`` it names is said with the
form's own word for it (``field.<name>``: "Quantity", "数量"). An entry that needs a parameter
the error did not carry is passed over, down to the error's kind (:data:`GENERIC_BY_KIND`), so
a reader of Chinese is never shown English. Until every domain is converted, a sentence a
domain composed still reaches English readers (see :func:`error_message`).

Calling it: :func:`render` (``render(locale, key, {"count": 3})``) renders one entry;
:class:`Translator` is the same bound to a locale, for templates; :func:`refusal_message` says an
error; ``format_number``, ``format_money``, ``format_percent``, ``format_date``, ``format_time``,
``format_datetime`` and ``format_list`` format one value.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any, Literal

from babel import Locale
from babel import dates as babel_dates
from babel import lists as babel_lists
from babel import numbers as babel_numbers
from babel import units as babel_units

from tuan.core.errors import ErrorKind, TuanError

LOCALES = ("zh-CN", "en")
DEFAULT_LOCALE = "en"
SCRIPT_PREFIXES = ("js.", "err.")
PLURAL_PARAM = "count"
# Times the server writes into a sentence are in China Standard Time, the zone Tuan's days are
# counted in; pages show times in the viewer's own zone in the browser instead.
HOME_ZONE = timezone(timedelta(hours=8))
PLACEHOLDER = re.compile(r"\{(\w+)(?::(\w+))?\}")

Entry = str | dict[str, str]


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
def catalogue(locale: str) -> dict[str, Entry]:
    text = files("tuan.web").joinpath("locales", f"{locale}.json").read_text(encoding="utf-8")
    loaded: dict[str, Entry] = json.loads(text)
    return loaded


# --- Babel: plurals and formats ------------------------------------------------------------------


@cache
def babel_locale(locale: str) -> Locale:
    return Locale.parse(locale, sep="-")


def plural_categories(locale: str) -> frozenset[str]:
    """The CLDR plural categories ``locale`` distinguishes (``other`` always among them)."""
    return babel_locale(locale).plural_form.tags | {"other"}


def plural_category(locale: str, count: object) -> str:
    if isinstance(count, bool) or not isinstance(count, int | float | Decimal):
        return "other"
    return str(babel_locale(locale).plural_form(count))


def format_number(value: int | float | Decimal, locale: str) -> str:
    return str(babel_numbers.format_decimal(value, locale=babel_locale(locale)))


def format_money(amount: int, currency: str, locale: str) -> str:
    """``amount`` minor units (fen, cents) of ISO 4217 ``currency``: ``1250, "CNY"`` → ¥12.50."""
    major = Decimal(amount).scaleb(-babel_numbers.get_currency_precision(currency))
    return str(babel_numbers.format_currency(major, currency, locale=babel_locale(locale)))


def format_percent(basis_points: int, locale: str) -> str:
    """A rate in basis points as a percent, up to two decimals: ``525`` → 5.25%."""
    rate = Decimal(basis_points).scaleb(-4)
    return str(babel_numbers.format_percent(rate, "#,##0.##%", locale=babel_locale(locale)))


def _moment(value: datetime | str) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def format_date(value: date | str, locale: str) -> str:
    day = _moment(value).astimezone(HOME_ZONE) if isinstance(value, str | datetime) else value
    return str(babel_dates.format_date(day, "medium", locale=babel_locale(locale)))


def format_time(value: datetime | str, locale: str) -> str:
    moment = _moment(value).astimezone(HOME_ZONE)
    return str(babel_dates.format_time(moment, "short", locale=babel_locale(locale)))


def format_datetime(value: datetime | str, locale: str) -> str:
    """A medium date and a short time, as the browser's ``formatTime`` shows them."""
    pattern = babel_dates.get_datetime_format("medium", locale=babel_locale(locale))
    return str(pattern).format(format_time(value, locale), format_date(_moment(value), locale))


def format_list(
    values: Sequence[object], locale: str, *, style: Literal["standard", "or"] = "standard"
) -> str:
    """``values`` joined as the language joins a list: "standard" (and) or "or"."""
    words = [str(v) for v in values]
    return str(babel_lists.format_list(words, style, locale=babel_locale(locale)))


# A wait in seconds is said in the largest unit it reaches, rounded up.
WAIT_UNITS = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))


def format_wait(seconds: int | float, locale: str) -> str:
    """``seconds`` to wait, rounded up to a whole unit: 45 → "45 seconds", 90 → "2 minutes"."""
    whole = max(1, math.ceil(seconds))
    unit, size = next((u, s) for u, s in WAIT_UNITS if whole >= s)
    amount = math.ceil(whole / size)
    return str(
        babel_units.format_unit(
            amount, f"duration-{unit}", length="long", locale=babel_locale(locale)
        )
    )


def _money(value: Mapping[str, Any], locale: str) -> str:
    return format_money(value["amount"], value["currency"], locale)


FORMATS: dict[str, Any] = {
    "number": format_number,
    "money": _money,
    "percent": format_percent,
    "and": format_list,
    "or": lambda values, locale: format_list(values, locale, style="or"),
    "date": format_date,
    "time": format_time,
    "datetime": format_datetime,
    "wait": format_wait,
}


def format_value(value: object, format_name: str | None, locale: str) -> str:
    formatter = FORMATS.get(format_name or "")
    if formatter is None:
        return str(value)
    try:
        return str(formatter(value, locale))
    except (TypeError, ValueError, KeyError, ArithmeticError):
        return str(value)  # a value of the wrong shape still reads as itself


# --- rendering entries ---------------------------------------------------------------------------


def variant(entry: Entry, locale: str, count: object) -> str:
    """The text of ``entry`` for ``count``: itself, or its plural variant by CLDR."""
    if isinstance(entry, str):
        return entry
    return entry.get(plural_category(locale, count)) or entry["other"]


def placeholders(entry: Entry) -> set[str]:
    """The parameter names ``entry`` uses, in any of its variants."""
    texts = [entry] if isinstance(entry, str) else list(entry.values())
    return {m.group(1) for text in texts for m in PLACEHOLDER.finditer(text)}


def fill(entry: Entry, locale: str, params: Mapping[str, object]) -> str:
    text = variant(entry, locale, params.get(PLURAL_PARAM))
    if not params:
        return text

    def value(match: re.Match[str]) -> str:
        name, format_name = match.group(1), match.group(2)
        return format_value(params[name], format_name, locale) if name in params else match[0]

    return PLACEHOLDER.sub(value, text)


def render(locale: str, key: str, params: Mapping[str, object] | None = None) -> str:
    """The sentence ``key`` in ``locale`` filled with ``params``; the one function every caller
    uses. A key missing from ``locale`` reads in English; a key missing everywhere shows itself
    instead of breaking the page (a test keeps the catalogues whole)."""
    entry = catalogue(locale).get(key)
    if entry is None:
        locale, entry = DEFAULT_LOCALE, catalogue(DEFAULT_LOCALE).get(key)
    return key if entry is None else fill(entry, locale, params or {})


class Translator:
    """:func:`render` bound to one locale: ``t("js.digest", count=3)`` in templates."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self.messages = catalogue(locale)

    def __call__(self, key: str, **values: Any) -> str:
        return render(self.locale, key, values)

    def for_script(self) -> dict[str, Entry]:
        return {k: v for k, v in self.messages.items() if k.startswith(SCRIPT_PREFIXES)}


# --- refusals ------------------------------------------------------------------------------------

# Parameters every refusal may carry that are not details a domain composed its sentence from.
_GENERAL_PARAMS = frozenset({"field", "retry_after", "reason"})
# The sentence of last resort for each kind of refusal: it needs no parameter, so a reader of
# Chinese is never handed the refusal's English message.
GENERIC_BY_KIND = {
    ErrorKind.INVALID: "INVALID_INPUT",
    ErrorKind.UNAUTHENTICATED: "NOT_AUTHENTICATED",
    ErrorKind.FORBIDDEN: "FORBIDDEN",
    ErrorKind.NOT_FOUND: "NOT_FOUND",
    ErrorKind.CONFLICT: "CONFLICT",
    ErrorKind.GONE: "GONE",
    ErrorKind.TOO_LARGE: "TOO_LARGE",
    ErrorKind.UNSUPPORTED_MEDIA: "UNSUPPORTED_MEDIA_TYPE",
    ErrorKind.RATE_LIMITED: "TOO_MANY_REQUESTS",
    ErrorKind.UNAVAILABLE: "UNAVAILABLE",
}


def error_message(
    locale: str,
    code: str,
    params: Mapping[str, object],
    *,
    fallback: str,
    composed: bool = False,
    generic: str | None = None,
) -> str:
    """The sentence for refusal ``code`` in ``locale``, from ``err.<CODE>.<reason>`` (when
    ``params`` has a ``reason``) or else ``err.<CODE>``, filled with ``params``.

    A key whose sentence needs a parameter the refusal did not carry is passed over. An English
    reader is then told ``fallback``, the refusal's own English message; a reader of another
    language the ``generic`` code's sentence (the kind of refusal, see :data:`GENERIC_BY_KIND`).
    An English reader is also told ``fallback`` when it was ``composed`` for this refusal (more
    specific than a class's default) and the catalogue's sentence uses none of the refusal's
    details: a domain that still writes its own sentence keeps saying it in English, and says
    the catalogue's in Chinese.
    """
    messages = catalogue(locale)
    reason = params.get("reason")
    keys = [f"err.{code}.{reason}"] if isinstance(reason, str) else []
    keys.append(f"err.{code}")
    if generic and locale != DEFAULT_LOCALE:
        keys.append(f"err.{generic}")
    for key in keys:
        entry = messages.get(key)
        if entry is None or not placeholders(entry) <= set(params):
            continue
        if composed and locale == DEFAULT_LOCALE and not placeholders(entry) - _GENERAL_PARAMS:
            return fallback
        return fill(entry, locale, with_field_label(locale, params))
    return fallback


def field_label(locale: str, field: str) -> str:
    """What the form calls ``field`` (``field.<name>`` in the catalogue: "Quantity", "数量"),
    named by its last part (``items.0.quantity`` is a quantity); the field itself when the
    catalogue has no label for it."""
    names = [part for part in field.split(".") if not part.isdigit()]
    entry = catalogue(locale).get(f"field.{names[-1]}") if names else None
    return entry if isinstance(entry, str) else field


def with_field_label(locale: str, params: Mapping[str, object]) -> Mapping[str, object]:
    """``params`` with the field a refusal names said the reader's way (a field the request has
    no business sending is named as it was sent)."""
    field = params.get("field")
    if not isinstance(field, str) or params.get("reason") == "unexpected":
        return params
    return {**params, "field": field_label(locale, field)}


def error_params(error: TuanError) -> dict[str, object]:
    """What a refusal's sentence may use: its ``details``, ``field`` and ``retry_after``."""
    params: dict[str, object] = dict(error.details)
    if error.field is not None:
        params["field"] = error.field
    if error.retry_after is not None:
        params["retry_after"] = error.retry_after
    return params


def refusal_message(locale: str, error: TuanError) -> str:
    """``error`` said in ``locale``: the message every edge (API, pages) shows for it."""
    return error_message(
        locale,
        error.code,
        error_params(error),
        fallback=error.message,
        composed=error.message != type(error).default_message,
        generic=GENERIC_BY_KIND[error.kind],
    )
