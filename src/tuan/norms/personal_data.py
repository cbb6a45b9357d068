"""What norms holds about a person: how it is exported and erased (ADR 0011)."""

from __future__ import annotations

from tuan.core.personal import SYSTEM_MADE, Erase, NotPersonal, Personal, TableData

TABLES = (
    TableData(
        "group_norms",
        person="updated_by",
        columns={"updated_by": Personal("groups.json", Erase.TOMBSTONE)},
    ),
    TableData(
        "group_share_quotas",
        person="user_id",
        columns={
            "user_id": Personal("groups.json", Erase.DELETE_ROW),
            "day": NotPersonal(SYSTEM_MADE),
        },
    ),
    TableData(
        "group_norm_overrides",
        person="by_user_id",
        columns={"by_user_id": Personal("groups.json", Erase.TOMBSTONE)},
    ),
)
