"""Catalog rules that need no database: prices, text, categories, team settings, deal windows.

Currencies are shared kernel (:mod:`tuan.core.money`)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from tuan.catalog.errors import (
    InvalidCommissionRate,
    InvalidDeal,
    InvalidPrice,
    InvalidTeamSettings,
    InvalidText,
    UnknownCategory,
)

MAX_PRICE = 10**10  # 100 million yuan in fen: far above any real item, far below overflow
MAX_STOCK = 1_000_000
MAX_COMMISSION_BP = 5000
MIN_TEAM, MAX_TEAM = 2, 50
MIN_TEAM_HOURS, MAX_TEAM_HOURS, DEFAULT_TEAM_HOURS = 1, 168, 24
MAX_DEAL_DAYS = 90


@dataclass(frozen=True)
class CategoryInfo:
    slug: str
    name_zh: str
    name_en: str


CATEGORIES: tuple[CategoryInfo, ...] = (
    CategoryInfo("fresh", "生鲜水果", "Fresh food & fruit"),
    CategoryInfo("snacks", "零食饮料", "Snacks & drinks"),
    CategoryInfo("household", "家居日用", "Household"),
    CategoryInfo("beauty", "美妆个护", "Beauty & personal care"),
    CategoryInfo("children", "母婴童装", "Mother, baby & children"),
    CategoryInfo("health", "健康保健", "Health"),
    CategoryInfo("electronics", "数码家电", "Electronics"),
    CategoryInfo("clothing", "服饰鞋包", "Clothing & bags"),
)
CATEGORY_SLUGS = frozenset(c.slug for c in CATEGORIES)


def check_price(amount: int, *, field: str = "price") -> int:
    if not 0 < amount <= MAX_PRICE:
        raise InvalidPrice(field=field)
    return amount


def check_commission_rate(rate_bp: int) -> int:
    if not 0 <= rate_bp <= MAX_COMMISSION_BP:
        raise InvalidCommissionRate(field="commission_rate_bp")
    return rate_bp


def check_category(slug: str | None) -> str | None:
    if slug is not None and slug not in CATEGORY_SLUGS:
        raise UnknownCategory(field="category")
    return slug


def check_team(size: int | None, hours: int | None) -> tuple[int | None, int]:
    hours = DEFAULT_TEAM_HOURS if hours is None else hours
    if size is not None and not MIN_TEAM <= size <= MAX_TEAM:
        raise InvalidTeamSettings(field="team_size")
    if not MIN_TEAM_HOURS <= hours <= MAX_TEAM_HOURS:
        raise InvalidTeamSettings(field="team_hours")
    return size, hours


def has_bad_characters(text: str, *, multiline: bool) -> bool:
    """Control characters (other than line breaks in long text) and lone surrogates."""
    allowed = {"\n", "\t", "\r"} if multiline else set()
    return any((unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed) for ch in text)


def clean_text(
    raw: str, *, field: str, max_length: int, multiline: bool = False, required: bool = True
) -> str:
    text = unicodedata.normalize("NFC", raw.strip())
    if (required and not text) or len(text) > max_length:
        raise InvalidText(
            f"{field} must be {'1' if required else '0'} to {max_length} characters.", field=field
        )
    if has_bad_characters(text, multiline=multiline):
        raise InvalidText(f"{field} contains control characters.", field=field)
    return text


@dataclass(frozen=True)
class DealWindow:
    """Where a deal stands at ``now`` and how long is left (until it starts, or until it ends)."""

    state: str  # upcoming | active | sold_out | ended
    seconds_left: int


def deal_window(
    *, starts_at: datetime, ends_at: datetime, stock_cap: int, sold: int, now: datetime
) -> DealWindow:
    if now < starts_at:
        return DealWindow("upcoming", int((starts_at - now).total_seconds()))
    if now >= ends_at:
        return DealWindow("ended", 0)
    left = int((ends_at - now).total_seconds())
    return DealWindow("sold_out" if sold >= stock_cap else "active", left)


def check_deal(
    *,
    price: int,
    regular_price: int,
    starts_at: datetime,
    ends_at: datetime,
    stock_cap: int,
    per_customer_limit: int,
    now: datetime,
) -> None:
    check_price(price)
    if price >= regular_price:
        raise InvalidDeal("A deal price must be below the normal price.", field="price")
    if ends_at <= starts_at:
        raise InvalidDeal("A deal must end after it starts.", field="ends_at")
    if ends_at <= now:
        raise InvalidDeal("A deal must end in the future.", field="ends_at")
    if ends_at - starts_at > timedelta(days=MAX_DEAL_DAYS):
        raise InvalidDeal(f"A deal lasts at most {MAX_DEAL_DAYS} days.", field="ends_at")
    if not 1 <= stock_cap <= MAX_STOCK:
        raise InvalidDeal("A deal's stock cap is 1 to 1,000,000 units.", field="stock_cap")
    if not 1 <= per_customer_limit <= stock_cap:
        raise InvalidDeal(
            "The per-customer limit is at least 1 and at most the stock cap.",
            field="per_customer_limit",
        )
