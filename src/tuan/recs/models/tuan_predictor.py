"""Tuan's rating predictor: feature-weighted linear stacking of CF, trust and group signals.

Level-0 signals for a (user, item) pair, all fitted on training data only:

* collaborative predictions: baseline biases, biased MF, SVD++, item kNN, user and item means;
* trust: SocialMF, and the tie-strength weighted mean residual (rating minus baseline) that the
  user's bounded trust network (friends, damped friends of friends) gave the item, shrunk
  towards 0 when few trusted users rated it;
* group conformity: the mean residual the user's community gave the item (shrunk), and the
  user's conformity, i.e. how closely their own ratings follow the item means.

The level-1 model is ridge regression on each prediction times a few "meta" features
(1, log activity of the user, log popularity of the item, conformity), as in Sill et al.'s
feature-weighted linear stacking: how much to trust each signal depends on how much data backs
it. Level-1 weights are fitted on out-of-fold predictions (k inner folds of the training data),
then the level-0 models are refitted on all of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import scipy.sparse as sp

from tuan.recs.data import Interactions, SocialGraph
from tuan.recs.models.base import FloatArray, IntArray
from tuan.recs.models.baselines import (
    ItemAverage,
    ItemKNNRating,
    UserAverage,
    fit_baseline_biases,
)
from tuan.recs.models.rating_factors import BiasedMF, SocialMF, SVDPlusPlus
from tuan.recs.splits import kfold_assignment
from tuan.recs.trust import bounded_trust, label_propagation, tie_strengths

# Level-0 settings picked on the validation share of the first FilmTrust fold (seed 0).
_BASELINE_REG = (3.0, 10.0)
_FACTORS = 10
_MF_REG = 1.4
_BIAS_REG = 2.0
_SOCIAL_MF_REG = 1.0
_SOCIAL_MF_WEIGHT = 3.0


def _shrunk_mean(weighted_sum: FloatArray, weight: FloatArray, shrinkage: float) -> FloatArray:
    return np.asarray(weighted_sum / (weight + shrinkage))


@dataclass
class _Level0:
    """Fitted level-0 models and trust/group statistics for one training set."""

    mean: float
    user_bias: FloatArray
    item_bias: FloatArray
    models: list[UserAverage | ItemAverage | ItemKNNRating | BiasedMF | SVDPlusPlus | SocialMF]
    residuals_by_item: sp.csr_matrix  # items x users, rating minus baseline
    rated_by_item: sp.csr_matrix  # items x users, 1 where rated
    trust: sp.csr_matrix
    groups: IntArray
    user_counts: FloatArray
    item_counts: FloatArray
    conformity: FloatArray
    shrinkage: float

    def features(self, users: IntArray, items: IntArray) -> FloatArray:
        baseline = self.mean + self.user_bias[users] + self.item_bias[items]
        predictions = [baseline] + [model.predict(users, items) for model in self.models]
        trust_rows = self.trust[users]
        trust_sum = np.asarray(
            trust_rows.multiply(self.residuals_by_item[items]).sum(axis=1)
        ).ravel()
        trust_weight = np.asarray(
            trust_rows.multiply(self.rated_by_item[items]).sum(axis=1)
        ).ravel()
        group_sum, group_weight = self._group_sums(users, items)
        meta = [
            np.ones(len(users)),
            np.log1p(self.user_counts[users]) / 5.0,
            np.log1p(self.item_counts[items]) / 5.0,
            self.conformity[users],
            # Large only for users with a handful of ratings, where every signal changes value.
            1.0 / (1.0 + self.user_counts[users]),
        ]
        columns: list[FloatArray] = []
        for prediction in predictions:
            centred = prediction - self.mean
            columns.extend(centred * gate for gate in meta)
        trust_residual = _shrunk_mean(trust_sum, trust_weight, self.shrinkage)
        group_residual = _shrunk_mean(group_sum, group_weight, self.shrinkage)
        for signal in (trust_residual, group_residual):
            columns.extend(signal * gate for gate in meta)
        columns.extend(meta[1:])
        columns.append(np.log1p(trust_weight))
        return np.column_stack(columns)

    def _group_sums(self, users: IntArray, items: IntArray) -> tuple[FloatArray, FloatArray]:
        """Sum and count of residuals on each item from the other members of the user's group."""
        residuals = self.residuals_by_item[items]
        rated = self.rated_by_item[items]
        member = sp.csr_matrix(
            (np.ones(len(self.groups)), (self.groups, np.arange(len(self.groups)))),
            shape=(int(self.groups.max()) + 1, len(self.groups)),
        )
        # Per (pair, group) totals, then pick the user's group; the user's own rating is not in
        # training for a test pair, so nothing needs subtracting.
        group_totals = (residuals @ member.T).tocsr()
        group_counts = (rated @ member.T).tocsr()
        rows = np.arange(len(users))
        wanted = self.groups[users]
        return (
            np.asarray(group_totals[rows, wanted]).ravel(),
            np.asarray(group_counts[rows, wanted]).ravel(),
        )


class TuanPredictor:
    uses_social: ClassVar[bool] = True

    def __init__(
        self,
        inner_folds: int = 5,
        ridge: float = 10.0,
        trust_shrinkage: float = 5.0,
        fof_decay: float = 0.5,
        use_trust: bool = True,
        use_groups: bool = True,
        seed: int = 0,
    ) -> None:
        self.use_trust = use_trust
        self.use_groups = use_groups
        self.inner_folds = inner_folds
        self.ridge = ridge
        self.trust_shrinkage = trust_shrinkage
        self.fof_decay = fof_decay
        self.seed = seed

    def _fit_level0(self, train: Interactions, social: SocialGraph) -> _Level0:
        mean, user_bias, item_bias = fit_baseline_biases(train, *_BASELINE_REG)
        models: list[UserAverage | ItemAverage | ItemKNNRating | BiasedMF | SVDPlusPlus | SocialMF]
        models = [
            UserAverage(),
            ItemAverage(),
            ItemKNNRating(),
            BiasedMF(factors=_FACTORS, reg=_MF_REG, reg_bias=_BIAS_REG, seed=self.seed),
            SVDPlusPlus(factors=_FACTORS, reg=_MF_REG, reg_bias=_BIAS_REG, seed=self.seed),
        ]
        if self.use_trust:
            models.append(
                SocialMF(
                    factors=_FACTORS,
                    reg=_SOCIAL_MF_REG,
                    reg_bias=_BIAS_REG,
                    social_weight=_SOCIAL_MF_WEIGHT,
                    seed=self.seed,
                )
            )
        # Ablations replace the signal by its empty version so the feature layout stays fixed.
        trust_graph = social if self.use_trust else SocialGraph.empty(train.n_users)
        groups = (
            label_propagation(social.undirected(), self.seed)
            if self.use_groups
            else np.arange(train.n_users, dtype=np.int64)
        )
        for model in models:
            model.fit(train, social)
        residual = train.values - mean - user_bias[train.users] - item_bias[train.items]
        shape = (train.n_items, train.n_users)
        residuals_by_item = sp.csr_matrix((residual, (train.items, train.users)), shape=shape)
        rated_by_item = sp.csr_matrix(
            (np.ones(len(train)), (train.items, train.users)), shape=shape
        )
        user_counts = train.user_counts().astype(np.float64)
        item_means = np.bincount(train.items, train.values, train.n_items) / np.maximum(
            train.item_counts(), 1
        )
        deviation = np.bincount(
            train.users, np.abs(train.values - item_means[train.items]), train.n_users
        ) / np.maximum(user_counts, 1)
        return _Level0(
            mean=mean,
            user_bias=user_bias,
            item_bias=item_bias,
            models=models,
            residuals_by_item=residuals_by_item,
            rated_by_item=rated_by_item,
            trust=bounded_trust(tie_strengths(trust_graph, train), self.fof_decay),
            groups=groups,
            user_counts=user_counts,
            item_counts=train.item_counts().astype(np.float64),
            conformity=np.where((user_counts > 0) & self.use_groups, 1.0 / (1.0 + deviation), 0.0),
            shrinkage=self.trust_shrinkage,
        )

    def fit(self, train: Interactions, social: SocialGraph) -> None:
        self.low, self.high = float(train.values.min()), float(train.values.max())
        assignment = kfold_assignment(len(train), self.inner_folds, self.seed + 101)
        blocks: list[tuple[np.ndarray, FloatArray]] = []
        for fold in range(self.inner_folds):
            held = assignment == fold
            level0 = self._fit_level0(train.subset(~held), social)
            blocks.append((held, level0.features(train.users[held], train.items[held])))
        design = np.zeros((len(train), blocks[0][1].shape[1]))
        for held, features in blocks:
            design[held] = features
        self.level0 = self._fit_level0(train, social)
        target = train.values - self.level0.mean
        gram = design.T @ design + self.ridge * np.eye(design.shape[1])
        self.coefficients = np.linalg.solve(gram, design.T @ target)

    def predict(self, users: IntArray, items: IntArray) -> FloatArray:
        raw = self.level0.mean + self.level0.features(users, items) @ self.coefficients
        return np.clip(raw, self.low, self.high)
