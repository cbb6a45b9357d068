"""Rules of social proof and reputation that need no session: a recommender's record recounted
through what a viewer may see, and what a record says.

A record (per category: shares, purchases on those shares, ratings of those purchases, good
ratings) is stored, but everyone sees it recounted: the shares as stored (sharing is public in the
chats it happened in), purchases and ratings only by the buyers and authors the viewer may see —
so a hidden purchase or rating moves nobody's view of the record. The recommender themselves is
no exception for ratings (a rating hidden from them is in none of their numbers); they do count
every purchase on their own shares, which their commission and share tree already show them
(how many, never who).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tuan.core.phrases import Phrase
from tuan.reviews.queries import RatingOfShare
from tuan.trust.queries import GOOD_STARS, ReputationRecord


@dataclass(frozen=True)
class PurchaseOnShare:
    sharer_id: int
    buyer_id: int
    category: str


@dataclass(frozen=True)
class Outcomes:
    """What a recommender's shares led to, in one category, as a viewer may see it."""

    purchases: int = 0
    rated: int = 0
    rated_good: int = 0


def visible_outcomes(
    purchases: Iterable[PurchaseOnShare],
    ratings: Iterable[RatingOfShare],
    *,
    buyers: set[int],
    authors: set[int],
    viewer_id: int,
) -> dict[int, dict[str, Outcomes]]:
    """Per sharer and category: the purchases by ``buyers`` and the ratings by ``authors`` (the
    ones the viewer may see), and every purchase on the viewer's own shares (counted, never
    named: their commission shows them); nothing else is counted."""
    counts: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    for purchase in purchases:
        if purchase.buyer_id in buyers or purchase.sharer_id == viewer_id:
            counts[purchase.sharer_id][purchase.category][0] += 1
    for rating in ratings:
        if rating.author_id in authors:
            line = counts[rating.sharer_id][rating.category]
            line[1] += 1
            line[2] += 1 if rating.stars >= GOOD_STARS else 0
    return {
        sharer: {category: Outcomes(*c) for category, c in by_category.items()}
        for sharer, by_category in counts.items()
    }


def recounted(
    stored: Iterable[ReputationRecord], outcomes: Mapping[str, Outcomes]
) -> list[ReputationRecord]:
    """A record as a viewer sees it: the stored shares, the ``outcomes`` they may see; by
    category."""
    shares = {record.category: record.shares for record in stored}
    return [
        ReputationRecord(
            category,
            shares.get(category, 0),
            outcomes.get(category, Outcomes()).purchases,
            outcomes.get(category, Outcomes()).rated,
            outcomes.get(category, Outcomes()).rated_good,
        )
        for category in sorted(set(shares) | set(outcomes))
    ]


def explanation(name: str, record: ReputationRecord) -> Phrase:
    """What ``name``'s record in a category says: how many of their rated recommendations were
    rated good, or that none has been rated."""
    if not record.rated:
        return Phrase("proof.reputation_unrated", {"name": name, "category": record.category})
    return Phrase(
        "proof.reputation_rated",
        {
            "name": name,
            "category": record.category,
            "rated": record.rated,
            "good": record.rated_good,
        },
    )
