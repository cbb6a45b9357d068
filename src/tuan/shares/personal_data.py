"""What shares holds about a person: how it is exported and erased (ADR 0011)."""

from __future__ import annotations

from tuan.core.personal import BOOKS, Erase, Personal, TableData

TABLES = (
    TableData(
        "shares",
        person="sharer_id",
        columns={"sharer_id": Personal("cards.json", Erase.TOMBSTONE, why=BOOKS)},
    ),
)
