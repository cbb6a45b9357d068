"""Writes other domains make to trust inside their own transaction (a durable handler's)."""

from __future__ import annotations

from datetime import datetime

from tuan.core.uow import UnitOfWork
from tuan.trust import service
from tuan.trust.domain import Interaction

# --- for proof/asks/foryou ---


async def recommendation_chosen(
    uow: UnitOfWork, *, asker_id: int, answerer_id: int, at: datetime
) -> None:
    """The asker chose someone's recommendation: their tie to the one who gave it strengthens
    (as much as a reply does)."""
    await service.record(uow.session, asker_id, answerer_id, Interaction.REPLY, at)
