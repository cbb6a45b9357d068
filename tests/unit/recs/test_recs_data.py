from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from recs_synthetic import write_dataset

from tuan.recs.data import load_dataset


def test_loader_maps_labels_keeps_last_duplicate_and_cleans_links(tmp_path: Path) -> None:
    folder = write_dataset(
        tmp_path / "tiny",
        ratings=[("alice", "x", 1.0), ("bob", "y", 2.0), ("alice", "x", 3.5), ("carol", "y", 4)],
        links=[("alice", "bob"), ("alice", "bob"), ("bob", "bob"), ("dave", "alice")],
    )
    dataset = load_dataset(folder)

    assert dataset.name == "tiny"
    assert list(dataset.user_labels) == ["alice", "bob", "carol", "dave"]
    assert list(dataset.item_labels) == ["x", "y"]
    # The repeated (alice, x) pair keeps its last value, 3.5, in its last position.
    triples = list(
        zip(dataset.ratings.users, dataset.ratings.items, dataset.ratings.values, strict=True)
    )
    assert triples == [(1, 1, 2.0), (0, 0, 3.5), (2, 1, 4.0)]
    # Duplicate link counted once, self link dropped, social-only user "dave" gets an index.
    adjacency = dataset.social.adjacency.toarray()
    assert adjacency[0, 1] == 1.0
    assert adjacency[1, 1] == 0.0
    assert adjacency[3, 0] == 1.0
    assert dataset.social.n_links == 2
    assert dataset.split is None


def test_loader_reads_released_split_in_the_shared_index_space(tmp_path: Path) -> None:
    folder = write_dataset(
        tmp_path / "withsplit",
        ratings=[("u1", "a", 1), ("u1", "b", 1), ("u2", "a", 1)],
        links=[],
        split={
            "train": [("u1", "a", 1), ("u2", "a", 1)],
            "val": [("u1", "b", 1)],
            "test": [("u2", "c", 1)],
        },
    )
    dataset = load_dataset(folder)

    assert dataset.split is not None
    assert dataset.n_items == 3  # item "c" appears only in the test split
    test = dataset.split["test"]
    assert dataset.item_labels[int(test.items[0])] == "c"
    everything = dataset.all_interactions()
    assert len(everything) == 4  # union of all files, duplicates removed
    assert dataset.social.n_links == 0


def test_loader_reports_missing_files(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"ratings\.tsv"):
        load_dataset(tmp_path)
    folder = write_dataset(tmp_path / "bad", ratings=[("u", "i", 1)], links=[])
    (folder / "split").mkdir()
    (folder / "split" / "train.tsv").write_text("user\titem\tvalue\nu\ti\t1\n")
    with pytest.raises(FileNotFoundError, match=r"val\.tsv"):
        load_dataset(folder)


def test_loader_rejects_short_rows(tmp_path: Path) -> None:
    folder = tmp_path / "short"
    folder.mkdir()
    (folder / "ratings.tsv").write_text("user\titem\tvalue\nu1\ti1\n")
    with pytest.raises(ValueError, match=r"ratings\.tsv:2"):
        load_dataset(folder)


def test_interactions_matrix_and_counts(tmp_path: Path) -> None:
    folder = write_dataset(
        tmp_path / "m", ratings=[("a", "x", 2), ("a", "y", 3), ("b", "y", 5)], links=[]
    )
    ratings = load_dataset(folder).ratings
    np.testing.assert_array_equal(ratings.to_csr().toarray(), [[2, 3], [0, 5]])
    np.testing.assert_array_equal(ratings.to_csr(binary=True).toarray(), [[1, 1], [0, 1]])
    np.testing.assert_array_equal(ratings.user_counts(), [2, 1])
    np.testing.assert_array_equal(ratings.item_counts(), [1, 2])
