"""What other domains record in trust inside their own transaction (a durable handler's): an
interaction between two people, a recommendation's outcome. Every update is an atomic addition,
so handlers in many processes never race."""

from __future__ import annotations

from datetime import datetime

from tuan.core.db import dialect_insert
from tuan.core.uow import UnitOfWork
from tuan.trust import domain
from tuan.trust.domain import Interaction
from tuan.trust.models import Reputation, TrustEdge

__all__ = [
    "Interaction",
    "bought_on_share",
    "count_outcome",
    "count_rating",
    "record",
    "record_both_ways",
]


async def record(
    uow: UnitOfWork, source_id: int, target_id: int, kind: Interaction, at: datetime
) -> None:
    """``source`` did ``kind`` towards ``target`` at ``at`` (inside the caller's transaction)."""
    if source_id == target_id:
        return
    weight = domain.scaled(kind.value, at)
    statement = dialect_insert(uow.session, TrustEdge).values(
        source_id=source_id, target_id=target_id, scaled_weight=weight, interactions=1, last_at=at
    )
    statement = statement.on_conflict_do_update(
        index_elements=[TrustEdge.source_id, TrustEdge.target_id],
        set_={
            "scaled_weight": TrustEdge.scaled_weight + statement.excluded.scaled_weight,
            "interactions": TrustEdge.interactions + 1,
            "last_at": statement.excluded.last_at,
        },
    )
    await uow.session.execute(statement)


async def record_both_ways(
    uow: UnitOfWork, a: int, b: int, kind: Interaction, at: datetime
) -> None:
    await record(uow, a, b, kind, at)
    await record(uow, b, a, kind, at)


async def count_outcome(
    uow: UnitOfWork,
    *,
    user_id: int,
    category: str,
    at: datetime,
    shares: int = 0,
    purchases: int = 0,
    rated: int = 0,
    rated_good: int = 0,
) -> None:
    """Add to a recommender's record in a category (a share, a purchase, a rating of one)."""
    statement = dialect_insert(uow.session, Reputation).values(
        user_id=user_id,
        category=category,
        shares=shares,
        purchases=purchases,
        rated=rated,
        rated_good=rated_good,
        updated_at=at,
    )
    statement = statement.on_conflict_do_update(
        index_elements=[Reputation.user_id, Reputation.category],
        set_={
            "shares": Reputation.shares + statement.excluded.shares,
            "purchases": Reputation.purchases + statement.excluded.purchases,
            "rated": Reputation.rated + statement.excluded.rated,
            "rated_good": Reputation.rated_good + statement.excluded.rated_good,
            "updated_at": statement.excluded.updated_at,
        },
    )
    await uow.session.execute(statement)


# --- for the social loop's outcomes (reviews.handlers) ---


async def bought_on_share(uow: UnitOfWork, *, buyer_id: int, sharer_id: int, at: datetime) -> None:
    """A buyer paid for something a person shared: a strong tie from buyer to sharer."""
    await record(uow, buyer_id, sharer_id, Interaction.BOUGHT_ON_SHARE, at)


async def count_rating(
    uow: UnitOfWork,
    *,
    user_id: int,
    category: str,
    at: datetime,
    stars: int,
    taken_back: bool = False,
) -> None:
    """A buyer rated something a recommender shared: counted, and counted good at 4–5 stars.
    ``taken_back``: the rating no longer counts (its author was erased, ADR 0011)."""
    one = -1 if taken_back else 1
    await count_outcome(
        uow,
        user_id=user_id,
        category=category,
        at=at,
        rated=one,
        rated_good=one if stars >= domain.GOOD_STARS else 0,
    )
