from __future__ import annotations

import numpy as np

from tuan.recs.models.baselines import Popularity
from tuan.recs.serving import IdIndex, build_training_data, recommend


def test_build_training_data_and_recommend_with_app_ids() -> None:
    users, items = IdIndex(), IdIndex()
    data, graph = build_training_data(
        [("ann", "tea"), ("bob", "tea"), ("bob", "rice"), ("cat", "tea"), ("ann", "tea")],
        [("ann", "bob"), ("dan", "ann")],
        users,
        items,
    )
    assert len(data) == 4  # the repeated (ann, tea) counts once
    assert users.labels == ["ann", "bob", "cat", "dan"]
    assert graph.n_links == 2 and graph.adjacency[3, 0] == 1.0

    ranker = Popularity()
    ranker.fit(data, graph)
    ann = users.positions["ann"]
    assert items.decode(recommend(ranker, ann, k=5)) == ["tea", "rice"]
    already = items.encode(["tea"])
    assert items.decode(recommend(ranker, ann, k=5, exclude=already)) == ["rice"]
    rice = items.encode(["rice"])
    np.testing.assert_array_equal(recommend(ranker, ann, k=1, candidates=rice), rice)
