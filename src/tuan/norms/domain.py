"""Norm rules that need no database: the settings and their defaults, when an item is disputed,
which day a share counts against, how long a newcomer still waits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

DEFAULT_MIN_REVIEWS = 3
DEFAULT_LOW_PERCENT = 30
LOW_STARS = 2  # 1–2 stars is a bad report
MAX_CAP = 1000
MAX_COOLDOWN_HOURS = 24 * 90
# Days for the promotion cap run midnight to midnight in China Standard Time (no DST).
CHINA = timezone(timedelta(hours=8))
# Who sets a group's norms, and is not held to its new-member cooldown.
ADMIN_ROLES = ("owner", "admin")


@dataclass(frozen=True)
class Norms:
    disputed_enabled: bool = True
    disputed_min_reviews: int = DEFAULT_MIN_REVIEWS
    disputed_low_percent: int = DEFAULT_LOW_PERCENT
    promotion_cap: int | None = None  # product shares per member per day; None: no cap
    cooldown_hours: int = 0  # a newcomer's wait before sharing products
    paid_label: bool = True  # paid shares are always labelled; not a setting


def is_disputed(stars: Iterable[int], norms: Norms) -> bool:
    """Reports disagree: enough reviews, and at least the set share of them 1–2 stars."""
    if not norms.disputed_enabled:
        return False
    ratings = list(stars)
    if len(ratings) < norms.disputed_min_reviews or not ratings:
        return False
    low = sum(1 for s in ratings if s <= LOW_STARS)
    return low * 100 >= norms.disputed_low_percent * len(ratings)


def day_key(now: datetime) -> str:
    return now.astimezone(CHINA).date().isoformat()


def next_day_starts(now: datetime) -> datetime:
    local = now.astimezone(CHINA)
    midnight = datetime(local.year, local.month, local.day, tzinfo=CHINA) + timedelta(days=1)
    return midnight.astimezone(UTC)


def cooldown_left(joined_at: datetime, cooldown_hours: int, now: datetime) -> timedelta | None:
    """How long a member still waits before sharing products; None when they may share."""
    ready = joined_at + timedelta(hours=cooldown_hours)
    return ready - now if cooldown_hours > 0 and now < ready else None


def hours_left(left: timedelta) -> int:
    """A wait in whole hours, rounded up (at least one)."""
    return max(1, int(left.total_seconds() + 3599) // 3600)
