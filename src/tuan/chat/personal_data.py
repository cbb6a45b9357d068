"""What chat holds about a person: how it is exported and erased (ADR 0011)."""

from __future__ import annotations

from tuan.core.personal import SYSTEM_MADE, Erase, NotPersonal, Personal, TableData

GROUPS_OWN = "a group conversation's title belongs to the group, and stays when a member leaves"

TABLES = (
    TableData(
        "conversations",
        person=None,
        columns={
            "kind": NotPersonal(SYSTEM_MADE),
            "direct_key": Personal(
                "",
                Erase.BLANK,
                why="the pair of ids a direct chat is found by, shown to no one; blanked so the "
                "other person keeps the chat with a deleted user",
            ),
            "title": NotPersonal(GROUPS_OWN),
        },
    ),
    TableData(
        "conversation_members",
        person="user_id",
        columns={
            "user_id": Personal("groups.json", Erase.DELETE_ROW),
            "introduced_by": Personal("groups.json", Erase.TOMBSTONE),
            "role": NotPersonal(SYSTEM_MADE),
        },
    ),
    TableData(
        "chat_preferences",
        person="user_id",
        columns={"user_id": Personal("settings.json", Erase.DELETE_ROW)},
    ),
    TableData(
        "messages",
        person="sender_id",
        columns={
            # A message the person wrote becomes a "deleted message" in place: the row stays so
            # every reader's positions stay gap-free (ADR 0011).
            "sender_id": Personal("messages.json", Erase.TOMBSTONE),
            "text": Personal("messages.json", Erase.BLANK),
            "payload": Personal("messages.json", Erase.BLANK),
            "mentions": Personal(
                "messages.json",
                Erase.BLANK,
                why="blanked on the person's messages; the person's id is taken out of others'",
            ),
            "client_id": NotPersonal("the sending device's retry id, made by the app"),
            "kind": NotPersonal(SYSTEM_MADE),
        },
    ),
    TableData(
        "message_reactions",
        person="user_id",
        columns={
            "user_id": Personal("messages.json", Erase.DELETE_ROW),
            "emoji": Personal("messages.json", Erase.DELETE_ROW),
        },
    ),
)
