"""Tuan's ranker: collaborative scores blended with trust and group-conformity signals.

Score of item i for user u::

    sum_k (w_k + v_k * h(u)) * z_k(u, i),   h(u) = 1 / (1 + |I_u| / 10)

where z_k is component k z-scored over all items for that user:

* ``als``: implicit ALS with binary confidence; when validation says so it is SocialALS, whose
  user factors are pulled towards the tie-strength weighted mean of their friends' factors;
* ``ease``: EASE item-item scores;
* ``friends``: share of the user's bounded trust network (tie-strength weighted friends plus
  damped friends of friends, see :mod:`tuan.recs.trust`) that consumed the item;
* ``friends_taste``: the ALS score of the trust-weighted mean taste vector of that network;
* ``group``: share of the user's community that consumed the item, times the user's conformity;
* ``popularity``: log item popularity.

``h(u)`` lets the blend lean on trust for users with little history (cold start) and on their
own history otherwise. Everything is chosen on a validation share held out from the data given
to ``fit``: the ALS and EASE settings (small grids), then the social pull, then the weights
(w, v) by coordinate ascent on NDCG@10 (full ranking, or the sampled protocol when
``objective="sampled"``). The components are finally refitted on all the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from tuan.recs import metrics as m
from tuan.recs.data import Interactions, SocialGraph
from tuan.recs.evaluation import full_ranking, sampled_ranking
from tuan.recs.models import weight_search
from tuan.recs.models.base import FloatArray, IntArray, all_items
from tuan.recs.models.grids import ALS_GRID, EASE_GRID, Grid
from tuan.recs.models.implicit import ALS, EASE, SocialALS
from tuan.recs.models.weight_search import COMPONENTS, ValidationProblem
from tuan.recs.splits import carve_validation
from tuan.recs.trust import bounded_trust, group_signals, tie_strengths

Objective = Literal["full", "sampled"]
_CANDIDATES_PER_COMPONENT = 100
_VALIDATION_NEGATIVES = 1000
_MAX_VALIDATION_USERS = 3000
_ACTIVITY_SCALE = 10.0
_FAST_PATH_USERS = 8  # score() loops over users up to this many


def activity_gate(counts: FloatArray) -> FloatArray:
    """h(u): 1 for a user without history, 1/2 at 10 interactions, towards 0 for heavy users."""
    return 1.0 / (1.0 + counts / _ACTIVITY_SCALE)


@dataclass
class _Components:
    """Fitted component models and what is needed to score them for any user."""

    als: ALS
    ease: EASE
    items: sp.csr_matrix
    trust: sp.csr_matrix
    trusted_taste: FloatArray  # trust-weighted mean ALS vector of each user's network
    group_popularity: sp.csr_matrix
    group_labels: IntArray
    conformity: FloatArray
    popularity: FloatArray
    gate: FloatArray
    # Per-user mean and standard deviation of every component over all items (users x K x 2),
    # so that components are blended on a common scale whatever the candidate set.
    stats: FloatArray

    def raw_scores(self, users: IntArray, items: IntArray) -> list[FloatArray]:
        group = self.group_popularity[self.group_labels[users]][:, items].toarray()
        friends = (self.trust[users] @ self.items).toarray()[:, items]
        return [
            self.als.score(users, items),
            self.ease.score(users, items),
            friends,
            self.trusted_taste[users] @ self.als.item_vectors[items].T.astype(np.float64),
            group * self.conformity[users, None],
            np.broadcast_to(self.popularity[items], (len(users), len(items))),
        ]

    def scores(self, users: IntArray, items: IntArray) -> list[FloatArray]:
        """Every component z-scored per user."""
        stats = self.stats[users]
        return [
            (raw - stats[:, k, :1]) / stats[:, k, 1:]
            for k, raw in enumerate(self.raw_scores(users, items))
        ]

    def blended_row(self, user: int, items: IntArray, weights: FloatArray) -> FloatArray:
        """The blended score of ``items`` for one user: what ``TuanRanker.score`` computes from
        :meth:`scores`, with the same arithmetic in the same order (except for the float32
        ``friends_taste`` product, see :meth:`_raw_row`), but several times cheaper.

        Every component is computed over the whole catalogue as a dense vector (a matrix-vector
        product or a scatter of a short sparse row) and only then gathered at ``items``, so no
        candidates x factors block is copied, no sparse column fancy-indexing is done and the
        components whose weights are both zero are skipped.
        """
        gate = self.gate[user]
        stats = self.stats[user]
        n_items = len(self.popularity)
        gather_first = 4 * len(items) < n_items  # a short candidate list: gather, then multiply
        total = np.zeros(len(items))
        for k in range(len(COMPONENTS)):
            if weights[0, k] == 0.0 and weights[1, k] == 0.0:
                continue  # would add exactly 0 * (a finite z-score)
            weight = weights[0, k] + weights[1, k] * gate
            raw = self._raw_row(k, user, items, n_items, gather_first)
            total += weight * ((raw - stats[k, 0]) / stats[k, 1])
        return total

    def _raw_row(
        self, k: int, user: int, items: IntArray, n_items: int, gather_first: bool
    ) -> FloatArray:
        """Component k of :meth:`raw_scores` for one user (the same values, except that
        ``friends_taste`` is computed in float32)."""
        name = COMPONENTS[k]
        if name == "als":
            vectors = self.als.item_vectors
            own = self.als.user_vectors[user]
            if gather_first:
                return np.asarray(vectors[items] @ own, dtype=np.float64)
            return np.asarray((vectors @ own)[items], dtype=np.float64)
        if name == "ease":
            return np.asarray(self.ease.score(np.array([user], dtype=np.int64), items)[0])
        if name == "friends":
            row = (self.trust[user : user + 1] @ self.items).tocsr()
            return _dense_row(row.indices, row.data, n_items)[items]
        if name == "friends_taste":
            # In the precision of the item vectors (float32): a double-precision product would
            # read twice the memory and take longer than all other components together. The
            # values differ from raw_scores() by float32 rounding (about 1e-7 relative).
            vectors = self.als.item_vectors
            taste = self.trusted_taste[user].astype(vectors.dtype)
            if gather_first:
                return np.asarray(vectors[items] @ taste, dtype=np.float64)
            return np.asarray((vectors @ taste)[items], dtype=np.float64)
        if name == "group":
            matrix = self.group_popularity
            label = self.group_labels[user]
            start, end = matrix.indptr[label], matrix.indptr[label + 1]
            dense = _dense_row(matrix.indices[start:end], matrix.data[start:end], n_items)
            return np.asarray(dense[items] * self.conformity[user])
        return np.asarray(self.popularity[items], dtype=np.float64)

    def compute_stats(self) -> None:
        """Mean and std over all items of every component for every user, without ever
        materialising a users x items matrix (closed forms for the factor components)."""
        n_users, n_items = len(self.gate), len(self.popularity)
        item_vectors = self.als.item_vectors.astype(np.float64)
        moments = np.zeros((n_users, len(COMPONENTS), 2))  # E[s], E[s^2] over items
        moments[:, 0] = _factor_moments(self.als.user_vectors.astype(np.float64), item_vectors)
        moments[:, 3] = _factor_moments(self.trusted_taste, item_vectors)
        for start in range(0, n_users, 1024):
            batch = np.arange(start, min(start + 1024, n_users))
            ease = np.asarray(self.ease.matrix[batch] @ self.ease.weights, dtype=np.float64)
            moments[batch, 1] = np.column_stack([ease.sum(1), (ease**2).sum(1)]) / n_items
            friends = (self.trust[batch] @ self.items).tocsr()
            moments[batch, 2] = _sparse_row_moments(friends, n_items)
        group_moments = _sparse_row_moments(self.group_popularity, n_items)[self.group_labels]
        moments[:, 4, 0] = group_moments[:, 0] * self.conformity
        moments[:, 4, 1] = group_moments[:, 1] * self.conformity**2
        moments[:, 5] = [self.popularity.mean(), (self.popularity**2).mean()]
        std = np.sqrt(np.maximum(moments[:, :, 1] - moments[:, :, 0] ** 2, 0.0))
        self.stats = np.stack([moments[:, :, 0], np.where(std > 1e-9, std, 1.0)], axis=2)


def _dense_row(indices: IntArray, values: FloatArray, n_columns: int) -> FloatArray:
    dense = np.zeros(n_columns)
    dense[indices] = values
    return dense


def _factor_moments(user_vectors: FloatArray, item_vectors: FloatArray) -> FloatArray:
    """Per user, mean and mean square over items of u . v (from the item moments)."""
    mean = user_vectors @ item_vectors.mean(axis=0)
    second = item_vectors.T @ item_vectors / len(item_vectors)
    square = np.einsum("ud,de,ue->u", user_vectors, second, user_vectors)
    return np.column_stack([mean, square])


def _sparse_row_moments(matrix: sp.csr_matrix, n_columns: int) -> FloatArray:
    """Per row, mean and mean square over all columns (implicit zeros included)."""
    sums = np.asarray(matrix.sum(axis=1)).ravel()
    squares = np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()
    return np.column_stack([sums, squares]) / n_columns


class TuanRanker:
    uses_social: ClassVar[bool] = True

    def __init__(
        self,
        objective: Objective = "full",
        fof_decay: float = 0.5,
        als_grid: Grid = ALS_GRID,
        ease_grid: Grid = EASE_GRID,
        ease_min_count: int = 3,
        components: tuple[str, ...] = COMPONENTS,
        social_regs: tuple[float, ...] = (30.0, 100.0),
        seed: int = 0,
        cold_weight: float = 0.0,
    ) -> None:
        self.social_regs = social_regs
        # Experimental (cold-start attempt): weight of validation user u in the NDCG the blend
        # weights are chosen on is 1 + cold_weight * h(u). 0 keeps the plain mean.
        self.cold_weight = cold_weight
        unknown = set(components) - set(COMPONENTS)
        if unknown or not {"als", "ease"} <= set(components):
            raise ValueError(f"components must include als and ease, from {COMPONENTS}")
        self.components = components
        self.objective = objective
        self.fof_decay = fof_decay
        self.als_grid = als_grid
        self.ease_grid = ease_grid
        self.ease_min_count = ease_min_count
        self.seed = seed
        self.weights = np.zeros((2, len(COMPONENTS)))
        self.chosen: dict[str, dict[str, Any]] = {}
        # Validation NDCG of each candidate, by id(); the entry holds the model, so no other
        # model can be given its id (and its score) while the entry exists.
        self._validation_scores: dict[int, tuple[ALS | EASE, float]] = {}

    # -- fitting ------------------------------------------------------------------------------

    def _pick(
        self,
        candidates: list[tuple[dict[str, Any], ALS | EASE]],
        train: Interactions,
        validation: Interactions,
    ) -> tuple[dict[str, Any], ALS | EASE]:
        """The candidate with the best validation NDCG@10 under the ranker's objective."""
        if len(candidates) == 1:
            return candidates[0]
        key = f"ndcg@{m.TOP_K}"
        scores = []
        for _, model in candidates:
            cached = self._validation_scores.get(id(model))
            if cached is not None and cached[0] is model:
                scores.append(cached[1])
                continue
            if self.objective == "sampled":
                known = train.concat(validation).to_csr(binary=True)
                items = np.arange(train.n_items, dtype=np.int64)
                per_repeat, _, _ = sampled_ranking(model, validation, known, items, self.seed, 1)
                scores.append(float(per_repeat[0][key].mean()))
            else:
                per_user, _, _, _ = full_ranking(model, train, validation)
                scores.append(float(per_user[key].mean()))
            self._validation_scores[id(model)] = (model, scores[-1])
        return candidates[int(np.argmax(scores))]

    def _build(self, name: str, params: dict[str, Any]) -> ALS | EASE:
        if name == "ease":
            return EASE(**params, min_item_count=self.ease_min_count)
        social_reg = float(params.get("social_reg", 0.0))
        plain = {key: value for key, value in params.items() if key != "social_reg"}
        if social_reg > 0:
            return SocialALS(**plain, social_reg=social_reg, tie_strength=True, seed=self.seed)
        return ALS(**plain, seed=self.seed)

    def _fit_collaborative(
        self, train: Interactions, social: SocialGraph, validation: Interactions | None
    ) -> tuple[ALS, EASE]:
        """ALS and EASE picked on ``validation`` (or refitted as chosen when it is None).

        The ALS grid is searched first; then, with those settings, the social pull of
        SocialALS (towards tie-strength weighted friends) is tried at each ``social_regs``
        value and kept only if validation improves.
        """
        fitted: dict[str, tuple[dict[str, Any], ALS | EASE]] = {}
        for name, grid in (("als", self.als_grid), ("ease", self.ease_grid)):
            if validation is None:
                model = self._build(name, self.chosen[name])
                model.fit(train, social)
                fitted[name] = (self.chosen[name], model)
                continue
            candidates = []
            for params in grid:
                model = self._build(name, dict(params))
                model.fit(train, social)
                candidates.append((dict(params), model))
            best = self._pick(candidates, train, validation)
            if name == "als" and self.social_regs:
                for social_reg in self.social_regs:
                    params = {**best[0], "social_reg": social_reg}
                    model = self._build(name, params)
                    model.fit(train, social)
                    candidates.append((params, model))
                best = self._pick([best, *candidates[-len(self.social_regs) :]], train, validation)
            fitted[name] = best
            self.chosen[name] = best[0]
        als, ease = fitted["als"][1], fitted["ease"][1]
        assert isinstance(als, ALS) and isinstance(ease, EASE)
        return als, ease

    def _components(
        self, interactions: Interactions, social: SocialGraph, als: ALS, ease: EASE
    ) -> _Components:
        items = interactions.to_csr(binary=True)
        groups = group_signals(social, interactions, self.seed)
        counts = interactions.item_counts().astype(np.float64)
        popularity = np.log1p(counts) / max(float(np.log1p(counts.max())), 1e-12)
        trust = bounded_trust(tie_strengths(social, interactions), self.fof_decay)
        components = _Components(
            als=als,
            ease=ease,
            items=items,
            trust=trust,
            trusted_taste=np.asarray(trust @ als.user_vectors.astype(np.float64)),
            group_popularity=groups.popularity,
            group_labels=groups.labels,
            conformity=groups.conformity,
            popularity=popularity,
            gate=activity_gate(interactions.user_counts().astype(np.float64)),
            stats=np.zeros((interactions.n_users, len(COMPONENTS), 2)),
        )
        components.compute_stats()
        return components

    def fit(self, interactions: Interactions, social: SocialGraph) -> None:
        self._validation_scores.clear()
        inner_train, inner_validation = carve_validation(interactions, self.seed + 17)
        als, ease = self._fit_collaborative(inner_train, social, inner_validation)
        self._validation_scores.clear()  # lets the candidates that were not chosen go
        components = self._components(inner_train, social, als, ease)
        problem = validation_problem(
            components, inner_train, inner_validation, self.objective, self.seed
        )
        if self.cold_weight > 0:
            problem.user_weight = 1.0 + self.cold_weight * problem.gate
        self.weights = weight_search.coordinate_ascent(problem, self.components)
        als, ease = self._fit_collaborative(interactions, social, None)
        self.fitted = self._components(interactions, social, als, ease)

    # -- scoring ------------------------------------------------------------------------------

    def score(self, user_ids: IntArray, item_ids: IntArray | None = None) -> FloatArray:
        items = all_items(len(self.fitted.popularity), item_ids)
        if len(user_ids) <= _FAST_PATH_USERS:  # serving: one user (or a handful) at a time
            rows = [self.fitted.blended_row(int(user), items, self.weights) for user in user_ids]
            return np.array(rows, dtype=np.float64).reshape(len(user_ids), len(items))
        parts = self.fitted.scores(user_ids, items)
        gate = self.fitted.gate[user_ids]
        total = np.zeros((len(user_ids), len(items)))
        for k, part in enumerate(parts):
            weight = self.weights[0, k] + self.weights[1, k] * gate
            total += weight[:, None] * part
        return total


def validation_problem(
    components: _Components,
    train: Interactions,
    validation: Interactions,
    objective: Objective,
    seed: int,
) -> ValidationProblem:
    """Candidates per validation user and their component scores.

    ``full``: the union of every component's top items (the only items a blend of them can
    put on top); ``sampled``: the user's validation items plus 1,000 random unseen items.
    At most ``_MAX_VALIDATION_USERS`` users (a seeded sample) keep the search cheap.
    """
    positives = validation.to_csr(binary=True)
    seen = train.to_csr(binary=True)
    users = np.flatnonzero(np.diff(positives.indptr) > 0).astype(np.int64)
    rng = np.random.default_rng(seed + 29)
    if len(users) > _MAX_VALIDATION_USERS:
        users = np.sort(rng.choice(users, _MAX_VALIDATION_USERS, replace=False))
    candidate_lists: list[IntArray] = []
    feature_lists: list[NDArray[np.float32]] = []
    if objective == "sampled":
        for user in users:
            own = seen.indices[seen.indptr[user] : seen.indptr[user + 1]]
            wanted = positives.indices[positives.indptr[user] : positives.indptr[user + 1]]
            allowed = np.ones(train.n_items, dtype=bool)
            allowed[own] = False
            allowed[wanted] = False
            pool = np.flatnonzero(allowed)
            negatives = rng.choice(pool, min(_VALIDATION_NEGATIVES, len(pool)), replace=False)
            candidates = np.concatenate([wanted, negatives]).astype(np.int64)
            parts = components.scores(np.array([user]), candidates)
            candidate_lists.append(candidates)
            feature_lists.append(np.stack([part[0] for part in parts], axis=1).astype(np.float32))
    else:
        all_item_ids = np.arange(train.n_items, dtype=np.int64)
        recommendable = train.item_counts() > 0
        depth = _CANDIDATES_PER_COMPONENT
        for start in range(0, len(users), 256):
            batch = users[start : start + 256]
            parts = components.scores(batch, all_item_ids)
            block = seen[batch]
            for row in range(len(batch)):
                allowed = recommendable.copy()
                allowed[block.indices[block.indptr[row] : block.indptr[row + 1]]] = False
                pool = np.flatnonzero(allowed)
                keep = min(depth, len(pool))
                tops = [
                    pool[np.argpartition(-part[row, pool], keep - 1)[:keep]]
                    for part in parts
                    if keep > 0
                ]
                candidates = np.unique(np.concatenate(tops)) if tops else pool
                candidate_lists.append(candidates)
                feature_lists.append(
                    np.stack([part[row, candidates] for part in parts], axis=1).astype(np.float32)
                )
    width = max(1, max(len(c) for c in candidate_lists))
    features = np.zeros((len(users), width, len(COMPONENTS)), dtype=np.float32)
    is_positive = np.zeros((len(users), width), dtype=bool)
    valid = np.zeros((len(users), width), dtype=bool)
    for row, (user, candidates) in enumerate(zip(users, candidate_lists, strict=True)):
        features[row, : len(candidates)] = feature_lists[row]
        wanted = positives.indices[positives.indptr[user] : positives.indptr[user + 1]]
        is_positive[row, : len(candidates)] = np.isin(candidates, wanted)
        valid[row, : len(candidates)] = True
    return ValidationProblem(
        features,
        is_positive,
        valid,
        components.gate[users],
        np.diff(positives.indptr)[users].astype(np.float64),
        objective == "sampled",
    )
