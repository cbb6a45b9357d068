"""What accounts holds about a person: how it is exported and erased (ADR 0011)."""

from __future__ import annotations

from tuan.core.personal import CREDENTIAL_HASH, Erase, Personal, TableData

# The person's row goes once everything that points at it has been deleted or moved to the
# one shared "deleted user" tombstone account (ADR 0011).
TABLES = (
    TableData(
        "users",
        person="id",
        columns={
            "username": Personal("profile.json", Erase.DELETE_ROW),
            "username_key": Personal(
                "",
                Erase.RETAIN,
                why="reserved for 90 days after erasure, so nobody can take the name over and "
                "pass for the person; then freed. A lookup key, not shown to the person",
            ),
            "display_name": Personal("profile.json", Erase.DELETE_ROW),
            "bio": Personal("profile.json", Erase.DELETE_ROW),
            "avatar_key": Personal(
                "photos/", Erase.DELETE_ROW, why="the file on disk is deleted too"
            ),
            "password_hash": Personal("", Erase.DELETE_ROW, why=CREDENTIAL_HASH),
            "locale": Personal("profile.json", Erase.DELETE_ROW),
            "verified": Personal("profile.json", Erase.DELETE_ROW),
            "created_at": Personal("profile.json", Erase.DELETE_ROW),
            "updated_at": Personal("profile.json", Erase.DELETE_ROW),
        },
    ),
    TableData(
        "sessions",
        person="user_id",
        columns={
            "user_id": Personal("devices.json", Erase.DELETE_ROW),
            "token_hash": Personal("", Erase.DELETE_ROW, why=CREDENTIAL_HASH),
            "user_agent": Personal("devices.json", Erase.DELETE_ROW),
        },
    ),
    TableData(
        "username_quarantine",
        person=None,
        columns={
            "key_hash": Personal(
                "",
                Erase.RETAIN,
                why="a hash of an erased person's username, kept 90 days so nobody can take the "
                "name over and pass for them; names no one",
            )
        },
    ),
)
