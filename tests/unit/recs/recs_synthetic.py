"""Tiny synthetic data sets with known structure for the recs unit tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tuan.recs.data import Interactions, SocialGraph


def interactions(pairs: list[tuple[int, int, float]], n_users: int, n_items: int) -> Interactions:
    users, items, values = zip(*pairs, strict=True) if pairs else ((), (), ())
    return Interactions(
        np.array(users, dtype=np.int64),
        np.array(items, dtype=np.int64),
        np.array(values, dtype=np.float64),
        n_users,
        n_items,
    )


def social(links: list[tuple[int, int]], n_users: int) -> SocialGraph:
    if not links:
        return SocialGraph.empty(n_users)
    sources, targets = zip(*links, strict=True)
    return SocialGraph.from_edges(
        np.array(sources, dtype=np.int64), np.array(targets, dtype=np.int64), n_users
    )


def friend_cliques(
    seed: int, *, cliques: int, size: int, own_items: int, picks: int
) -> tuple[set[tuple[int, int, float]], list[tuple[int, int]]]:
    """``cliques`` groups of ``size`` friends, each group with ``own_items`` items of its own;
    every member consumes ``picks`` of them plus 2 random items from anywhere. Returns the
    (user, item, 1.0) rows and the friendship links; callers add their own extra people."""
    rng = np.random.default_rng(seed)
    rows: set[tuple[int, int, float]] = set()
    links = []
    for clique in range(cliques):
        members = list(range(clique * size, clique * size + size))
        links += [(a, b) for a in members for b in members if a < b]
        for user in members:
            for item in rng.choice(own_items, size=picks, replace=False):
                rows.add((user, clique * own_items + int(item), 1.0))
            for item in rng.choice(cliques * own_items, size=2, replace=False):
                rows.add((user, int(item), 1.0))
    return rows, links


def two_taste_ratings(seed: int = 0, n_users: int = 40, n_items: int = 30) -> Interactions:
    """Two user groups with opposite tastes on two item groups, plus a little noise.

    Users in group A rate items in block A high (4) and block B low (1); group B the reverse.
    Every user rates 12 random items, so a model that finds the blocks predicts far better than
    any average.
    """
    rng = np.random.default_rng(seed)
    rows: list[tuple[int, int, float]] = []
    for user in range(n_users):
        for item in rng.choice(n_items, size=12, replace=False):
            same = (user < n_users // 2) == (item < n_items // 2)
            value = (4.0 if same else 1.0) + rng.normal(0.0, 0.2)
            rows.append((user, int(item), float(np.clip(value, 0.5, 4.5))))
    return interactions(rows, n_users, n_items)


def two_taste_implicit(seed: int = 0, n_users: int = 60, n_items: int = 40) -> Interactions:
    """Users of group A consume only items of block A, group B only block B (8 items each)."""
    rng = np.random.default_rng(seed)
    rows: list[tuple[int, int, float]] = []
    half = n_items // 2
    for user in range(n_users):
        offset = 0 if user < n_users // 2 else half
        for item in rng.choice(half, size=8, replace=False):
            rows.append((user, int(item) + offset, 1.0))
    return interactions(rows, n_users, n_items)


def write_dataset(
    folder: Path,
    ratings: list[tuple[str, str, float]],
    links: list[tuple[str, str]],
    split: dict[str, list[tuple[str, str, float]]] | None = None,
) -> Path:
    """Write a dataset folder in the shared format (header lines, tab separated)."""
    folder.mkdir(parents=True, exist_ok=True)

    def rows(data: list[tuple[str, str, float]]) -> str:
        return "user\titem\tvalue\n" + "".join(f"{u}\t{i}\t{v:g}\n" for u, i, v in data)

    (folder / "ratings.tsv").write_text(rows(ratings))
    (folder / "social.tsv").write_text(
        "source\ttarget\n" + "".join(f"{s}\t{t}\n" for s, t in links)
    )
    if split is not None:
        (folder / "split").mkdir(exist_ok=True)
        for name, data in split.items():
            (folder / "split" / f"{name}.tsv").write_text(rows(data))
    return folder
