"""Loading interaction and trust data from the shared tab-separated format.

A dataset folder holds ``ratings.tsv`` (``user item value``), ``social.tsv`` (``source target``)
and optionally ``split/{train,val,test}.tsv`` (``user item value``), each with a header line.
Raw identifiers are kept as strings and mapped to dense indices once per dataset, so every fold,
split and model shares one index space and scores can be compared position by position.

Duplicate ``(user, item)`` pairs inside one file are resolved by keeping the *last* occurrence
in file order (FilmTrust ships three such pairs); duplicate or self trust links are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

SPLIT_NAMES = ("train", "val", "test")


@dataclass(frozen=True)
class Interactions:
    """User-item interactions in dense index space (one row per distinct pair)."""

    users: IntArray
    items: IntArray
    values: FloatArray
    n_users: int
    n_items: int

    def __post_init__(self) -> None:
        if not (len(self.users) == len(self.items) == len(self.values)):
            raise ValueError("users, items and values must have the same length")

    def __len__(self) -> int:
        return len(self.users)

    def subset(self, mask_or_index: NDArray[np.bool_] | IntArray) -> Interactions:
        """Rows selected by a boolean mask or an index array, same index space."""
        return Interactions(
            self.users[mask_or_index],
            self.items[mask_or_index],
            self.values[mask_or_index],
            self.n_users,
            self.n_items,
        )

    def concat(self, other: Interactions) -> Interactions:
        """Rows of ``self`` followed by the rows of ``other`` (same index space)."""
        if (self.n_users, self.n_items) != (other.n_users, other.n_items):
            raise ValueError("cannot concatenate interactions from different index spaces")
        return Interactions(
            np.concatenate([self.users, other.users]),
            np.concatenate([self.items, other.items]),
            np.concatenate([self.values, other.values]),
            self.n_users,
            self.n_items,
        )

    def to_csr(self, binary: bool = False) -> sp.csr_matrix:
        """Users x items sparse matrix of the values (or of ones when ``binary``)."""
        data = np.ones(len(self)) if binary else self.values
        matrix = sp.csr_matrix(
            (data, (self.users, self.items)), shape=(self.n_users, self.n_items), dtype=np.float64
        )
        matrix.sum_duplicates()
        matrix.sort_indices()
        return matrix

    def user_counts(self) -> IntArray:
        return np.bincount(self.users, minlength=self.n_users).astype(np.int64)

    def item_counts(self) -> IntArray:
        return np.bincount(self.items, minlength=self.n_items).astype(np.int64)


@dataclass(frozen=True)
class SocialGraph:
    """Directed trust links as a binary users x users CSR matrix (row trusts column)."""

    adjacency: sp.csr_matrix

    @property
    def n_users(self) -> int:
        return int(self.adjacency.shape[0])

    @property
    def n_links(self) -> int:
        return int(self.adjacency.nnz)

    @classmethod
    def from_edges(cls, sources: IntArray, targets: IntArray, n_users: int) -> SocialGraph:
        keep = sources != targets
        matrix = sp.csr_matrix(
            (np.ones(int(keep.sum())), (sources[keep], targets[keep])),
            shape=(n_users, n_users),
            dtype=np.float64,
        )
        matrix.sum_duplicates()
        matrix.data[:] = 1.0  # a repeated link is still one link
        matrix.sort_indices()
        return cls(matrix)

    @classmethod
    def empty(cls, n_users: int) -> SocialGraph:
        return cls(sp.csr_matrix((n_users, n_users), dtype=np.float64))

    def undirected(self) -> sp.csr_matrix:
        """Symmetrised binary adjacency: a link in either direction counts."""
        sym = (self.adjacency + self.adjacency.T).tocsr()
        sym.data[:] = 1.0
        return sym


@dataclass(frozen=True)
class Dataset:
    """A loaded dataset folder: interactions, trust links and the optional released split."""

    name: str
    user_labels: Sequence[str]
    item_labels: Sequence[str]
    ratings: Interactions
    social: SocialGraph
    split: dict[str, Interactions] | None

    @property
    def n_users(self) -> int:
        return len(self.user_labels)

    @property
    def n_items(self) -> int:
        return len(self.item_labels)

    def all_interactions(self) -> Interactions:
        """Every known interaction: the ratings file plus any split rows it lacks."""
        if self.split is None:
            return self.ratings
        merged = self.ratings
        for name in SPLIT_NAMES:
            merged = merged.concat(self.split[name])
        return _deduplicate_keep_last(merged)


def _read_table(path: Path, n_columns: int) -> list[list[str]]:
    rows: list[list[str]] = []
    with path.open(encoding="utf-8") as handle:
        header = handle.readline()
        if not header:
            raise ValueError(f"{path} is empty; expected a header line")
        for line_number, line in enumerate(handle, start=2):
            stripped = line.rstrip("\r\n")
            if not stripped.strip():
                continue
            fields = stripped.split("\t")
            if len(fields) < n_columns:
                raise ValueError(f"{path}:{line_number}: expected {n_columns} tab-separated fields")
            rows.append(fields[:n_columns])
    return rows


class _Labeller:
    """Assigns dense indices to raw labels in order of first appearance."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def encode(self, labels: Iterable[str]) -> IntArray:
        index = self.index
        return np.fromiter(
            (index.setdefault(label, len(index)) for label in labels), dtype=np.int64
        )

    def labels(self) -> list[str]:
        return list(self.index)


def _deduplicate_keep_last(interactions: Interactions) -> Interactions:
    """Keep the last row of every repeated (user, item) pair, preserving row order otherwise."""
    keys = interactions.users * interactions.n_items + interactions.items
    reversed_keys = keys[::-1]
    _, first_in_reversed = np.unique(reversed_keys, return_index=True)
    keep = np.sort(len(keys) - 1 - first_in_reversed)
    if len(keep) == len(keys):
        return interactions
    return interactions.subset(keep)


def load_dataset(folder: str | Path) -> Dataset:
    """Load a dataset folder in the shared format (see module docstring)."""
    root = Path(folder)
    ratings_path = root / "ratings.tsv"
    if not ratings_path.is_file():
        raise FileNotFoundError(f"{ratings_path} not found; is {root} a dataset folder?")
    users, items = _Labeller(), _Labeller()

    def read_interactions(path: Path) -> tuple[IntArray, IntArray, FloatArray]:
        rows = _read_table(path, 3)
        return (
            users.encode(row[0] for row in rows),
            items.encode(row[1] for row in rows),
            np.array([float(row[2]) for row in rows], dtype=np.float64),
        )

    raw_ratings = read_interactions(ratings_path)
    split_dir = root / "split"
    raw_split: dict[str, tuple[IntArray, IntArray, FloatArray]] = {}
    if split_dir.is_dir():
        for name in SPLIT_NAMES:
            path = split_dir / f"{name}.tsv"
            if not path.is_file():
                raise FileNotFoundError(f"{path} missing: a split needs train, val and test")
            raw_split[name] = read_interactions(path)
    social_path = root / "social.tsv"
    social_rows = _read_table(social_path, 2) if social_path.is_file() else []
    sources = users.encode(row[0] for row in social_rows)
    targets = users.encode(row[1] for row in social_rows)

    n_users, n_items = len(users.index), len(items.index)

    def build(raw: tuple[IntArray, IntArray, FloatArray]) -> Interactions:
        return _deduplicate_keep_last(Interactions(raw[0], raw[1], raw[2], n_users, n_items))

    split = {name: build(raw) for name, raw in raw_split.items()} if raw_split else None
    return Dataset(
        name=root.resolve().name,
        user_labels=users.labels(),
        item_labels=items.labels(),
        ratings=build(raw_ratings),
        social=SocialGraph.from_edges(sources, targets, n_users),
        split=split,
    )
