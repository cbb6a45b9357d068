"""Trust signals derived from the social graph and the training interactions.

* **Tie strength** of a link u -> v is 1 + reciprocity + cosine(items_u, items_v) +
  jaccard(friends_u, friends_v): every term lies in [0, 1], so a bare link counts 1 and the
  strongest possible tie 4. Links are used in both directions (following someone is evidence of
  shared taste either way), the reciprocity term rewards mutual links.
* **Bounded friend-of-friend trust**: trust propagates at most two hops and a second-hop user
  can never receive more than ``decay`` times the weight a direct friend gets
  (rows of both hop matrices are normalised to sum to 1).
* **Groups** are communities found by label propagation on the undirected graph; a user's
  **conformity** is how much of their own history their group also consumed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from tuan.recs.data import Interactions, SocialGraph
from tuan.recs.models.base import FloatArray, IntArray, row_normalise


def tie_strengths(social: SocialGraph, interactions: Interactions) -> sp.csr_matrix:
    """Symmetric users x users matrix of tie strengths on the (undirected) links."""
    links = social.undirected().tocoo()
    if links.nnz == 0:  # no links (or the no-trust ablation): nothing to weigh
        return sp.csr_matrix(links.shape, dtype=np.float64)
    directed = social.adjacency.tocsr()
    reciprocal = (
        np.asarray(directed[links.row, links.col] + directed[links.col, links.row]).ravel() >= 2
    )
    items = interactions.to_csr(binary=True)
    item_counts = np.asarray(items.sum(axis=1)).ravel()
    common_items = np.asarray(items[links.row].multiply(items[links.col]).sum(axis=1)).ravel()
    norm = np.sqrt(item_counts[links.row] * item_counts[links.col])
    item_cosine = np.divide(common_items, norm, out=np.zeros_like(common_items), where=norm > 0)
    friends = social.undirected()
    degree = np.asarray(friends.sum(axis=1)).ravel()
    common_friends = np.asarray(friends[links.row].multiply(friends[links.col]).sum(axis=1)).ravel()
    union = degree[links.row] + degree[links.col] - common_friends
    friend_jaccard = np.divide(
        common_friends, union, out=np.zeros_like(common_friends), where=union > 0
    )
    strength = 1.0 + reciprocal + item_cosine + friend_jaccard
    return sp.csr_matrix((strength, (links.row, links.col)), shape=friends.shape)


def bounded_trust(ties: sp.csr_matrix, decay: float) -> sp.csr_matrix:
    """Row-stochastic direct trust plus ``decay`` times row-stochastic second-hop trust.

    Second-hop weights skip the user and their direct friends, so a friend of a friend only
    adds information the direct links do not already carry.
    """
    direct = row_normalise(ties).tocsr()
    if decay <= 0:
        return direct
    two_hop = (direct @ direct).tocsr()
    two_hop = two_hop - two_hop.multiply(ties > 0)
    two_hop.setdiag(0.0)
    two_hop.eliminate_zeros()
    return (direct + decay * row_normalise(two_hop)).tocsr()


def label_propagation(adjacency: sp.csr_matrix, seed: int, max_rounds: int = 20) -> IntArray:
    """Community label of every user (asynchronous label propagation, Raghavan et al. 2007).

    Users are visited in a seeded random order; ties between labels go to the smallest label,
    so the result is deterministic for a seed. Isolated users keep their own label.
    """
    n = adjacency.shape[0]
    labels = np.arange(n, dtype=np.int64)
    rng = np.random.default_rng(seed)
    indptr, indices = adjacency.indptr, adjacency.indices
    for _ in range(max_rounds):
        changed = 0
        for user in rng.permutation(n):
            neighbours = indices[indptr[user] : indptr[user + 1]]
            if len(neighbours) == 0:
                continue
            values, counts = np.unique(labels[neighbours], return_counts=True)
            best = values[counts == counts.max()].min()
            if best != labels[user]:
                labels[user] = best
                changed += 1
        if changed == 0:
            break
    _, dense = np.unique(labels, return_inverse=True)
    return dense.astype(np.int64)


@dataclass(frozen=True)
class GroupSignals:
    """Community membership, per-group item popularity and each user's conformity."""

    labels: IntArray
    popularity: sp.csr_matrix  # groups x items, share of members who consumed the item
    conformity: FloatArray  # per user, in [0, 1]


def group_signals(social: SocialGraph, interactions: Interactions, seed: int) -> GroupSignals:
    labels = label_propagation(social.undirected(), seed)
    n_groups = int(labels.max()) + 1 if len(labels) else 0
    membership = sp.csr_matrix(
        (np.ones(len(labels)), (labels, np.arange(len(labels)))),
        shape=(n_groups, len(labels)),
    )
    items = interactions.to_csr(binary=True)
    counts = (membership @ items).tocsr()
    sizes = np.asarray(membership.sum(axis=1)).ravel()
    popularity = (sp.diags(1.0 / np.maximum(sizes, 1.0)) @ counts).tocsr()
    # Conformity: share of a user's items that some *other* member of the group also consumed.
    others = counts[labels] - items
    shared = np.asarray((others.multiply(items) > 0).sum(axis=1)).ravel()
    own = np.asarray(items.sum(axis=1)).ravel()
    conformity = np.divide(shared, own, out=np.zeros(len(own)), where=own > 0)
    conformity[sizes[labels] <= 1] = 0.0
    return GroupSignals(labels, popularity, conformity)


def friend_item_scores(
    trust: sp.csr_matrix, items: sp.csr_matrix, users: IntArray
) -> NDArray[np.float64]:
    """Trust-weighted share of a user's (bounded) network that consumed each item."""
    return np.asarray((trust[users] @ items).toarray())
