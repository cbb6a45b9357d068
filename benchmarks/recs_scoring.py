"""Latency of serving Tuan's ranker: one user scored against 10,000 candidate items.

Usage (from the repository root)::

    python benchmarks/recs_scoring.py ../shared/datasets/lastfm [--users 300] [--seed 0]

Fits the ranker once on the whole dataset, then times ``score([user], candidates)`` for random
users and random 10,000-item candidate sets (the "For you" feed call). The goal is < 5 ms.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from tuan.recs.data import load_dataset
from tuan.recs.models.tuan_ranker import TuanRanker

N_CANDIDATES = 10_000
GOAL_MS = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dataset_dir")
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    dataset = load_dataset(args.dataset_dir)
    started = time.perf_counter()
    ranker = TuanRanker(seed=args.seed)
    ranker.fit(dataset.ratings, dataset.social)
    print(f"fit on {len(dataset.ratings):,} interactions: {time.perf_counter() - started:.1f} s")

    rng = np.random.default_rng(args.seed)
    n_candidates = min(N_CANDIDATES, dataset.n_items)
    users = rng.integers(0, dataset.n_users, args.users)
    timings = []
    for user in users:
        candidates = rng.choice(dataset.n_items, n_candidates, replace=False).astype(np.int64)
        started = time.perf_counter()
        scores = ranker.score(np.array([user], dtype=np.int64), candidates)
        timings.append((time.perf_counter() - started) * 1000.0)
        assert scores.shape == (1, n_candidates)
    median, p95 = np.percentile(timings, [50, 95])
    verdict = "meets" if median < GOAL_MS else "misses"
    print(
        f"score 1 user x {n_candidates:,} items over {args.users} users: "
        f"median {median:.2f} ms, p95 {p95:.2f} ms ({verdict} the {GOAL_MS:g} ms goal)"
    )


if __name__ == "__main__":
    main()
