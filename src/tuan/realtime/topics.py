"""The live topics the hub delivers to connected clients, and the shape of a message view.

Domains announce on these after commit (``uow.notify``); the hub, below every domain, knows only
these names and never a domain's code.
"""

from __future__ import annotations

from typing import Any

MessageView = dict[str, Any]
"""A chat message as clients see it; ``conversation_id`` and ``version`` order its delivery."""

CONVERSATION_CHANGED = "chat.changed"  # payload: a MessageView (new, edited or deleted message)
MEMBERSHIP_CHANGED = "chat.membership"  # payload: conversation_id, user_id, joined
READ_UP_TO = "chat.read"  # payload: conversation_id, user_id, seq
TYPING = "chat.typing"  # payload: conversation_id, user_id
NOTIFICATION_CREATED = "notifications.created"  # payload: user_id, notification
TEAM_CHANGED = "groupbuy.team_changed"  # payload: team_id (a place taken or freed, a payment)
