"""What push holds about a person: how it is exported and erased (ADR 0011)."""

from __future__ import annotations

from tuan.core.personal import Erase, NotPersonal, Personal, TableData

SUBSCRIPTION_KEYS = (
    "a device's push address and encryption keys: whoever holds them can send to the device, "
    "so they are never exported"
)

TABLES = (
    TableData(
        "push_subscriptions",
        person="user_id",
        columns={
            "user_id": Personal("devices.json", Erase.DELETE_ROW),
            "session_id": NotPersonal("a login session's number; the session names its person"),
            "endpoint": Personal("", Erase.DELETE_ROW, why=SUBSCRIPTION_KEYS),
            "p256dh": Personal("", Erase.DELETE_ROW, why=SUBSCRIPTION_KEYS),
            "auth": Personal("", Erase.DELETE_ROW, why=SUBSCRIPTION_KEYS),
            "label": Personal("devices.json", Erase.DELETE_ROW),
        },
    ),
    TableData(
        "push_preferences",
        person="user_id",
        columns={
            "user_id": Personal("settings.json", Erase.DELETE_ROW),
            "time_zone": Personal("settings.json", Erase.DELETE_ROW),
        },
    ),
    TableData(
        "push_chat_windows",
        person="user_id",
        columns={
            "user_id": Personal(
                "",
                Erase.DELETE_ROW,
                why="when a push last went to a chat: bookkeeping, not something the person did",
            ),
            "subscription_id": NotPersonal("the device the window is for (its owner: user_id)"),
            "conversation_id": NotPersonal("the chat the window is for"),
        },
    ),
)
