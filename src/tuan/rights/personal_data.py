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
    TableData(
        "account_deletions",
        person="user_id",
        columns={
            "user_id": Personal(
                "",
                Erase.RETAIN,
                why="the request's own record, kept while it runs so a crashed erasure can "
                "finish; emptied when the person's account goes (then it names no one)",
            ),
            "status": NotPersonal(SYSTEM_MADE),
            "blocked_by": NotPersonal("the obligations found, as kinds and ids the system made"),
        },
    ),
    TableData(
        "rights_audit",
        person=None,
        columns={
            "action": NotPersonal(SYSTEM_MADE),
            "operator": NotPersonal("the operator's own name, staff of the instance"),
            "legal_request": NotPersonal("the reference of a legal request, as filed"),
            "subject": NotPersonal("an export's or deletion's id, made by the system"),
        },
    ),
)
