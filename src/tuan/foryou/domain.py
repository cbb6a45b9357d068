"""Ranking and explaining a viewer's "For you" feed from their visible world (no database).

Score of a candidate product i for viewer V (weights below)::

    W_TRUST   * sum over visible buyers p of i of tie(V, p)
  + W_RATING  * sum over visible raters p of i of tie(V, p) * (stars - 3) / 2
  + W_GROUP   * sum over V's groups g of (visible buyers of i in g) / (members of g)
  + W_COLLAB  * EASE score of i from V's purchases, fitted on the visible world, scaled to [0, 1]
  + W_CONTENT * best content similarity of i to a product V bought

A product needs a positive score and at least one reason to be shown. Ties go to the lower id,
so the same inputs always give the same feed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import scipy.sparse as sp

from tuan.core.phrases import Phrase
from tuan.recs.models.implicit import ease_weights

W_TRUST = 1.0
W_RATING = 1.0
W_GROUP = 3.0
W_COLLAB = 0.8
W_CONTENT = 0.5
FRIEND_TIE_FLOOR = 0.5  # a friend counts at least this much, however quiet the friendship
EASE_REG = 5.0  # the visible world is small; LastFM's 200 would drown it
MAX_COLLAB_ITEMS = 1500  # the EASE inverse is cubic in items: keep the most bought
REASONS_SHOWN = 2


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    tie: float
    friend: bool


@dataclass(frozen=True)
class GroupView:
    id: int
    name: str
    member_ids: frozenset[int]
    size: int


@dataclass(frozen=True)
class Signals:
    """Everything the viewer's feed may be computed from — all of it visible to the viewer."""

    viewer_id: int
    people: Mapping[int, Person]  # friends and group co-members, never the viewer
    purchases: Mapping[int, frozenset[int]]  # person -> products, only where visible
    ratings: Mapping[int, Mapping[int, int]]  # person -> product -> stars, only where visible
    groups: Sequence[GroupView]
    own: frozenset[int]  # products the viewer bought
    similar: Mapping[int, Sequence[tuple[int, float]]]  # own product -> content neighbours
    candidates: frozenset[int]  # products that may be shown (active, not disputed, not own)
    product_names: Mapping[int, str] = field(default_factory=dict)


ReasonKind = Literal["group_bought", "friends_bought", "rated", "bought_together", "similar_to"]


@dataclass(frozen=True)
class Reason:
    kind: ReasonKind
    weight: float
    count: int = 0
    name: str = ""  # a group, a person or a product, by kind
    stars: int = 0
    shown: bool = True  # False: counts in the score, explained by another reason

    @property
    def phrase(self) -> Phrase:
        """What the reason says, for the catalogues: "3 people in Class 5 bought this"."""
        if self.kind == "group_bought":
            return Phrase("foryou.group_bought", {"group": self.name, "count": self.count})
        if self.kind == "friends_bought":
            if self.count <= 1:
                return Phrase("foryou.friend_bought", {"name": self.name})
            # The friend named and how many others: "Fay and 2 other friends bought this".
            return Phrase("foryou.friends_bought", {"name": self.name, "count": self.count - 1})
        if self.kind == "rated":
            return Phrase("foryou.rated", {"name": self.name, "stars": self.stars})
        return Phrase(f"foryou.{self.kind}", {"product": self.name})


@dataclass(frozen=True)
class Entry:
    product_id: int
    score: float
    reasons: tuple[Reason, ...]


def rank(signals: Signals, limit: int) -> list[Entry]:
    scores: dict[int, float] = defaultdict(float)
    reasons: dict[int, list[Reason]] = defaultdict(list)
    for gather in (_trust, _ratings, _groups, _collaborative, _content):
        for product, reason in gather(signals):
            if product in signals.candidates:
                scores[product] += reason.weight
                reasons[product].append(reason)
    entries = [
        Entry(product, round(score, 6), _strongest(reasons[product]))
        for product, score in scores.items()
        if score > 1e-9 and any(r.shown and r.weight > 0 for r in reasons[product])
    ]
    entries.sort(key=lambda e: (-e.score, e.product_id))
    return entries[:limit]


def _strongest(reasons: list[Reason]) -> tuple[Reason, ...]:
    positive = sorted((r for r in reasons if r.shown and r.weight > 0), key=lambda r: -r.weight)
    return tuple(positive[:REASONS_SHOWN])


def _buyers(signals: Signals) -> dict[int, list[Person]]:
    found: dict[int, list[Person]] = defaultdict(list)
    for person_id, products in signals.purchases.items():
        person = signals.people.get(person_id)
        if person is not None:
            for product in products:
                found[product].append(person)
    return found


def _trust(signals: Signals) -> list[tuple[int, Reason]]:
    out = []
    for product, buyers in _buyers(signals).items():
        weight = W_TRUST * sum(p.tie for p in buyers)
        friends = sorted((p for p in buyers if p.friend), key=lambda p: (-p.tie, p.id))
        # Buyers known only from a group are explained by the group reason.
        name = friends[0].name if friends else ""
        reason = Reason("friends_bought", weight, len(friends), name, shown=bool(friends))
        out.append((product, reason))
    return out


def _ratings(signals: Signals) -> list[tuple[int, Reason]]:
    raters: dict[int, list[tuple[Person, int]]] = defaultdict(list)
    for person_id, rated in signals.ratings.items():
        person = signals.people.get(person_id)
        if person is not None:
            for product, stars in rated.items():
                raters[product].append((person, stars))
    out = []
    for product, found in raters.items():
        weight = W_RATING * sum(p.tie * (stars - 3) / 2 for p, stars in found)
        best_person, best_stars = max(found, key=lambda f: (f[1], f[0].tie, -f[0].id))
        out.append((product, Reason("rated", weight, name=best_person.name, stars=best_stars)))
    return out


def _groups(signals: Signals) -> list[tuple[int, Reason]]:
    buyers = _buyers(signals)
    out = []
    for product, people in buyers.items():
        ids = {p.id for p in people}
        counted = [(g, len(ids & g.member_ids)) for g in signals.groups]
        counted = [(g, n) for g, n in counted if n]
        if not counted:
            continue
        weight = W_GROUP * sum(n / max(g.size, 1) for g, n in counted)
        group, n = max(counted, key=lambda c: (c[1], -c[0].id))
        out.append((product, Reason("group_bought", weight, count=n, name=group.name)))
    return out


def _collaborative(signals: Signals) -> list[tuple[int, Reason]]:
    """EASE on the visible world's purchases, scored from the viewer's own purchases."""
    if not signals.own:
        return []
    baskets = dict(signals.purchases)
    baskets[signals.viewer_id] = signals.own
    counts: dict[int, int] = defaultdict(int)
    for products in baskets.values():
        for product in products:
            counts[product] += 1
    items = sorted(counts, key=lambda i: (-counts[i], i))[:MAX_COLLAB_ITEMS]
    position = {item: n for n, item in enumerate(items)}
    users = sorted(baskets)
    rows, cols = [], []
    for row, user in enumerate(users):
        for product in baskets[user]:
            if product in position:
                rows.append(row)
                cols.append(position[product])
    matrix = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(users), len(items))
    )
    weights = ease_weights(matrix, EASE_REG).astype(np.float64)
    mine = [position[p] for p in sorted(signals.own) if p in position]
    if not mine:
        return []
    contributions = weights[mine, :]  # own item x candidate
    scores = contributions.sum(axis=0)
    top = float(scores.max())
    if top <= 0:
        return []
    out = []
    for column in np.flatnonzero(scores > 0):
        because = mine[int(np.argmax(contributions[:, column]))]
        name = signals.product_names.get(items[because], "")
        weight = W_COLLAB * float(scores[column]) / top
        out.append((items[int(column)], Reason("bought_together", weight, name=name)))
    return out


def _content(signals: Signals) -> list[tuple[int, Reason]]:
    best: dict[int, tuple[float, int]] = {}
    for own in sorted(signals.own):
        for product, similarity in signals.similar.get(own, ()):
            if similarity > best.get(product, (0.0, 0))[0]:
                best[product] = (similarity, own)
    return [
        (
            product,
            Reason("similar_to", W_CONTENT * similarity, name=signals.product_names.get(own, "")),
        )
        for product, (similarity, own) in best.items()
    ]
