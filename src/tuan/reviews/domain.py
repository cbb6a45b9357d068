"""Review rules that need no database: stars, who may review, and the rating arithmetic."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from tuan.reviews.errors import InvalidStars

# The kinds of message a report is posted as (only the server writes them).
BOUGHT_KIND = "purchase_report"
REVIEW_KIND = "review_card"
DIGEST_KIND = "purchase_digest"

REPORTABLE = ("paid", "shipped", "delivered", "completed")
REVIEWABLE = ("delivered", "completed")
NEGATIVE_STARS = 2
UNCATEGORISED = "general"
# A group that already had this many "bought it" reports in the window is busy: there a
# wordless report pings its sharer once per window (a digest ping), not once per order.
DIGEST_AFTER = 3
DIGEST_WINDOW = timedelta(hours=1)


def report_ping(*, has_words: bool, busy: bool, sharer_pinged: bool) -> str | None:
    """What the sharer's notification of a "bought it" says (a message kind), or None for no
    notification (the report still mentions them). The buyer's words always reach the sharer;
    in a busy group the first wordless report of the window tells them more people bought
    (ADR 0010), later wordless ones add no ping."""
    if has_words or not busy:
        return BOUGHT_KIND
    return None if sharer_pinged else DIGEST_KIND


# What a buyer may do about their order (the order page shows these, and only these).
REPORT_BOUGHT, REVIEW, REVIEW_IN_CHAT = "report_bought", "review", "review_in_chat"


def order_actions(*, status: str, in_chat: bool, told: bool, unreviewed: int) -> list[str]:
    """Say "bought it" once paid, if the order came from a share in a chat and nothing was said
    yet; review once delivered, while some item is not reviewed (in the chat, if from one)."""
    actions = []
    if in_chat and status in REPORTABLE and not told:
        actions.append(REPORT_BOUGHT)
    if status in REVIEWABLE and unreviewed:
        actions.append(REVIEW)
        if in_chat:
            actions.append(REVIEW_IN_CHAT)
    return actions


def check_stars(stars: int) -> int:
    if not 1 <= stars <= 5:
        raise InvalidStars(field="stars")
    return stars


@dataclass(frozen=True)
class Rating:
    count: int
    average: float | None  # None when nothing is counted
    distribution: dict[int, int]  # stars -> how many


def rating(stars: Iterable[int]) -> Rating:
    values = list(stars)
    distribution = {s: 0 for s in range(1, 6)}
    for s in values:
        distribution[s] += 1
    average = round(sum(values) / len(values), 2) if values else None
    return Rating(len(values), average, distribution)


def weighted_rating(weighted: Iterable[tuple[int, float]]) -> tuple[float | None, float]:
    """The trust-weighted average of (stars, weight) and the total weight behind it."""
    pairs = [(s, w) for s, w in weighted if w > 0]
    total = sum(w for _, w in pairs)
    if total <= 0:
        return None, 0.0
    return round(sum(s * w for s, w in pairs) / total, 2), round(total, 4)


def trusted_order(reviews: Iterable[tuple[int, int, float]]) -> list[int]:
    """Review ids, negative reviews from trusted authors first (most trusted first), then the
    rest by trust; ``reviews`` are (review id, stars, trust in the author)."""

    def key(item: tuple[int, int, float]) -> tuple[int, float, int]:
        review_id, stars, trust = item
        negative_trusted = stars <= NEGATIVE_STARS and trust > 0
        return (0 if negative_trusted else 1, -trust, -review_id)

    return [r for r, _, _ in sorted(reviews, key=key)]
