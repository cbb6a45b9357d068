"""What trust holds about a person: how it is exported and erased (ADR 0011)."""

from __future__ import annotations

from tuan.core.personal import SYSTEM_MADE, Erase, NotPersonal, Personal, TableData

RECOMPUTED = "a figure derived from others' ratings; recomputed without the person"

TABLES = (
    TableData(
        "reputations",
        person="user_id",
        columns={
            "user_id": Personal("trust.json", Erase.DELETE_ROW, why=RECOMPUTED),
            "category": NotPersonal(SYSTEM_MADE),
        },
    ),
    TableData(
        "trust_edges",
        person="source_id",
        columns={
            "source_id": Personal("trust.json", Erase.DELETE_ROW),
            "target_id": Personal("trust.json", Erase.DELETE_ROW, why=RECOMPUTED),
        },
    ),
)
