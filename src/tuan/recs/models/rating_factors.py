"""Latent-factor rating predictors trained by full-batch L-BFGS.

The data sets are small enough for the whole squared-error objective and its gradient to be
evaluated with a few sparse matrix products, so we minimise it exactly with SciPy's L-BFGS-B
instead of running SGD: no learning rate to tune, vectorised, and deterministic for a seed.

Models (all predict mu + b_u + b_i + q_i . x_u, clipped to the training rating range):

* ``BiasedMF``: x_u = p_u.
* ``SVDPlusPlus`` (Koren 2008): x_u = p_u + |N(u)|^-1/2 sum_{j in N(u)} y_j.
* ``SocialMF`` (Jamali & Ester 2010, biased variant): x_u = p_u, and p_u is pulled towards the
  average factor of the users u trusts.
* ``TrustSVD`` (Guo, Zhang & Yorke-Smith 2015): x_u = p_u + |N(u)|^-1/2 sum y_j
  + |T(u)|^-1/2 sum_{v in T(u)} w_v, with the trust links themselves reconstructed as p_u . w_v.

Regularisation follows TrustSVD's SGD updates summed over an epoch: a user's (item's) terms
are shrunk in proportion to |I_u|^1/2 (|U_i|^1/2), between plain L2 (power 0) and the
per-rating penalty of SGD (power 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize

from tuan.recs.data import Interactions, SocialGraph
from tuan.recs.models.base import FloatArray, IntArray, row_normalise


@dataclass
class _Blocks:
    """Views into the flat parameter vector."""

    user_bias: FloatArray
    item_bias: FloatArray
    user_factors: FloatArray
    item_factors: FloatArray
    implicit_factors: FloatArray  # y_j (empty when unused)
    trust_factors: FloatArray  # w_v (empty when unused)


class _FactorRatingModel:
    """Shared L-BFGS engine; subclasses choose which blocks and penalties are active."""

    uses_social: ClassVar[bool] = False
    uses_implicit: ClassVar[bool] = False
    uses_trust_factors: ClassVar[bool] = False

    def __init__(
        self,
        factors: int = 10,
        reg: float = 0.5,
        reg_bias: float = 0.5,
        social_weight: float = 0.0,
        max_iter: int = 300,
        seed: int = 0,
    ) -> None:
        self.factors = factors
        self.reg = reg
        self.reg_bias = reg_bias
        self.social_weight = social_weight
        self.max_iter = max_iter
        self.seed = seed

    # -- layout -------------------------------------------------------------------------------

    def _split(self, theta: FloatArray) -> _Blocks:
        n_u, n_i, d = self.n_users, self.n_items, self.factors
        sizes = [n_u, n_i, n_u * d, n_i * d]
        sizes.append(n_i * d if self.uses_implicit else 0)
        sizes.append(n_u * d if self.uses_trust_factors else 0)
        parts = np.split(theta, np.cumsum(sizes)[:-1])
        return _Blocks(
            parts[0],
            parts[1],
            parts[2].reshape(n_u, d),
            parts[3].reshape(n_i, d),
            parts[4].reshape(-1, d),
            parts[5].reshape(-1, d),
        )

    # -- fitting ------------------------------------------------------------------------------

    def fit(self, train: Interactions, social: SocialGraph) -> None:
        self.n_users, self.n_items = train.n_users, train.n_items
        self.low, self.high = float(train.values.min()), float(train.values.max())
        order = np.lexsort((train.items, train.users))
        users, items, values = train.users[order], train.items[order], train.values[order]
        self.mean = float(values.mean())
        pattern = sp.csr_matrix(
            (np.ones(len(users)), (users, items)), shape=(self.n_users, self.n_items)
        )
        # Entries of pattern.data follow the (user, item)-sorted order of `users`/`items`.
        self._pattern = pattern
        user_counts = np.bincount(users, minlength=self.n_users).astype(np.float64)
        item_counts = np.bincount(items, minlength=self.n_items).astype(np.float64)
        self._user_reg_weight = _count_weight(user_counts)
        self._item_reg_weight = _count_weight(item_counts)
        self._implicit = row_normalise(pattern, power=0.5).tocsr()
        trust = social.adjacency.tocsr()
        self._trust_links = trust
        self._trust_norm = row_normalise(trust, power=0.5).tocsr()
        self._trust_mean = row_normalise(trust, power=1.0).tocsr()
        trust_in = np.asarray(trust.sum(axis=0)).ravel()
        self._trustee_reg_weight = _count_weight(trust_in)
        self._users, self._items, self._values = users, items, values

        rng = np.random.default_rng(self.seed)
        total = (
            self.n_users
            + self.n_items
            + (self.n_users + self.n_items) * self.factors
            + (self.n_items * self.factors if self.uses_implicit else 0)
            + (self.n_users * self.factors if self.uses_trust_factors else 0)
        )
        theta0 = rng.normal(0.0, 0.1, total)
        theta0[: self.n_users + self.n_items] = 0.0
        result = minimize(
            self._loss_and_gradient,
            theta0,
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": self.max_iter, "maxcor": 20, "gtol": 1e-6},
        )
        self._theta = np.asarray(result.x, dtype=np.float64)
        self._finalise()

    def _effective_users(self, blocks: _Blocks) -> FloatArray:
        x = blocks.user_factors
        if self.uses_implicit:
            x = x + self._implicit @ blocks.implicit_factors
        if self.uses_trust_factors:
            x = x + self._trust_norm @ blocks.trust_factors
        return x

    def _loss_and_gradient(self, theta: FloatArray) -> tuple[float, FloatArray]:
        blocks = self._split(theta)
        gradient = np.zeros_like(theta)
        grad = self._split(gradient)
        users, items = self._users, self._items
        x = self._effective_users(blocks)
        q = blocks.item_factors
        prediction = (
            self.mean
            + blocks.user_bias[users]
            + blocks.item_bias[items]
            + np.einsum("nd,nd->n", x[users], q[items])
        )
        error = prediction - self._values
        loss = 0.5 * float(error @ error)
        residuals = self._pattern.copy()
        residuals.data = error
        grad.user_bias[:] = np.asarray(residuals.sum(axis=1)).ravel()
        grad.item_bias[:] = np.asarray(residuals.sum(axis=0)).ravel()
        grad_x = residuals @ q  # dL/dx_u
        grad.item_factors[:] = residuals.T @ x
        grad.user_factors[:] = grad_x
        if self.uses_implicit:
            grad.implicit_factors[:] = self._implicit.T @ grad_x
        if self.uses_trust_factors:
            grad.trust_factors[:] = self._trust_norm.T @ grad_x

        loss += self._penalties(blocks, grad)
        return loss, gradient

    def _penalties(self, blocks: _Blocks, grad: _Blocks) -> float:
        """Weighted L2 terms (plus the social term of subclasses); adds their gradient."""
        loss = 0.0
        for values, gradient, weights, strength in (
            (blocks.user_bias, grad.user_bias, self._user_reg_weight, self.reg_bias),
            (blocks.item_bias, grad.item_bias, self._item_reg_weight, self.reg_bias),
            (blocks.user_factors, grad.user_factors, self._user_reg_weight, self.reg),
            (blocks.item_factors, grad.item_factors, self._item_reg_weight, self.reg),
            (blocks.implicit_factors, grad.implicit_factors, self._item_reg_weight, self.reg),
            (blocks.trust_factors, grad.trust_factors, self._trustee_reg_weight, self.reg),
        ):
            if values.size == 0:
                continue
            w = weights if values.ndim == 1 else weights[:, None]
            loss += 0.5 * strength * float(np.sum(w * values**2))
            gradient += strength * w * values
        return loss + self._social_penalty(blocks, grad)

    def _social_penalty(self, blocks: _Blocks, grad: _Blocks) -> float:
        return 0.0

    def _finalise(self) -> None:
        blocks = self._split(self._theta)
        self.user_bias = blocks.user_bias.copy()
        self.item_bias = blocks.item_bias.copy()
        self.user_vectors = self._effective_users(blocks)
        self.item_vectors = blocks.item_factors.copy()

    # -- prediction ---------------------------------------------------------------------------

    def predict(self, users: IntArray, items: IntArray) -> FloatArray:
        raw = (
            self.mean
            + self.user_bias[users]
            + self.item_bias[items]
            + np.einsum("nd,nd->n", self.user_vectors[users], self.item_vectors[items])
        )
        return np.asarray(np.clip(raw, self.low, self.high), dtype=np.float64)


def _count_weight(counts: FloatArray) -> FloatArray:
    """|I_u|^1/2 weights; entities without data get weight 1 so their parameters stay at 0."""
    return np.asarray(np.sqrt(np.maximum(counts, 1.0)), dtype=np.float64)


class BiasedMF(_FactorRatingModel):
    pass


class SVDPlusPlus(_FactorRatingModel):
    uses_implicit = True


class SocialMF(_FactorRatingModel):
    """Biased MF whose user factors are regularised towards the mean of their trustees."""

    uses_social = True

    def _social_penalty(self, blocks: _Blocks, grad: _Blocks) -> float:
        p = blocks.user_factors
        has_trustees = np.diff(self._trust_mean.indptr) > 0
        gap = (p - self._trust_mean @ p) * has_trustees[:, None]
        grad.user_factors[:] += self.social_weight * (gap - self._trust_mean.T @ gap)
        return 0.5 * self.social_weight * float(np.sum(gap**2))


class TrustSVD(_FactorRatingModel):
    """SVD++ plus the implicit influence of trusted users and trust reconstruction."""

    uses_social = True
    uses_implicit = True
    uses_trust_factors = True

    def _social_penalty(self, blocks: _Blocks, grad: _Blocks) -> float:
        links = self._trust_links.tocoo()
        p, w = blocks.user_factors, blocks.trust_factors
        error = np.einsum("nd,nd->n", p[links.row], w[links.col]) - 1.0
        errors = sp.csr_matrix((error, (links.row, links.col)), shape=links.shape)
        grad.user_factors[:] += self.social_weight * (errors @ w)
        grad.trust_factors[:] += self.social_weight * (errors.T @ p)
        return 0.5 * self.social_weight * float(error @ error)
