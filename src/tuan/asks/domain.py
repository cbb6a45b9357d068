"""Rules of asks that need no session: which category a request names, and who is most likely
to answer it well (ranked by their reputation in that category, with the reasons as phrases)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from tuan.catalog.queries import CATEGORIES, CategoryInfo
from tuan.core.phrases import Phrase
from tuan.trust.queries import reputation_score

# The message kind a request is posted as (only the server writes it).
ASK_KIND = "recommendation_ask"
MAX_SUGGESTIONS = 5
# What a reason says for the category of an ask that names none.
ANY_CATEGORY = "any"

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
    reasons: list[Phrase]


def reasons(record: VisibleRecord, category: str | None) -> list[Phrase]:
    """Why someone is suggested, from the counts the asker may see: the purchases on their
    shares, then how their recommendations were rated (naming the category there when no
    purchase did)."""
    named = category or ANY_CATEGORY
    said: list[Phrase] = []
    if record.purchases:
        said.append(Phrase("asks.bought_on_shares", {"count": record.purchases, "category": named}))
    if record.rated:
        counts: dict[str, str | int] = {"good": record.rated_good, "rated": record.rated}
        if record.purchases:
            said.append(Phrase("asks.rated_good", counts))
        else:
            said.append(Phrase("asks.rated_good_in", {**counts, "category": named}))
    return said


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
            reasons=reasons(r, category),
        )
        for r in ranked[:limit]
    ]
