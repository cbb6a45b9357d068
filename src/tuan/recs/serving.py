"""Framework-free helpers for serving a fitted :class:`~tuan.recs.models.base.Ranker`.

The app keeps its own ids; :class:`IdIndex` maps them to the dense indices the models use, and
:func:`recommend` turns scores into a top-k list (what the "For you" feed shows).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from tuan.recs.data import Interactions, SocialGraph
from tuan.recs.models.base import IntArray, Ranker


@dataclass
class IdIndex:
    """Bidirectional map between application ids and dense model indices."""

    labels: list[str] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_labels(cls, labels: Iterable[str]) -> IdIndex:
        index = cls()
        for label in labels:
            index.add(label)
        return index

    def add(self, label: str) -> int:
        if label not in self.positions:
            self.positions[label] = len(self.labels)
            self.labels.append(label)
        return self.positions[label]

    def encode(self, labels: Iterable[str]) -> IntArray:
        return np.array([self.positions[label] for label in labels], dtype=np.int64)

    def decode(self, indices: Iterable[int]) -> list[str]:
        return [self.labels[int(index)] for index in indices]

    def __len__(self) -> int:
        return len(self.labels)


def build_training_data(
    interactions: Sequence[tuple[str, str]],
    links: Sequence[tuple[str, str]],
    users: IdIndex,
    items: IdIndex,
) -> tuple[Interactions, SocialGraph]:
    """Interactions and trust links given as application ids, ready for ``Ranker.fit``."""
    for user, item in interactions:
        users.add(user)
        items.add(item)
    for source, target in links:
        users.add(source)
        users.add(target)
    pairs = sorted({(users.positions[u], items.positions[i]) for u, i in interactions})
    user_index = np.array([u for u, _ in pairs], dtype=np.int64)
    item_index = np.array([i for _, i in pairs], dtype=np.int64)
    data = Interactions(user_index, item_index, np.ones(len(pairs)), len(users), len(items))
    sources = users.encode(source for source, _ in links)
    targets = users.encode(target for _, target in links)
    return data, SocialGraph.from_edges(sources, targets, len(users))


def recommend(
    ranker: Ranker,
    user: int,
    k: int,
    candidates: IntArray | None = None,
    exclude: IntArray | None = None,
) -> IntArray:
    """The k best candidate items for one user (all items when ``candidates`` is None),
    skipping ``exclude`` (typically what the user already bought). Ties go to lower indices."""
    scores = ranker.score(np.array([user], dtype=np.int64), candidates)[0].astype(np.float64)
    items = np.arange(len(scores), dtype=np.int64) if candidates is None else candidates
    if exclude is not None and len(exclude):
        scores = np.where(np.isin(items, exclude), -np.inf, scores)
    order = np.lexsort((items, -scores))
    order = order[np.isfinite(scores[order])][:k]
    return np.asarray(items[order], dtype=np.int64)
