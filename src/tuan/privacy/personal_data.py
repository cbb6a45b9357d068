"""What privacy holds about a person: how it is exported and erased (ADR 0011)."""

from __future__ import annotations

from tuan.core.personal import Erase, Personal, TableData

TABLES = (
    TableData(
        "privacy_settings",
        person="user_id",
        columns={
            "user_id": Personal("privacy.json", Erase.DELETE_ROW),
            "kind": Personal("privacy.json", Erase.DELETE_ROW),
            "audience": Personal("privacy.json", Erase.DELETE_ROW),
        },
    ),
    TableData(
        "privacy_groups",
        person="user_id",
        columns={
            "user_id": Personal("privacy.json", Erase.DELETE_ROW),
            "kind": Personal("privacy.json", Erase.DELETE_ROW),
        },
    ),
)
