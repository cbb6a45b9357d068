"""Rules of asks that need no session: which category a request names, and who is most likely
to answer it well (ranked by their reputation in that category, explained in words)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from tuan.catalog.domain import CATEGORIES, CategoryInfo
from tuan.reviews.domain import UNCATEGORISED
from tuan.trust.domain import reputation_score

MAX_SUGGESTIONS = 5

# Everyday words for each category beyond its slug and its display names ("洗发水" is 个护, so
# 美妆个护). Only words that name one category; "包" or "care" alone would be guesses.
EXTRA_WORDS: dict[str, tuple[str, ...]] = {
    "fresh": ("水果", "蔬菜", "海鲜", "肉类", "fruit", "vegetables", "seafood"),
    "snacks": ("零食", "饮料", "坚果", "咖啡", "奶茶", "snack", "drink", "nuts", "coffee"),
    "household": ("日用品", "厨房", "收纳", "纸巾", "洗衣液", "kitchen", "storage", "detergent"),
    "beauty": (
        "化妆",
        "护肤",
        "洗发",
        "护发",
        "沐浴露",
        "面膜",
        "口红",
        "防晒",
        "香水",
        "shampoo",
        "skincare",
        "makeup",
        "lipstick",
        "sunscreen",
    ),
    "children": ("母婴", "婴儿", "宝宝", "奶粉", "尿不湿", "童装", "玩具", "diapers", "toys"),
    "health": ("保健", "维生素", "营养", "vitamins", "supplements"),
    "electronics": (
        "数码",
        "家电",
        "手机",
        "电脑",
        "耳机",
        "充电宝",
        "phone",
        "laptop",
        "headphones",
    ),
    "clothing": ("服饰", "衣服", "鞋", "箱包", "行李箱", "外套", "shoes", "suitcase", "jacket"),
}


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _has_cjk(word: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in word)


# Parts of English names too broad to name a category by themselves ("a gift for my mother").
TOO_BROAD = frozenset({"mother"})


def _english_parts(name: str) -> list[str]:
    parts = (part.strip() for part in re.split(r"[&,/]", name))
    return [part for part in parts if part and part.casefold() not in TOO_BROAD]


def _chinese_parts(name: str) -> list[str]:
    # The catalogue's Chinese names are two two-character words: 美妆个护 = 美妆 + 个护.
    halves = [name[i : i + 2] for i in range(0, len(name), 2)] if len(name) == 4 else []
    return [name, *halves]


def category_words(info: CategoryInfo) -> frozenset[str]:
    """Words that, found in a request, name ``info``: its slug, its names and their parts."""
    words = {info.slug, info.name_en, *_english_parts(info.name_en)}
    words.update(_chinese_parts(info.name_zh))
    words.update(EXTRA_WORDS.get(info.slug, ()))
    return frozenset(_fold(w) for w in words if w)


@cache
def _matchers() -> tuple[tuple[str, re.Pattern[str]], ...]:
    found = []
    for info in CATEGORIES:
        alternatives = []
        for word in sorted(category_words(info), key=len, reverse=True):
            escaped = re.escape(word)
            # Chinese has no spaces between words: a substring is a match. Latin words must stand
            # alone ("bags" is not "handbagsy"), with an optional plural s.
            alternatives.append(escaped if _has_cjk(word) else rf"\b{escaped}s?\b")
        found.append((info.slug, re.compile("|".join(alternatives))))
    return tuple(found)


def infer_category(text: str) -> str | None:
    """The one category the request clearly names, or None (none named, or several)."""
    folded = _fold(text)
    named = [slug for slug, pattern in _matchers() if pattern.search(folded)]
    return named[0] if len(named) == 1 else None


def category_names(category: str | None) -> tuple[str, str]:
    """(English, Chinese) words for a category, or for all of them together (None)."""
    if category is None:
        return "any category", "各类商品"
    for info in CATEGORIES:
        if info.slug == category:
            return info.name_en, info.name_zh
    if category == UNCATEGORISED:
        return "other items", "其他商品"
    return category, category


@dataclass(frozen=True)
class VisibleRecord:
    """What the asker may see of a member's record in the ask's category (or all together)."""

    user_id: int
    display_name: str
    purchases: int
    rated: int
    rated_good: int

    @property
    def score(self) -> float:
        return reputation_score(self.rated_good, self.rated)


@dataclass(frozen=True)
class Suggestion:
    user_id: int
    display_name: str
    purchases: int
    rated: int
    rated_good: int
    score: float
    reason: str
    reason_zh: str


def reason(record: VisibleRecord, category: str | None) -> tuple[str, str]:
    """Why someone is suggested, in English and Chinese, from the counts the asker may see."""
    english_name, chinese_name = category_names(category)
    english: list[str] = []
    chinese: list[str] = []
    if record.purchases:
        who = "1 person" if record.purchases == 1 else f"{record.purchases} people"
        english.append(f"{who} bought on their shares in {english_name}")
        chinese.append(f"{record.purchases}人通过TA在{chinese_name}的分享下单")
    if record.rated:
        english.append(f"{record.rated_good} of {record.rated} rated it good")
        chinese.append(f"{record.rated}个评价中{record.rated_good}个好评")
    if record.rated and not record.purchases:
        english[0] += f" in {english_name}"
        chinese[0] = f"{chinese_name}：{chinese[0]}"
    return "; ".join(english), "；".join(chinese)


def suggest(
    records: Iterable[VisibleRecord], category: str | None, *, limit: int = MAX_SUGGESTIONS
) -> list[Suggestion]:
    """Up to ``limit`` people with a visible record, best first.

    Best is the smoothed share of good ratings, then more purchases, then more ratings; ties go
    by name, then id, so the same records always give the same list. Nobody with nothing visible
    (no purchase, no rating) is suggested.
    """
    ranked = sorted(
        (r for r in records if r.purchases > 0 or r.rated > 0),
        key=lambda r: (-r.score, -r.purchases, -r.rated, r.display_name.casefold(), r.user_id),
    )
    return [
        Suggestion(
            user_id=r.user_id,
            display_name=r.display_name,
            purchases=r.purchases,
            rated=r.rated,
            rated_good=r.rated_good,
            score=round(r.score, 4),
            reason=english,
            reason_zh=chinese,
        )
        for r in ranked[:limit]
        for english, chinese in [reason(r, category)]
    ]
