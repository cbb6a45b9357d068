"""Writes other domains make in their own transaction: telling people something happened."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tuan.core.uow import UnitOfWork
from tuan.notifications import service


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
    """Notify ``user_ids`` with the caller's change: stored with it, pushed live after commit."""
    await service.notify_users(
        uow,
        user_ids,
        kind=kind,
        actor_id=actor_id,
        conversation_id=conversation_id,
        message_seq=message_seq,
        data=data,
    )
