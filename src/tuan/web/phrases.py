"""Saying a domain's :class:`~tuan.core.phrases.Phrase` in the reader's language.

A phrase's code is a key in the locale catalogues, its parameters fill the sentence. Two
conventions, here only:

- **Plurals.** A sentence that depends on a ``count`` parameter has two entries, ``<code>.one``
  and ``<code>.other`` (both catalogues hold both; Chinese says them alike), chosen by
  :func:`plural_key`. (When the catalogues move to Babel's CLDR plural entries, that function is
  the one place that changes.)
- **Categories.** A ``category`` parameter is a catalogue slug: it is said as the category's name
  in the reader's language (``any``: every category; ``general``: items without one).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from tuan.catalog.queries import CATEGORIES
from tuan.core.phrases import Phrase
from tuan.web.i18n import Translator, catalogue

SPECIAL_CATEGORIES = {"any": "category.any", "general": "category.general"}


def plural_key(locale: str, code: str, count: object) -> str:
    """The entry of ``code`` for ``count``: itself, or its ``.one`` / ``.other`` variant."""
    if not isinstance(count, int) or f"{code}.other" not in catalogue(locale):
        return code
    return f"{code}.one" if count == 1 else f"{code}.other"


def category_name(locale: str, slug: str) -> str:
    if slug in SPECIAL_CATEGORIES:
        return Translator(locale)(SPECIAL_CATEGORIES[slug])
    for info in CATEGORIES:
        if info.slug == slug:
            return info.name_zh if locale == "zh-CN" else info.name_en
    return slug


def say(locale: str, phrase: Phrase) -> str:
    """``phrase`` in ``locale``."""
    params: Mapping[str, object] = phrase.params
    if isinstance(params.get("category"), str):
        params = {**params, "category": category_name(locale, str(params["category"]))}
    return Translator(locale)(plural_key(locale, phrase.code, params.get("count")), **params)


def say_all(locale: str, phrases: Iterable[Phrase]) -> str:
    """Several phrases in ``locale``, one after the other as a list of reasons."""
    return Translator(locale)("reasons.separator").join(say(locale, p) for p in phrases)
