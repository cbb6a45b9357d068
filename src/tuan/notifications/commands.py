"""Writes other domains make in their own transaction: telling people something happened.

``notify_users(uow, user_ids, *, kind, actor_id, conversation_id, message_seq, data)`` stores the
notifications with the caller's change and pushes them live after its commit.
"""

from __future__ import annotations

from tuan.notifications.service import notify_users

__all__ = ["notify_users"]
