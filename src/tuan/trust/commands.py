"""Writes other domains make in their own transaction (a durable handler's): ties and records."""

from __future__ import annotations

from datetime import datetime

from tuan.core.uow import UnitOfWork
from tuan.trust import domain, service

# --- for the social loop's outcomes (reviews.handlers) ---


async def bought_on_share(uow: UnitOfWork, *, buyer_id: int, sharer_id: int, at: datetime) -> None:
    """A buyer paid for something a person shared: a strong tie from buyer to sharer."""
    await service.record(uow.session, buyer_id, sharer_id, domain.Interaction.BOUGHT_ON_SHARE, at)


async def count_outcome(
    uow: UnitOfWork,
    *,
    user_id: int,
    category: str,
    at: datetime,
    shares: int = 0,
    purchases: int = 0,
) -> None:
    """Add a share, or a purchase through a share, to a recommender's record in a category."""
    await service.count_outcome(
        uow.session, user_id=user_id, category=category, at=at, shares=shares, purchases=purchases
    )


async def count_rating(
    uow: UnitOfWork, *, user_id: int, category: str, at: datetime, stars: int
) -> None:
    """A buyer rated something a recommender shared: counted, and counted good at 4–5 stars."""
    await service.count_outcome(
        uow.session,
        user_id=user_id,
        category=category,
        at=at,
        rated=1,
        rated_good=1 if stars >= domain.GOOD_STARS else 0,
    )
