"""Create notifications inside the caller's transaction and push them live after commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import insert, update

from tuan.core.uow import UnitOfWork
from tuan.notifications.models import Notification
from tuan.realtime import topics

TOPIC = topics.NOTIFICATION_CREATED


def view(n: Notification | dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = (
        n
        if isinstance(n, dict)
        else {c.key: getattr(n, c.key) for c in Notification.__table__.columns}
    )
    get = row.get
    created: datetime = row["created_at"]
    read = row.get("read_at")
    return {
        "id": get("id"),
        "kind": get("kind"),
        "actor_id": get("actor_id"),
        "conversation_id": get("conversation_id"),
        "message_seq": get("message_seq"),
        "data": get("data") or {},
        "created_at": created.isoformat(),
        "read": read is not None,
    }


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
            TOPIC, {"user_id": row["user_id"], "notification": view({**row, "id": notification_id})}
        )


async def mark_read(uow: UnitOfWork, *, user_id: int, up_to: int) -> None:
    async with uow:
        await uow.session.execute(
            update(Notification)
            .where(
                Notification.user_id == user_id,
                Notification.id <= up_to,
                Notification.read_at.is_(None),
            )
            .values(read_at=uow.now)
        )
        await uow.commit()
