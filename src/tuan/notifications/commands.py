"""What other domains may do to notifications inside their own transaction: notify people.

A notification is part of the change that causes it (a join request and the admins told of it
commit together), so the caller's unit of work writes it; it is pushed live after that commit,
and announced durably (:class:`PeopleNotified`) for the devices of its receivers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert

from tuan.core.uow import UnitOfWork
from tuan.notifications.events import PeopleNotified
from tuan.notifications.models import Notification
from tuan.notifications.queries import notification_view
from tuan.realtime import topics


async def notify_users(
    uow: UnitOfWork,
    user_ids: Iterable[int],
    *,
    kind: str,
    actor_id: int | None = None,
    conversation_id: int | None = None,
    message_seq: int | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Notify each of ``user_ids`` (once each) of ``kind``; ``data`` holds the parameters a page
    needs to say it (names, ids), never a sentence."""
    targets = sorted(set(user_ids))
    if not targets:
        return
    rows = [
        {
            "user_id": uid,
            "kind": kind,
            "actor_id": actor_id,
            "conversation_id": conversation_id,
            "message_seq": message_seq,
            "data": data or {},
            "created_at": uow.now,
            "read_at": None,
        }
        for uid in targets
    ]
    ids = list(
        await uow.session.scalars(
            insert(Notification).returning(Notification.id, sort_by_parameter_order=True), rows
        )
    )
    for row, notification_id in zip(rows, ids, strict=True):
        uow.notify(
            topics.NOTIFICATION_CREATED,
            {
                "user_id": row["user_id"],
                "notification": notification_view({**row, "id": notification_id}),
            },
        )
    uow.emit(PeopleNotified(notification_ids=ids))
