"""What notifications holds about a person: how it is exported and erased (ADR 0011)."""

from __future__ import annotations

from tuan.core.personal import SYSTEM_MADE, Erase, NotPersonal, Personal, TableData

TABLES = (
    TableData(
        "notifications",
        person="user_id",
        columns={
            "user_id": Personal("notifications.json", Erase.DELETE_ROW),
            "actor_id": Personal(
                "notifications.json",
                Erase.TOMBSTONE,
                why="others' notifications about what the person did show a deleted user",
            ),
            "data": Personal(
                "notifications.json",
                Erase.BLANK,
                why="names and words in others' notifications about the person are blanked",
            ),
            "kind": NotPersonal(SYSTEM_MADE),
        },
    ),
)
