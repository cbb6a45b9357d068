"""What rights holds about a person: how it is exported and erased (ADR 0011)."""

from __future__ import annotations

from tuan.core.personal import SYSTEM_MADE, Erase, NotPersonal, Personal, TableData

TABLES = (
    TableData(
        "data_exports",
        person="user_id",
        columns={
            "user_id": Personal(
                "", Erase.DELETE_ROW, why="the archive's own record; its file goes"
            ),
            "status": NotPersonal(SYSTEM_MADE),
            "locale": NotPersonal(SYSTEM_MADE),
            "file_name": NotPersonal("a random name the system gave the archive's file"),
        },
    ),
)
