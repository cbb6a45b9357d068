"""What social holds about a person: how it is exported and erased (ADR 0011)."""

from __future__ import annotations

from tuan.core.personal import SYSTEM_MADE, Erase, NotPersonal, Personal, TableData

TABLES = (
    TableData(
        "blocks",
        person="blocker_id",
        columns={
            "blocker_id": Personal("friends.json", Erase.DELETE_ROW),
            "blocked_id": Personal(
                "", Erase.DELETE_ROW, why="who blocked the person is the blocker's own data"
            ),
        },
    ),
    TableData(
        "friend_requests",
        person="from_user_id",
        columns={
            "from_user_id": Personal("friends.json", Erase.DELETE_ROW),
            "to_user_id": Personal("friends.json", Erase.DELETE_ROW),
            "message": Personal("friends.json", Erase.DELETE_ROW),
            "status": NotPersonal(SYSTEM_MADE),
            "pending_key": NotPersonal(SYSTEM_MADE),
        },
    ),
    TableData(
        "friendships",
        person=None,  # either side
        columns={
            "user_low": Personal("friends.json", Erase.DELETE_ROW),
            "user_high": Personal("friends.json", Erase.DELETE_ROW),
        },
    ),
)
