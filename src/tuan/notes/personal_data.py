"""What notes holds about a person: how it is exported and erased (ADR 0011)."""

from __future__ import annotations

from tuan.core.personal import SYSTEM_MADE, Erase, NotPersonal, Personal, TableData

TABLES = (
    TableData(
        "notes",
        person="author_id",
        columns={
            # The note's links go with it; its shares stay, on the tombstone, as every share
            # does, so orders made through them keep their attribution.
            "author_id": Personal("notes.json", Erase.DELETE_ROW),
            "title": Personal("notes.json", Erase.DELETE_ROW),
            "text": Personal("notes.json", Erase.DELETE_ROW),
            "photos": Personal("photos/", Erase.DELETE_ROW, why="the files on disk go too"),
            "photo_alts": Personal("notes.json", Erase.DELETE_ROW),
            "tags": Personal("notes.json", Erase.DELETE_ROW),
            "area": Personal("notes.json", Erase.DELETE_ROW),
            "audience": NotPersonal(SYSTEM_MADE),
            "status": NotPersonal(SYSTEM_MADE),
        },
    ),
)
