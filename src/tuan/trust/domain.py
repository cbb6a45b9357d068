"""Trust arithmetic: pure functions, unit-tested on graphs small enough to work out by hand."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
HALF_LIFE = timedelta(days=90)
TIE_SCALE = 5.0  # combined weight at which a tie reaches 1 - 1/e
SHARED_GROUP_WEIGHT = 0.3
MAX_SHARED_GROUPS = 5
PRIOR = 0.5
STRENGTH = 2.0
GOOD_STARS = 4


class Interaction(Enum):
    """What one person did towards another, and how much it says about their tie."""

    DIRECT_MESSAGE = 1.0
    REPLY = 1.5
    MENTION = 0.5
    REACTION = 0.5
    FRIENDSHIP = 3.0
    INTRODUCTION = 3.0
    BOUGHT_ON_SHARE = 4.0


def scaled(weight: float, at: datetime) -> float:
    """``weight`` at time ``at``, expressed at the epoch (so that sums can be kept)."""
    return weight * math.pow(2.0, (at - EPOCH) / HALF_LIFE)


def unscaled(stored: float, now: datetime) -> float:
    """The decayed weight now of a stored epoch-scaled sum."""
    return stored * math.pow(2.0, -((now - EPOCH) / HALF_LIFE))


def tie_strength(weight_ab: float, weight_ba: float, shared_groups: int = 0) -> float:
    """How strong the tie between a and b is, in [0, 1): both directions count, as do the
    groups they are both in (a little, and only up to a point)."""
    combined = weight_ab + weight_ba + SHARED_GROUP_WEIGHT * min(shared_groups, MAX_SHARED_GROUPS)
    return 1.0 - math.exp(-combined / TIE_SCALE)


def reputation_score(rated_good: int, rated: int) -> float:
    """The smoothed share of rated recommendations that were rated good."""
    return (rated_good + PRIOR * STRENGTH) / (rated + STRENGTH)


@dataclass(frozen=True)
class ReputationRecord:
    category: str
    shares: int
    purchases: int
    rated: int
    rated_good: int

    @property
    def score(self) -> float:
        return reputation_score(self.rated_good, self.rated)


CATEGORY_NAMES = {
    "fresh": ("Fresh food", "生鲜"),
    "snacks": ("Snacks", "零食"),
    "food": ("Food", "食品"),
    "household": ("Household", "家居"),
    "beauty": ("Beauty", "美妆"),
    "children": ("Children", "母婴"),
}


def explain_reputation(name: str, record: ReputationRecord, *, chinese: bool = False) -> str:
    english, zh = CATEGORY_NAMES.get(record.category, (record.category, record.category))
    if chinese:
        if not record.rated:
            return f"{name}在{zh}类还没有被评价过的推荐"
        return f"{name}在{zh}类推荐的{record.rated}件商品中有{record.rated_good}件被评为好"
    if not record.rated:
        return f"None of {name}'s recommendations in {english} has been rated yet"
    return (
        f"{record.rated_good} of {record.rated} of {name}'s recommendations in {english} "
        "were rated good"
    )
