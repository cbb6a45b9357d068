"""Rankers for implicit feedback: ALS with binary confidence, BPR and EASE.

All of them treat any interaction as a positive (listen counts are ignored), matching the
"every listened artist is a positive" protocol of the published LastFM tables.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.linalg import lapack

from tuan.recs.data import Interactions, SocialGraph
from tuan.recs.models.base import FloatArray, IntArray, Vectors, all_items, row_normalise
from tuan.recs.trust import tie_strengths


class FactorRanker:
    """Scores are dot products of user and item vectors (plus an optional item bias)."""

    uses_social: ClassVar[bool] = False
    user_vectors: Vectors
    item_vectors: Vectors
    item_bias: Vectors | None = None

    def score(self, user_ids: IntArray, item_ids: IntArray | None = None) -> FloatArray:
        items = all_items(len(self.item_vectors), item_ids)
        scores = self.user_vectors[user_ids] @ self.item_vectors[items].T
        if self.item_bias is not None:
            scores += self.item_bias[items][None, :]
        return np.asarray(scores, dtype=np.float64)


def confidence_half_step(
    matrix: sp.csr_matrix,
    current: Vectors,
    other: Vectors,
    alpha: float,
    reg: float,
    cg_steps: int,
    prior: Vectors | None = None,
    prior_weight: FloatArray | None = None,
) -> Vectors:
    """One ALS half-step with binary confidence (Hu, Koren & Volinsky 2008).

    Each row u with positives N(u) solves (Y'Y + alpha Y_N'Y_N + reg I) x_u = (1 + alpha) Y_N'1.
    Instead of forming one d x d system per row we run a few conjugate-gradient steps for all
    rows at once, warm-started from ``current`` (Takacs et al. 2011): each step costs a couple of
    sparse products, O(nnz d + n d^2), which is what makes ALS cheap in plain NumPy.

    With a ``prior``, row u also pays prior_weight[u] * |x_u - prior_u|^2, i.e. the system gains
    prior_weight[u] I and the right-hand side prior_weight[u] prior_u (used by SocialALS).
    """
    gram = (other.T @ other + reg * np.eye(other.shape[1], dtype=other.dtype)).astype(other.dtype)
    rows_of_entries = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    entry_vectors = other[matrix.indices]
    weights = matrix.astype(other.dtype)
    rhs = (1.0 + alpha) * (weights @ other)
    extra = None
    if prior is not None and prior_weight is not None:
        extra = prior_weight.astype(other.dtype)[:, None]
        rhs = rhs + extra * prior

    def apply_system(vectors: Vectors) -> Vectors:
        weights.data = alpha * np.einsum("nd,nd->n", vectors[rows_of_entries], entry_vectors)
        product = vectors @ gram + weights @ other
        return np.asarray(product if extra is None else product + extra * vectors)

    solution = current.copy()
    residual = rhs - apply_system(solution)
    direction = residual.copy()
    residual_norm = np.einsum("nd,nd->n", residual, residual)
    for _ in range(cg_steps):
        product = apply_system(direction)
        curvature = np.einsum("nd,nd->n", direction, product)
        step = np.divide(
            residual_norm, curvature, out=np.zeros_like(curvature), where=curvature > 0
        )
        solution += step[:, None] * direction
        residual -= step[:, None] * product
        new_norm = np.einsum("nd,nd->n", residual, residual)
        ratio = np.divide(
            new_norm, residual_norm, out=np.zeros_like(new_norm), where=residual_norm > 0
        )
        direction = residual + ratio[:, None] * direction
        residual_norm = new_norm
    return solution


class ALS(FactorRanker):
    """Implicit ALS with confidence 1 + alpha on every positive and 1 elsewhere."""

    def __init__(
        self,
        factors: int = 64,
        alpha: float = 10.0,
        reg: float = 1.0,
        iterations: int = 15,
        cg_steps: int = 3,
        seed: int = 0,
    ) -> None:
        self.factors = factors
        self.alpha = alpha
        self.reg = reg
        self.iterations = iterations
        self.cg_steps = cg_steps
        self.seed = seed
        self.social_reg = 0.0

    def _social_mixing(
        self, interactions: Interactions, social: SocialGraph
    ) -> sp.csr_matrix | None:
        """Row-stochastic users x users matrix the user factors are pulled towards (none)."""
        return None

    def fit(self, interactions: Interactions, social: SocialGraph) -> None:
        # Single precision halves the memory traffic of the CG steps; plenty for ranking.
        matrix = interactions.to_csr(binary=True).astype(np.float32)
        transposed = matrix.T.tocsr()
        rng = np.random.default_rng(self.seed)
        items = rng.normal(0.0, 0.01, (matrix.shape[1], self.factors)).astype(np.float32)
        users = rng.normal(0.0, 0.01, (matrix.shape[0], self.factors)).astype(np.float32)
        mixing = self._social_mixing(interactions, social)
        prior_weight = None
        if mixing is not None:
            mixing = mixing.astype(np.float32)
            prior_weight = self.social_reg * (np.diff(mixing.indptr) > 0).astype(np.float64)
        for _ in range(self.iterations):
            prior = None if mixing is None else np.asarray(mixing @ users)
            users = confidence_half_step(
                matrix, users, items, self.alpha, self.reg, self.cg_steps, prior, prior_weight
            )
            items = confidence_half_step(
                transposed, items, users, self.alpha, self.reg, self.cg_steps
            )
        self.user_vectors, self.item_vectors = users, items


class SocialALS(ALS):
    """ALS whose user factors are pulled towards the mean factor of their friends.

    The implicit-feedback analogue of SocialMF (Jamali & Ester 2010): each user with friends
    pays social_reg * |p_u - mean_{v in F(u)} p_v|^2, solved in the user half-step with the
    friends' factors of the previous sweep. With ``tie_strength`` the mean is weighted by
    :func:`tuan.recs.trust.tie_strengths` instead of being uniform.
    """

    uses_social = True

    def __init__(
        self,
        factors: int = 64,
        alpha: float = 10.0,
        reg: float = 1.0,
        social_reg: float = 100.0,
        tie_strength: bool = False,
        iterations: int = 15,
        cg_steps: int = 3,
        seed: int = 0,
    ) -> None:
        super().__init__(factors, alpha, reg, iterations, cg_steps, seed)
        self.social_reg = social_reg
        self.tie_strength = tie_strength

    def _social_mixing(
        self, interactions: Interactions, social: SocialGraph
    ) -> sp.csr_matrix | None:
        links = tie_strengths(social, interactions) if self.tie_strength else social.undirected()
        return row_normalise(links).tocsr()


def scatter_add(target: Vectors, rows: IntArray, updates: Vectors) -> None:
    """target[rows] += updates with repeated rows accumulated (like np.add.at, much faster)."""
    unique_rows, inverse = np.unique(rows, return_inverse=True)
    selector = sp.csr_matrix(
        (np.ones(len(rows), dtype=updates.dtype), (inverse, np.arange(len(rows)))),
        shape=(len(unique_rows), len(rows)),
    )
    target[unique_rows] += selector @ updates


def _sigmoid(x: FloatArray) -> FloatArray:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * x)))


class BPR(FactorRanker):
    """Bayesian personalised ranking (Rendle et al. 2009), mini-batch SGD with item biases."""

    def __init__(
        self,
        factors: int = 64,
        learning_rate: float = 0.05,
        reg: float = 0.01,
        epochs: int = 60,
        batch_size: int = 1024,
        seed: int = 0,
    ) -> None:
        self.factors = factors
        self.learning_rate = learning_rate
        self.reg = reg
        self.epochs = epochs
        self.batch_size = batch_size
        self.seed = seed

    def _social_items(self, matrix: sp.csr_matrix, social: SocialGraph) -> sp.csr_matrix | None:
        return None

    def fit(self, interactions: Interactions, social: SocialGraph) -> None:
        matrix = interactions.to_csr(binary=True)
        n_users, n_items = matrix.shape
        rng = np.random.default_rng(self.seed)
        # Single precision: the updates are noisy anyway and gathers run several times faster.
        self.user_vectors = rng.normal(0.0, 0.1, (n_users, self.factors)).astype(np.float32)
        self.item_vectors = rng.normal(0.0, 0.1, (n_items, self.factors)).astype(np.float32)
        self.item_bias = np.zeros(n_items, dtype=np.float32)
        social_items = self._social_items(matrix, social)
        users_of_rows = np.repeat(np.arange(n_users), np.diff(matrix.indptr))
        keys = pair_keys(matrix)
        for _ in range(self.epochs):
            order = rng.permutation(matrix.nnz)
            for start in range(0, len(order), self.batch_size):
                rows = order[start : start + self.batch_size]
                users = users_of_rows[rows]
                positives = matrix.indices[rows]
                negatives = sample_unseen(keys, n_items, users, rng)
                if social_items is None:
                    self._step(users, positives, negatives, np.ones(len(users)))
                else:
                    self._social_step(users, positives, negatives, social_items, rng)

    def _step(self, users: IntArray, better: IntArray, worse: IntArray, scale: FloatArray) -> None:
        """SGD on -log sigmoid((x_u.better - x_u.worse) / scale) plus L2 on touched rows."""
        p, q_b, q_w = self.user_vectors[users], self.item_vectors[better], self.item_vectors[worse]
        assert self.item_bias is not None
        margin = (
            np.einsum("nd,nd->n", p, q_b - q_w) + self.item_bias[better] - self.item_bias[worse]
        ) / scale
        weight = (1.0 - _sigmoid(margin)) / scale
        lr, reg = self.learning_rate, self.reg
        scatter_add(self.user_vectors, users, lr * (weight[:, None] * (q_b - q_w) - reg * p))
        items = np.concatenate([better, worse])
        item_steps = np.concatenate(
            [weight[:, None] * p - reg * q_b, -weight[:, None] * p - reg * q_w]
        )
        scatter_add(self.item_vectors, items, lr * item_steps)
        bias_steps = np.concatenate([weight, -weight]) - reg * self.item_bias[items]
        self.item_bias += (lr * np.bincount(items, bias_steps, len(self.item_bias))).astype(
            np.float32
        )

    def _social_step(
        self,
        users: IntArray,
        positives: IntArray,
        negatives: IntArray,
        social_items: sp.csr_matrix,
        rng: np.random.Generator,
    ) -> None:
        raise NotImplementedError


class SBPR(BPR):
    """Social BPR (Zhao, McAuley & King 2014): own items > friends' items > other items.

    For a sampled positive i of user u, a "social" item k (consumed by s_uk of u's friends but
    not by u) is drawn when u has one; the model then learns x_ui > x_uk with the margin scaled
    by 1 / (1 + s_uk) (many friends make k nearly as good as i) and x_uk > x_uj for a random
    unseen j. Users without social items fall back to plain BPR pairs.
    """

    uses_social = True

    def _social_items(self, matrix: sp.csr_matrix, social: SocialGraph) -> sp.csr_matrix | None:
        friends_items = (social.undirected() @ matrix).tocsr()
        friends_items = friends_items - friends_items.multiply(matrix > 0)
        friends_items.eliminate_zeros()
        friends_items.sort_indices()
        return friends_items.tocsr()

    def _social_step(
        self,
        users: IntArray,
        positives: IntArray,
        negatives: IntArray,
        social_items: sp.csr_matrix,
        rng: np.random.Generator,
    ) -> None:
        counts = np.diff(social_items.indptr)[users]
        has_social = counts > 0
        if social_items.nnz == 0:
            has_social[:] = False
        offsets = social_items.indptr[users] + (rng.random(len(users)) * counts).astype(np.int64)
        offsets = np.where(has_social, offsets, 0)
        social = social_items.indices[offsets] if social_items.nnz else users * 0
        strength = social_items.data[offsets] if social_items.nnz else np.zeros(len(users))
        plain = ~has_social
        self._step(users[plain], positives[plain], negatives[plain], np.ones(int(plain.sum())))
        self._step(
            users[has_social],
            positives[has_social],
            social[has_social],
            1.0 + strength[has_social],
        )
        self._step(
            users[has_social],
            social[has_social],
            negatives[has_social],
            np.ones(int(has_social.sum())),
        )


def pair_keys(matrix: sp.csr_matrix) -> IntArray:
    """Sorted row * n_cols + col keys of a CSR matrix's entries (for membership tests)."""
    rows = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))
    return np.sort(rows * matrix.shape[1] + matrix.indices)


def contains_pairs(keys: IntArray, n_cols: int, rows: IntArray, cols: IntArray) -> np.ndarray:
    """Whether each (row, col) pair is among ``keys`` (from :func:`pair_keys`)."""
    wanted = rows.astype(np.int64) * n_cols + cols
    position = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return np.asarray(keys[position] == wanted)


def sample_unseen(
    keys: IntArray, n_items: int, users: IntArray, rng: np.random.Generator
) -> IntArray:
    """One uniformly drawn item per user that the user has not interacted with."""
    items = rng.integers(0, n_items, len(users))
    for _ in range(50):
        clash = contains_pairs(keys, n_items, users, items)
        if not clash.any():
            break
        items[clash] = rng.integers(0, n_items, int(clash.sum()))
    return items


class EASE:
    """Embarrassingly shallow autoencoder (Steck 2019): a closed-form item-item model.

    The dense inverse costs O(n^3), so only items with at least ``min_item_count`` training
    interactions, and at most the ``max_items`` most popular of them, get a column; the others
    score 0. On LastFM the threshold of 3 is as accurate as the full catalogue (the pruned
    artists have one or two listeners) at a 50th of the cost.
    """

    uses_social: ClassVar[bool] = False

    def __init__(self, reg: float = 200.0, min_item_count: int = 3, max_items: int = 8000) -> None:
        self.reg = reg
        self.min_item_count = min_item_count
        self.max_items = max_items

    def fit(self, interactions: Interactions, social: SocialGraph) -> None:
        matrix = interactions.to_csr(binary=True)
        counts = interactions.item_counts()
        kept = np.flatnonzero(counts >= self.min_item_count)
        if len(kept) > self.max_items:
            by_popularity = kept[np.lexsort((kept, -counts[kept]))]
            kept = np.sort(by_popularity[: self.max_items])
        self.weights = ease_weights(matrix[:, kept], self.reg)
        self.kept = kept
        self.position = np.full(matrix.shape[1], -1, dtype=np.int64)
        self.position[kept] = np.arange(len(kept))
        self.matrix = matrix[:, kept].tocsr().astype(np.float32)

    def score(self, user_ids: IntArray, item_ids: IntArray | None = None) -> FloatArray:
        # The profile matrix and the weights are both float32 so SciPy multiplies them without
        # an upcast copy of the (large) weight matrix.
        block = self.matrix[user_ids]
        if item_ids is None:
            scores = np.zeros((len(user_ids), len(self.position)))
            scores[:, self.kept] = block @ self.weights
            return scores
        positions = self.position[item_ids]
        present = np.flatnonzero(positions >= 0)
        scores = np.zeros((len(user_ids), len(item_ids)))
        if len(user_ids) <= 8:
            # Serving path: gather only the rows of the user's items and the wanted columns.
            for row in range(len(user_ids)):
                start, end = block.indptr[row], block.indptr[row + 1]
                rows = self.weights[block.indices[start:end]]
                scores[row, present] = block.data[start:end] @ rows[:, positions[present]]
        else:
            scores[:, present] = (block @ self.weights)[:, positions[present]]
        return scores


def ease_weights(matrix: sp.csr_matrix, reg: float) -> NDArray[np.float32]:
    """B = I - P diag(1 / diag P) with P = (X'X + reg I)^-1, i.e. EASE with a zero diagonal.

    The inverse is taken in single precision through a Cholesky factorisation (LAPACK potrf +
    potri), several times faster than a general inverse; the Gram matrix is well conditioned
    thanks to ``reg``.
    """
    gram = (matrix.T @ matrix).toarray().astype(np.float32)
    gram[np.diag_indices_from(gram)] += reg
    return zero_diagonal_weights(symmetric_inverse(gram))


def symmetric_inverse(matrix: NDArray[np.float32]) -> NDArray[np.float32]:
    """Inverse of a symmetric positive definite matrix via Cholesky (full matrix returned)."""
    factor, info = lapack.spotrf(matrix, lower=False, overwrite_a=True)
    if info != 0:
        raise np.linalg.LinAlgError(f"matrix is not positive definite (potrf info {info})")
    upper, info = lapack.spotri(factor, lower=False, overwrite_c=True)
    if info != 0:
        raise np.linalg.LinAlgError(f"inverse failed (potri info {info})")
    inverse = np.triu(upper)
    inverse += np.triu(upper, 1).T
    return np.asarray(inverse, dtype=np.float32)


def zero_diagonal_weights(precision: NDArray[np.float32]) -> NDArray[np.float32]:
    weights = precision / (-np.diag(precision))[None, :]
    weights[np.diag_indices_from(weights)] = 0.0
    return weights
