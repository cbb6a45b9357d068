"""What groupbuy holds about a person: how it is exported and erased (ADR 0011)."""

from __future__ import annotations

from tuan.core.personal import BOOKS, SYSTEM_MADE, Erase, NotPersonal, Personal, TableData

TABLES = (
    TableData(
        "teams",
        person="opener_id",
        columns={
            # Erasure is refused while a team the person is in is open.
            "opener_id": Personal("teams.json", Erase.TOMBSTONE, why=BOOKS),
            "status": NotPersonal(SYSTEM_MADE),
            "code": NotPersonal(SYSTEM_MADE),
            "currency": NotPersonal(SYSTEM_MADE),
        },
    ),
    TableData(
        "team_members",
        person="user_id",
        columns={"user_id": Personal("teams.json", Erase.TOMBSTONE, why=BOOKS)},
    ),
)
