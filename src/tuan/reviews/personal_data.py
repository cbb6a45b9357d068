"""What reviews holds about a person: how it is exported and erased (ADR 0011)."""

from __future__ import annotations

from tuan.core.personal import SYSTEM_MADE, Erase, NotPersonal, Personal, TableData

TABLES = (
    TableData(
        "reviews",
        person="author_id",
        columns={
            # Ratings, averages and trust are recomputed without the deleted reviews.
            "author_id": Personal("reviews.json", Erase.DELETE_ROW),
            "sharer_id": Personal("reviews.json", Erase.TOMBSTONE),
            "text": Personal("reviews.json", Erase.DELETE_ROW),
            "photos": Personal("photos/", Erase.DELETE_ROW, why="the files on disk go too"),
            # What the author wrote about each photo (its alt text) goes with the photos.
            "photo_alts": Personal("reviews.json", Erase.DELETE_ROW),
            "category": NotPersonal(SYSTEM_MADE),
        },
    ),
    TableData(
        "purchase_reports",
        person="author_id",
        columns={
            # The report's chat message is blanked with the person's other messages.
            "author_id": Personal("reviews.json", Erase.DELETE_ROW),
            "kind": NotPersonal(SYSTEM_MADE),
        },
    ),
)
