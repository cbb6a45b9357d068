"""Expertise — who knows a category (opinion leaders, ADR 0013), without a session.

Per person p and category c, from distinct people only:

    X(p, c) = 2 · verified purchases by p in c
            + Σ_{q ≠ p distinct} τ̄(q) · (3 · [q bought through p's note in c]
                                        + 1 · [q saved one of p's notes in c]
                                        + 2 · [q marked one helpful])

τ̄(q) is q's trust as the community sees it, in [0, 1]. Each person q counts once per kind,
however many of p's notes they saved or bought through, and followers do not appear at all:
neither many saves by one person nor many followers can buy expertise. Shown in words from
:data:`THRESHOLD` up, as catalogue phrases (the edge says them in the reader's language).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tuan.core.phrases import Phrase

THRESHOLD = 10.0
PURCHASE_WEIGHT = 2.0
BOUGHT_THROUGH_WEIGHT = 3.0
SAVED_WEIGHT = 1.0
HELPFUL_WEIGHT = 2.0


@dataclass(frozen=True)
class Evidence:
    """What counts towards p's expertise in one category, as the reader may see it: p's verified
    purchases there, and the people who bought through, saved, or marked helpful p's notes
    linking products of the category."""

    category: str
    purchases: int = 0
    bought_through: frozenset[int] = field(default_factory=frozenset)
    saved: frozenset[int] = field(default_factory=frozenset)
    helpful: frozenset[int] = field(default_factory=frozenset)


def expertise(subject_id: int, evidence: Evidence, community_trust: Mapping[int, float]) -> float:
    """X(p, c). Someone the community trust says nothing about counts 0; p never counts."""
    people = (evidence.bought_through | evidence.saved | evidence.helpful) - {subject_id}
    total = PURCHASE_WEIGHT * evidence.purchases
    for q in people:
        tau = min(max(community_trust.get(q, 0.0), 0.0), 1.0)
        total += tau * (
            BOUGHT_THROUGH_WEIGHT * (q in evidence.bought_through)
            + SAVED_WEIGHT * (q in evidence.saved)
            + HELPFUL_WEIGHT * (q in evidence.helpful)
        )
    return total


@dataclass(frozen=True)
class Expertise:
    category: str
    score: float
    purchases: int
    buyers: int  # people who bought through p's notes
    savers: int  # people who saved p's notes
    helped: int  # people who marked one of p's notes helpful
    phrases: tuple[Phrase, ...]  # "懂母婴" then each figure that is not zero


def words(subject_id: int, evidence: Evidence, score: float) -> Expertise:
    """The figures behind X in words: "懂母婴：12 次真实购买，40 人收藏过TA的笔记"."""
    others = {
        "buyers": len(evidence.bought_through - {subject_id}),
        "savers": len(evidence.saved - {subject_id}),
        "helped": len(evidence.helpful - {subject_id}),
    }
    phrases = [Phrase("expertise.knows", {"category": evidence.category})]
    for code, count in (("purchases", evidence.purchases), *others.items()):
        if count:
            phrases.append(Phrase(f"expertise.{code}", {"count": count}))
    return Expertise(
        category=evidence.category,
        score=round(score, 3),
        purchases=evidence.purchases,
        phrases=tuple(phrases),
        **others,
    )


def shown(
    subject_id: int, evidence: list[Evidence], community_trust: Mapping[int, float]
) -> list[Expertise]:
    """The categories p is shown to know (X ≥ :data:`THRESHOLD`), the strongest first."""
    found = []
    for e in evidence:
        x = expertise(subject_id, e, community_trust)
        if x >= THRESHOLD - 1e-9:
            found.append(words(subject_id, e, x))
    return sorted(found, key=lambda f: (-f.score, f.category))
