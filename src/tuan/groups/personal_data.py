"""What groups holds about a person: how it is exported and erased (ADR 0011)."""

from __future__ import annotations

from tuan.core.personal import SYSTEM_MADE, Erase, NotPersonal, Personal, TableData

GROUPS_OWN = "the group's own words, set by its admins; they stay when one of them leaves"

TABLES = (
    TableData(
        "groups",
        person="owner_id",
        columns={
            # Erasure is refused while the person is a group's sole owner: they transfer it or
            # archive it first; an archived group keeps the tombstone as its owner.
            "owner_id": Personal("groups.json", Erase.TOMBSTONE),
            "name": NotPersonal(GROUPS_OWN),
            "description": NotPersonal(GROUPS_OWN),
            "join_question": NotPersonal(GROUPS_OWN),
            "avatar_key": NotPersonal(GROUPS_OWN),
            "join_policy": NotPersonal(SYSTEM_MADE),
            "subgroups_by": NotPersonal(SYSTEM_MADE),
        },
    ),
    TableData(
        "group_invite_links",
        person="created_by",
        columns={
            "created_by": Personal("groups.json", Erase.DELETE_ROW),
            "code": NotPersonal(SYSTEM_MADE),
        },
    ),
    TableData(
        "group_join_requests",
        person="user_id",
        columns={
            "user_id": Personal("groups.json", Erase.DELETE_ROW),
            "answer": Personal("groups.json", Erase.DELETE_ROW),
            "introduced_by": Personal("groups.json", Erase.TOMBSTONE),
            "decided_by": Personal("groups.json", Erase.TOMBSTONE),
            "status": NotPersonal(SYSTEM_MADE),
            "open_key": NotPersonal(SYSTEM_MADE),
        },
    ),
)
